import CofferKMS
import Testing

/// The key-state rules, as AWS's "Key states of AWS KMS keys" table gives them for these operations.
struct KeyStateTests {
    static let arn = "arn:aws:kms:us-east-1:111122223333:key/x"

    @Test(arguments: KeyState.allCases)
    func enableAndDisable(_ state: KeyState) {
        let manageable = state == .enabled || state == .disabled
        #expect((try? state.enabling(keyARN: Self.arn)) == (manageable ? .enabled : nil))
        #expect((try? state.disabling(keyARN: Self.arn)) == (manageable ? .disabled : nil))
    }

    @Test(arguments: KeyState.allCases)
    func cryptographicUse(_ state: KeyState) {
        do {
            try state.checkUsable(keyARN: Self.arn)
            #expect(state == .enabled)
        } catch let error as KMSError {
            #expect(error.code == (state == .disabled ? .disabled : .invalidState))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func pendingDeletionRefusesManagement() {
        #expect(throws: KMSError.self) { try KeyState.pendingDeletion.checkManageable(keyARN: Self.arn) }
        #expect(throws: Never.self) { try KeyState.disabled.checkManageable(keyARN: Self.arn) }
    }
}
