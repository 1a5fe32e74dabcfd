/// The authenticated identity behind a request, as the domain modules see it.
public struct Caller: Hashable, Sendable {
    /// The account the credentials belong to.
    public var account: AccountID
    /// The principal's ARN, e.g. `arn:aws:iam::111122223333:root`.
    public var principalARN: String
    /// The access key that signed the request.
    public var accessKeyID: String
    /// The region named in the request's credential scope.
    public var region: Region
    /// The Coffer service (such as "s3") making this call on the principal's behalf, if any: the
    /// value of the `kms:ViaService` condition key. Nil for requests that come straight from a client.
    public var viaService: String?

    public init(account: AccountID, principalARN: String, accessKeyID: String, region: Region, viaService: String? = nil) {
        self.account = account
        self.principalARN = principalARN
        self.accessKeyID = accessKeyID
        self.region = region
        self.viaService = viaService
    }
}
