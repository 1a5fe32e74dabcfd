import CofferCore
import CofferKMS
import Testing

struct RequestQuotaTests {
    let alice = Caller(account: AccountID("111122223333")!, principalARN: "arn:aws:iam::111122223333:root", accessKeyID: "A", region: .usEast1)

    func admitted(_ quota: RequestQuota, _ caller: Caller, count: Int, at now: UInt64) -> Int {
        (0..<count).filter { _ in (try? quota.admit(caller, nowNanoseconds: now)) != nil }.count
    }

    @Test func allowsABurstOfOneSecondThenTheRate() {
        let quota = RequestQuota(ratePerSecond: 5)
        let start: UInt64 = 1_000_000_000
        #expect(admitted(quota, alice, count: 10, at: start) == 5)
        #expect(admitted(quota, alice, count: 10, at: start + 200_000_000) == 1)
        #expect(admitted(quota, alice, count: 10, at: start + 5_000_000_000) == 5)
    }

    @Test func accountsAndRegionsHaveTheirOwnBuckets() {
        let quota = RequestQuota(ratePerSecond: 2)
        var bob = alice
        bob.account = AccountID("444455556666")!
        var west = alice
        west.region = Region("eu-west-1")!
        #expect(admitted(quota, alice, count: 5, at: 1) == 2)
        #expect(admitted(quota, bob, count: 5, at: 1) == 2)
        #expect(admitted(quota, west, count: 5, at: 1) == 2)
    }

    @Test func overQuotaIsThrottling() {
        let quota = RequestQuota(ratePerSecond: 1)
        _ = try? quota.admit(alice, nowNanoseconds: 1)
        let error = #expect(throws: KMSError.self) { try quota.admit(alice, nowNanoseconds: 1) }
        #expect(error?.code == .throttling)
    }
}
