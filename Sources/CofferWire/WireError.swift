/// Protocol-level failures: authentication, framing, and request validation.
///
/// The edge maps each code to an AWS exception name and HTTP status in one table. Messages never
/// contain secrets, signatures or plaintext.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }

        public static let missingAuthenticationToken = Code("missingAuthenticationToken")
        public static let incompleteSignature = Code("incompleteSignature")
        public static let invalidSignature = Code("invalidSignature")
        /// The signature's date is outside the allowed clock skew, or a presigned URL expired.
        public static let signatureExpired = Code("signatureExpired")
        public static let unrecognizedClient = Code("unrecognizedClient")
        /// The body declared a payload hash that does not match the body.
        public static let contentSHA256Mismatch = Code("contentSHA256Mismatch")
        public static let validation = Code("validation")
        public static let serialization = Code("serialization")
        public static let unknownOperation = Code("unknownOperation")
        public static let requestTooLarge = Code("requestTooLarge")
        public static let accessDenied = Code("accessDenied")

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
