/// A resource an event touched, e.g. (`AWS::KMS::Key`, key ARN).
public struct AuditResource: Sendable, Hashable {
    /// The resource type, e.g. `AWS::KMS::Key`.
    public var type: String
    /// The resource name, usually an ARN.
    public var name: String

    /// Creates a resource reference.
    public init(type: String, name: String) {
        self.type = type
        self.name = name
    }
}
