/// Errors raised by the crypto formats. Messages never contain key material or plaintext.
public struct CofferCryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case malformed, authenticationFailed, invalidKey, unsupportedVersion
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The bytes do not follow the format (bad length, unknown marker).
        public static let malformed = Code(.malformed)
        /// Authenticated decryption failed: wrong key, wrong context, or tampered bytes.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// A key has the wrong size or form.
        public static let invalidKey = Code(.invalidKey)
        /// The format version is not one this build reads.
        public static let unsupportedVersion = Code(.unsupportedVersion)

        public var description: String { String(describing: value) }
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "CofferCryptoError.\(code): \(reason)" }
}
