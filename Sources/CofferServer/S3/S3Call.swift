import CofferCore
import CofferIdentity
import CofferS3
import CofferS3Wire
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// One authenticated S3 API call, as the operation handlers see it.
struct S3Call: Sendable {
    let request: Request
    let address: S3Address
    let caller: Caller
    let authentication: SigV4Authentication<Principal>
    let requestID: String
    let s3: S3Service
    /// Largest XML request body read (CompleteMultipartUpload with 10,000 parts fits).
    static let maximumXMLBody = 4 << 20

    /// The addressed bucket (routing guarantees one for bucket and object operations).
    var bucket: String { address.bucket ?? "" }
    /// The addressed key (routing guarantees one for object operations).
    var key: String { address.key ?? "" }

    func header(_ name: HTTPField.Name) -> String? { request.headers[name] }
    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headers[$0] } }
    func query(_ name: String) -> String? { address.query[name] }

    /// The signing context for `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` bodies.
    var chunkSigning: SigV4ChunkSigningContext? {
        try? SigV4ChunkSigningContext(
            signingKey: authentication.signingKey, timestamp: authentication.amzDate, credentialScope: authentication.credentialScope,
            seedSignature: authentication.signature
        )
    }

    /// Collects a small (XML) request body, checking its declared SHA-256 and Content-MD5.
    func collectBody() async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > Self.maximumXMLBody {
            throw S3Error("MaxMessageLengthExceeded", "Your request was too big.")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maximumXMLBody)
        } catch is NIOTooManyBytesError {
            throw S3Error("MaxMessageLengthExceeded", "Your request was too big.")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw S3Error("MaxMessageLengthExceeded", "Your request was too big.")
        }
        var bytes: [UInt8] = []
        _ = try await S3UploadBody.stream(RequestBody(buffer: buffer), headers: request.headers, signing: chunkSigning) { bytes += $0 }
        return bytes
    }

    /// The object's metadata headers of a write: `x-amz-meta-*` (names lowercased) and the stored
    /// content headers.
    var userMetadata: [String: String] {
        var metadata: [String: String] = [:]
        for field in request.headers where field.name.canonicalName.hasPrefix("x-amz-meta-") {
            let name = String(field.name.canonicalName.dropFirst("x-amz-meta-".count))
            metadata[name] = metadata[name].map { "\($0),\(field.value)" } ?? field.value
        }
        return metadata
    }
}

/// S3's responses: XML documents and header-only answers, with S3's request-id headers.
enum S3Responses {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"
    static let requestIDField = HTTPField.Name("x-amz-request-id")!  // Invariant: a valid token.
    static let hostIDField = HTTPField.Name("x-amz-id-2")!  // Invariant: a valid token.

    static func headers(requestID: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[requestIDField] = requestID
        headers[hostIDField] = requestID
        return headers
    }

    static func xml(_ xml: XMLWriter, status: HTTPResponse.Status = .ok, requestID: String, headers extra: HTTPFields = HTTPFields()) -> Response {
        var headers = headers(requestID: requestID)
        headers[.contentType] = "application/xml"
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: xml.bytes)))
    }

    static func empty(status: HTTPResponse.Status = .ok, requestID: String, headers extra: HTTPFields = HTTPFields()) -> Response {
        var headers = headers(requestID: requestID)
        headers.append(contentsOf: extra)
        if status != .noContent, status != .notModified { headers[.contentLength] = "0" }
        return Response(status: status, headers: headers, body: ResponseBody())
    }

    /// An XML timestamp in whole seconds (`...T12:00:00.000Z`), the precision of Last-Modified headers, so
    /// that listings, copy results and HEAD agree on an object's time.
    static func timestamp(_ date: Date) -> String {
        HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    /// The `x-amz-server-side-encryption*` headers of an object.
    static func encryptionHeaders(_ summary: SSESummary, echoContext: Bool) -> HTTPFields {
        var headers = HTTPFields()
        if let algorithm = summary.algorithm { headers[.amzSSE] = algorithm }
        if let arn = summary.kmsKeyARN { headers[.amzSSEKMSKeyID] = arn }
        if echoContext, let context = summary.kmsContext {
            var json = JSONWriter()
            json.beginObject()
            for (name, value) in context.sorted(by: { $0.key < $1.key }) {
                json.key(name)
                json.string(value)
            }
            json.endObject()
            headers[.amzSSEContext] = Data(json.bytes).base64EncodedString()
        }
        if summary.bucketKeyEnabled { headers[.amzSSEBucketKeyEnabled] = "true" }
        if let md5 = summary.customerKeyMD5 {
            headers[.amzSSECustomerAlgorithm] = "AES256"
            headers[.amzSSECustomerKeyMD5] = md5
        }
        return headers
    }
}

extension HTTPField.Name {
    static let amzSSE = HTTPField.Name("x-amz-server-side-encryption")!  // Invariant: a valid token.
    static let amzSSEKMSKeyID = HTTPField.Name("x-amz-server-side-encryption-aws-kms-key-id")!  // Invariant: a valid token.
    static let amzSSEContext = HTTPField.Name("x-amz-server-side-encryption-context")!  // Invariant: a valid token.
    static let amzSSEBucketKeyEnabled = HTTPField.Name("x-amz-server-side-encryption-bucket-key-enabled")!  // Invariant: a valid token.
    static let amzSSECustomerAlgorithm = HTTPField.Name("x-amz-server-side-encryption-customer-algorithm")!  // Invariant: a valid token.
    static let amzSSECustomerKey = HTTPField.Name("x-amz-server-side-encryption-customer-key")!  // Invariant: a valid token.
    static let amzSSECustomerKeyMD5 = HTTPField.Name("x-amz-server-side-encryption-customer-key-MD5")!  // Invariant: a valid token.
    static let amzCopySource = HTTPField.Name("x-amz-copy-source")!  // Invariant: a valid token.
}
