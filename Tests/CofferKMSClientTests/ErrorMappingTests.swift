import CofferEncryptionSDK
import CofferKMSClient
import Foundation
import Synchronization
import Testing

/// Answers every request with a canned status and body, and records the requests.
final class CannedTransport: KMSHTTPTransport {
    let status: Int
    let body: String
    let requests = Mutex<[KMSHTTPRequest]>([])

    init(status: Int, body: String) {
        self.status = status
        self.body = body
    }

    func send(_ request: KMSHTTPRequest) async throws -> KMSHTTPResponse {
        requests.withLock { $0.append(request) }
        return KMSHTTPResponse(statusCode: status, headers: [("Content-Type", "application/x-amz-json-1.1")], body: Array(body.utf8))
    }
}

@Suite struct ErrorMappingTests {
    static let arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"

    func client(_ transport: CannedTransport) -> AWSKMSClient {
        AWSKMSClient(credentials: AWSCredentials(accessKeyID: "a", secretAccessKey: "b"), defaultRegion: "us-east-1",
                     endpointOverride: URL(string: "https://127.0.0.1:1")!, transport: transport, maxAttempts: 2)
    }

    @Test(arguments: [
        ("com.amazonaws.kms#DisabledException", KMSClientError.Kind.disabled),
        ("NotFoundException", .notFound),
        ("AccessDeniedException", .accessDenied),
        ("InvalidCiphertextException", .invalidCiphertext),
        ("KMSInvalidStateException", .invalidState),
        ("IncorrectKeyException", .incorrectKey),
        ("UnrecognizedClientException", .authenticationFailed),
        ("InvalidSignatureException", .authenticationFailed),
        ("ValidationException", .invalidRequest),
        ("SomethingNew", .other),
    ])
    func mapsAWSErrorTypes(type: String, kind: KMSClientError.Kind) async throws {
        let transport = CannedTransport(status: 400, body: #"{"__type":"\#(type)","message":"explained"}"#)
        let error = await #expect(throws: KMSClientError.self) {
            _ = try await client(transport).decrypt(KMSDecryptRequest(keyId: Self.arn, ciphertextBlob: [1, 2], encryptionContext: [:], grantTokens: []))
        }
        #expect(error?.kind == kind)
        #expect(error?.message == "explained")
        #expect(error?.operation == "Decrypt")
        #expect(error?.description.contains("explained") == true)
    }

    @Test func retriesThrottlingThenFails() async {
        let transport = CannedTransport(status: 400, body: #"{"__type":"ThrottlingException","message":"slow down"}"#)
        let error = await #expect(throws: KMSClientError.self) {
            _ = try await client(transport).encrypt(KMSEncryptRequest(keyId: Self.arn, plaintext: [1], encryptionContext: [:], grantTokens: []))
        }
        #expect(error?.kind == .throttled)
        #expect(transport.requests.withLock { $0.count } == 2)
    }

    @Test func successParsesBlobs() async throws {
        let transport = CannedTransport(status: 200, body: #"{"KeyId":"\#(Self.arn)","Plaintext":"AQID","CiphertextBlob":"BAU="}"#)
        let response = try await client(transport).generateDataKey(
            KMSGenerateDataKeyRequest(keyId: Self.arn, numberOfBytes: 3, encryptionContext: ["a": "b"], grantTokens: ["g"]))
        #expect(response.plaintext == [1, 2, 3])
        #expect(response.ciphertextBlob == [4, 5])
        let sent = try #require(transport.requests.withLock { $0.first })
        let json = try JSONSerialization.jsonObject(with: Data(sent.body)) as? [String: Any]
        #expect(json?["NumberOfBytes"] as? Int == 3)
        #expect((json?["EncryptionContext"] as? [String: String]) == ["a": "b"])
        #expect((json?["GrantTokens"] as? [String]) == ["g"])
        #expect(sent.value(forHTTPHeaderField: "Content-Type") == "application/x-amz-json-1.1")
    }

    /// The keyring surfaces the KMS error as the cause of its ESDKError.
    @Test func keyringSurfacesDisabledKey() async throws {
        let transport = CannedTransport(status: 400, body: #"{"__type":"DisabledException","message":"key is disabled"}"#)
        let keyring = try AwsKmsKeyring(keyId: Self.arn, client: client(transport))
        let encryptError = await #expect(throws: ESDKError.self) {
            _ = try await EncryptionSDK().encrypt([1, 2, 3], keyring: keyring)
        }
        #expect((encryptError?.cause as? KMSClientError)?.kind == .disabled)
    }
}
