import CofferCore
import Crypto
import Foundation

/// Verifies S3's legacy query-string signatures (`AWSAccessKeyId`, `Expires`, `Signature`: HMAC-SHA1,
/// signature version 2), which boto3's `generate_presigned_url` still produces for S3 by default.
public enum SigV2QueryVerifier {
    /// Whether the request carries a version 2 query-string signature.
    public static func isPresigned(_ request: SigV4Request) -> Bool {
        let names = Set(request.queryParameters.map(\.name))
        return names.contains("AWSAccessKeyId") && names.contains("Signature") && names.contains("Expires")
    }

    /// The query parameters that are part of the signed resource, as S3 defines them.
    static let signedSubresources: Set<String> = [
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy", "requestPayment",
        "response-cache-control", "response-content-disposition", "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires", "restore", "tagging", "torrent", "uploadId", "uploads", "versionId",
        "versioning", "versions", "website", "encryption", "object-lock", "retention", "legal-hold", "publicAccessBlock",
    ]

    /// Verifies the signature and expiry. `virtualHostBucket` is the bucket named by the Host header,
    /// which the signed resource starts with. Returns what SigV4 verification would (region us-east-1).
    public static func verify<Principal: Sendable>(
        _ request: SigV4Request, virtualHostBucket: String?, now: Date = Date(),
        lookup: (_ accessKeyID: String, _ sessionToken: String?) async throws -> SigV4Secret<Principal>?
    ) async throws -> SigV4Authentication<Principal> {
        let query = request.queryParameters
        func value(_ name: String) -> String? { query.first(where: { $0.name == name })?.value }
        guard let keyID = value("AWSAccessKeyId"), let signature = value("Signature"), let expiresText = value("Expires"),
            let expires = Int64(expiresText)
        else {
            throw WireError(.incompleteSignature, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
        }
        guard Int64(now.timeIntervalSince1970) <= expires else {
            throw WireError(.signatureExpired, "Request has expired")
        }
        guard let secret = try await lookup(keyID, value("x-amz-security-token")) else {
            throw WireError(.unrecognizedClient, "The AWS Access Key Id you provided does not exist in our records.")
        }
        var text = "\(request.method)\n\(request.header("content-md5") ?? "")\n\(request.header("content-type") ?? "")\n\(expiresText)\n"
        var amz: [(String, String)] = []
        for header in request.headers where header.name.hasPrefix("x-amz-") {
            amz.append((header.name, header.value.trimmingCharacters(in: .whitespaces)))
        }
        for (name, queryValue) in query where name.lowercased().hasPrefix("x-amz-") {
            amz.append((name.lowercased(), queryValue))
        }
        for (name, group) in Dictionary(grouping: amz, by: \.0).sorted(by: { $0.key < $1.key }) {
            text += "\(name):\(group.map(\.1).joined(separator: ","))\n"
        }
        if let virtualHostBucket { text += "/\(virtualHostBucket)" }
        text += request.rawPath
        let subresources = query.filter { signedSubresources.contains($0.name) }.sorted { $0.name < $1.name }
        if !subresources.isEmpty {
            text += "?" + subresources.map { $0.value.isEmpty && !request.rawQuery.contains("\($0.name)=") ? $0.name : "\($0.name)=\($0.value)" }
                .joined(separator: "&")
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: Array(secret.secretAccessKey.utf8)))
        let expected = Data(mac).base64EncodedString()
        guard Bytes.constantTimeEquals(Array(expected.utf8), Array(signature.utf8)) else {
            throw WireError(
                .invalidSignature,
                "The request signature we calculated does not match the signature you provided. Check your key and signing method."
            )
        }
        return SigV4Authentication(
            accessKeyID: keyID, principal: secret.principal, region: "us-east-1", service: "s3", requestTime: expires, presigned: true,
            signingKey: SymmetricKey(size: .bits256), amzDate: "", credentialScope: "", signature: ""
        )
    }
}
