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

    public init(account: AccountID, principalARN: String, accessKeyID: String, region: Region) {
        self.account = account
        self.principalARN = principalARN
        self.accessKeyID = accessKeyID
        self.region = region
    }
}
