import CofferCore
import CofferS3
import CofferWire
import Foundation
import HTTPTypes

/// The server-side-encryption request headers, validated as S3 validates them.
enum S3EncryptionHeaders {
    /// What a write asks for (PutObject, CopyObject destination, CreateMultipartUpload).
    static func write(_ headers: HTTPFields, secureTransport: Bool) throws -> SSERequest {
        let customer = try customerKey(headers, secureTransport: secureTransport, prefix: "x-amz-server-side-encryption-customer-")
        let algorithm = headers[.amzSSE]
        let keyID = headers[.amzSSEKMSKeyID]
        let contextHeader = headers[.amzSSEContext]
        let bucketKey = try headers[.amzSSEBucketKeyEnabled].map { value -> Bool in
            switch value.lowercased() {
            case "true": return true
            case "false": return false
            default: throw S3Error.invalidArgument("x-amz-server-side-encryption-bucket-key-enabled must be true or false.")
            }
        }
        if let customer {
            guard algorithm == nil, keyID == nil, contextHeader == nil else {
                throw S3Error.invalidArgument("Server Side Encryption with Customer provided key is incompatible with the encryption method specified")
            }
            return .customer(key: customer)
        }
        switch algorithm {
        case nil:
            guard keyID == nil, contextHeader == nil else {
                throw S3Error.invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
            }
            return .bucketDefault
        case "AES256"?:
            guard keyID == nil, contextHeader == nil else {
                throw S3Error.invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms")
            }
            return .s3
        case "aws:kms"?:
            return .kms(keyID: keyID, context: try context(contextHeader), bucketKey: bucketKey)
        case "aws:kms:dsse"?:
            throw S3Error("NotImplemented", "Dual-layer server-side encryption (aws:kms:dsse) is not supported by this server.")
        case let other?:
            throw S3Error.invalidArgument("The encryption method specified is not supported: \(other.prefix(64))")
        }
    }

    /// The SSE-C key a read (or a multipart part) carries, if any.
    static func customerKey(_ headers: HTTPFields, secureTransport: Bool, prefix: String) throws -> [UInt8]? {
        func field(_ suffix: String) -> String? { HTTPField.Name(prefix + suffix).flatMap { headers[$0] } }
        let algorithm = field("algorithm")
        let key = field("key")
        let md5 = field("key-MD5")
        guard algorithm != nil || key != nil || md5 != nil else { return nil }
        guard secureTransport else {
            throw S3Error.invalidRequest("Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.")
        }
        guard let algorithm else {
            throw S3Error.invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.")
        }
        guard algorithm == "AES256" else {
            throw S3Error("InvalidEncryptionAlgorithmError", "The Encryption request you specified is not valid. Supported value: AES256.")
        }
        guard let key, let bytes = Data(base64Encoded: key), bytes.count == 32 else {
            throw S3Error.invalidArgument("The secret key was invalid for the specified algorithm.")
        }
        let keyBytes = Array(bytes)
        guard let md5 else {
            throw S3Error.invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key md5.")
        }
        guard Bytes.constantTimeEquals(Array(ObjectKeyring.base64MD5(keyBytes).utf8), Array(md5.utf8)) else {
            throw S3Error.invalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.")
        }
        return keyBytes
    }

    /// `x-amz-server-side-encryption-context`: base64 of a JSON object of strings.
    static func context(_ header: String?) throws -> [String: String] {
        guard let header else { return [:] }
        guard let data = Data(base64Encoded: header), let value = try? JSONParser.parse(Array(data)), case .object(let members) = value else {
            throw S3Error.invalidArgument("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map")
        }
        var context: [String: String] = [:]
        for (name, value) in members {
            guard case .string(let text) = value else {
                throw S3Error.invalidArgument("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map")
            }
            guard !name.hasPrefix("aws:") else { throw S3Error.invalidArgument("Encryption context keys cannot start with 'aws:'.") }
            context[name] = text
        }
        return context
    }
}
