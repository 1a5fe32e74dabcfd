/// An AWS region name such as `us-east-1`, as it appears in a SigV4 credential scope.
public struct Region: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts lowercase letters, digits and hyphens, 1 to 32 characters.
    public init?(_ rawValue: String) {
        guard (1...32).contains(rawValue.utf8.count),
              rawValue.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d })
        else { return nil }
        self.rawValue = rawValue
    }

    public static let usEast1 = Region(uncheckedRawValue: "us-east-1")

    private init(uncheckedRawValue: String) { self.rawValue = uncheckedRawValue }

    public var description: String { rawValue }
}
