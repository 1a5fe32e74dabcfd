import CofferCore
import CofferCrypto
import Foundation

/// The contents of an STS session token: everything a request signed with temporary credentials
/// needs, sealed under the root key and bound to the temporary access key id, so the server keeps
/// no per-session state and a token cannot be moved to another key id or altered.
struct SessionToken: Sendable, Hashable {
    var accessKeyID: String
    var secret: String
    var account: AccountID
    var roleName: String
    var rolePath: String
    var roleID: String
    var sessionName: String
    var expiration: Date

    static let formatVersion: UInt8 = 1
    /// Tokens longer than this are refused before any decoding.
    static let maximumTokenLength = 4096

    static func sealingLabel(accessKeyID: String) -> String { "sts-session-token:v1:\(accessKeyID)" }

    var roleARN: String { "arn:aws:iam::\(account.rawValue):role\(rolePath)\(roleName)" }
    var sessionARN: String { "arn:aws:sts::\(account.rawValue):assumed-role/\(roleName)/\(sessionName)" }

    /// The token clients send as `X-Amz-Security-Token`.
    func seal(with rootKey: RootKey) throws -> String {
        var bytes: [UInt8] = [Self.formatVersion]
        for field in [accessKeyID, secret, account.rawValue, roleName, rolePath, roleID, sessionName, String(Int64(expiration.timeIntervalSince1970))] {
            let utf8 = Array(field.utf8)
            bytes.append(UInt8(truncatingIfNeeded: utf8.count >> 8))
            bytes.append(UInt8(truncatingIfNeeded: utf8.count))
            bytes += utf8
        }
        let sealed = try rootKey.seal(bytes, label: Self.sealingLabel(accessKeyID: accessKeyID))
        return Data(sealed).base64EncodedString()
    }

    /// Opens a token presented with `accessKeyID`; nil if it is not a token this server sealed for that key id.
    static func open(_ token: String, accessKeyID: String, rootKey: RootKey) -> SessionToken? {
        guard token.utf8.count <= maximumTokenLength, let sealed = Data(base64Encoded: token),
            let bytes = try? rootKey.open(Array(sealed), label: sealingLabel(accessKeyID: accessKeyID)),
            bytes.first == formatVersion
        else { return nil }
        var fields: [String] = []
        var index = 1
        while index < bytes.count {
            guard index + 2 <= bytes.count else { return nil }
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            index += 2
            guard index + length <= bytes.count else { return nil }
            fields.append(String(decoding: bytes[index..<index + length], as: UTF8.self))
            index += length
        }
        guard fields.count == 8, fields[0] == accessKeyID, let account = AccountID(fields[2]), let expiry = Int64(fields[7]) else { return nil }
        return SessionToken(
            accessKeyID: fields[0], secret: fields[1], account: account, roleName: fields[3], rolePath: fields[4], roleID: fields[5],
            sessionName: fields[6], expiration: Date(timeIntervalSince1970: TimeInterval(expiry))
        )
    }
}
