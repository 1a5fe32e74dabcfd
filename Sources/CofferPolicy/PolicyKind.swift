/// Where a policy document is attached, which decides the elements it may use.
public enum PolicyKind: Sendable, Hashable {
    /// Attached to a user, group or role: no `Principal`/`NotPrincipal`, `Resource`/`NotResource` required.
    case identity
    /// Attached to a resource (a KMS key policy, an S3 bucket policy): every statement names a principal.
    case resource
    /// A role trust policy: every statement names a principal.
    case trust
}
