/// An identity domain failure.
public struct IdentityError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public static let notFound = Code("notFound")
        public static let alreadyExists = Code("alreadyExists")
        public static let sealedSecretUnreadable = Code("sealedSecretUnreadable")
        /// The entity still has attached things (access keys, policies) and cannot be deleted.
        public static let deleteConflict = Code("deleteConflict")
        public static let limitExceeded = Code("limitExceeded")
        public static let malformedPolicyDocument = Code("malformedPolicyDocument")
        public static let validation = Code("validation")
        /// The caller may not perform this action (IAM/STS `AccessDenied`).
        public static let accessDenied = Code("accessDenied")
        /// Temporary credentials past their expiry.
        public static let expiredToken = Code("expiredToken")
        public var description: String { name }
    }

    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { "IdentityError.\(code): \(message)" }
}
