/// A KMS domain failure. The edge maps ``Code`` to an AWS exception name and status.
public struct KMSError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// Whether the caller caused the failure (4xx) rather than the server (5xx).
        public let isClientFault: Bool
        private init(_ name: String, clientFault: Bool = true) {
            self.name = name
            self.isClientFault = clientFault
        }

        public static let notFound = Code("notFound")
        public static let disabled = Code("disabled")
        public static let invalidState = Code("invalidState")
        public static let invalidCiphertext = Code("invalidCiphertext")
        public static let incorrectKey = Code("incorrectKey")
        public static let invalidKeyUsage = Code("invalidKeyUsage")
        public static let alreadyExists = Code("alreadyExists")
        public static let invalidAliasName = Code("invalidAliasName")
        public static let validation = Code("validation")
        public static let unsupportedOperation = Code("unsupportedOperation")
        public static let tag = Code("tag")
        public static let invalidMarker = Code("invalidMarker")
        public static let limitExceeded = Code("limitExceeded")
        public static let accessDenied = Code("accessDenied")
        public static let notAuthorized = Code("notAuthorized")
        public static let malformedPolicyDocument = Code("malformedPolicyDocument")
        public static let invalidMac = Code("invalidMac")
        public static let invalidSignature = Code("invalidSignature")
        public static let throttling = Code("throttling")
        public static let incorrectKeyMaterial = Code("incorrectKeyMaterial")
        public static let invalidImportToken = Code("invalidImportToken")
        public static let expiredImportToken = Code("expiredImportToken")
        public static let invalidGrantToken = Code("invalidGrantToken")
        public static let `internal` = Code("internal", clientFault: false)

        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "KMSError.\(code): \(message)" }
}
