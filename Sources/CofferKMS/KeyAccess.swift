import CofferCore

/// What a request wants to do with a key, for authorization: the KMS operation (the action is
/// `kms:<operation>`, the grant operation `<operation>`), the encryption context the request
/// carries, and the operation's own condition keys (`kms:EncryptionAlgorithm`, ...).
public struct KeyAccess: Sendable {
    public var operation: String
    public var encryptionContext: EncryptionContext?
    public var conditions: [String: [String]]

    public init(_ operation: String, context: EncryptionContext? = nil, conditions: [String: [String]] = [:]) {
        self.operation = operation
        self.encryptionContext = context
        self.conditions = conditions
    }

    public var action: String { "kms:" + operation }
}
