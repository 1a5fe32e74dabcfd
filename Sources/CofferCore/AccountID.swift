/// A 12-digit AWS account identifier.
public struct AccountID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts exactly twelve ASCII digits.
    public init?(_ rawValue: String) {
        guard rawValue.utf8.count == 12, rawValue.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        self.rawValue = rawValue
    }

    /// A random account id that does not start with zero.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> AccountID {
        var digits = String(UInt8.random(in: 1...9, using: &generator))
        for _ in 0..<11 { digits += String(UInt8.random(in: 0...9, using: &generator)) }
        // Invariant: twelve ASCII digits always parse.
        return AccountID(digits)!
    }

    /// The ARN of the account's root principal.
    public var rootARN: String { "arn:aws:iam::\(rawValue):root" }

    public var description: String { rawValue }
}
