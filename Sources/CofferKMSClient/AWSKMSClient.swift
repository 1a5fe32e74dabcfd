import CofferEncryptionSDK
import Foundation

/// An AWS KMS client (JSON 1.1 protocol, `TrentService`, Signature Version 4) for the SDK's
/// KMS keyrings; works against AWS KMS and KMS-compatible servers such as Coffer.
///
/// Per request the region is the one in the key ARN, else the default region; the endpoint is the
/// override (`AWS_ENDPOINT_URL_KMS` / `AWS_ENDPOINT_URL`), else `https://kms.REGION.amazonaws.com`
/// (`amazonaws.com.cn` for the `aws-cn` partition).
public struct AWSKMSClient: KMSClient {
    public let credentials: AWSCredentials
    public let defaultRegion: String?
    public let endpointOverride: URL?
    public let transport: any KMSHTTPTransport
    /// Attempts per call for throttling, 5xx and transport failures.
    public let maxAttempts: Int
    /// The PEM CA bundle (`AWS_CA_BUNDLE`) the default transport trusts instead of the system roots.
    public let caBundle: String?

    /// Without a `transport`, requests go through a `NIOKMSTransport` that trusts `caBundle` (or,
    /// without one, the system's default roots).
    public init(credentials: AWSCredentials, defaultRegion: String?, endpointOverride: URL? = nil,
                transport: (any KMSHTTPTransport)? = nil, maxAttempts: Int = 3, caBundle: String? = nil) {
        self.credentials = credentials
        self.defaultRegion = defaultRegion
        self.endpointOverride = endpointOverride
        self.transport = transport ?? NIOKMSTransport(caBundle: caBundle)
        self.maxAttempts = max(1, maxAttempts)
        self.caBundle = caBundle
    }

    /// A client configured from the environment: credentials (environment, then shared
    /// credentials file and `AWS_PROFILE`), `AWS_REGION`/`AWS_DEFAULT_REGION`, the endpoint
    /// overrides and `AWS_CA_BUNDLE`.
    public static func fromEnvironment(_ environment: AWSEnvironment = AWSEnvironment(),
                                       transport: (any KMSHTTPTransport)? = nil) throws(KMSClientError) -> AWSKMSClient {
        let credentials = try environment.credentials()
        let endpoint = try environment.kmsEndpointOverride()
        let caBundle = environment.caBundle
        var chosen = transport
        if chosen == nil {
            let nio = NIOKMSTransport(caBundle: caBundle)
            // Load the bundle now, so that a bad AWS_CA_BUNDLE fails before any request.
            if caBundle != nil { _ = try nio.tlsContext() }
            chosen = nio
        }
        return AWSKMSClient(credentials: credentials, defaultRegion: environment.region, endpointOverride: endpoint,
                            transport: chosen, caBundle: caBundle)
    }

    // MARK: KMSClient

    public func generateDataKey(_ request: KMSGenerateDataKeyRequest) async throws -> KMSGenerateDataKeyResponse {
        var body: [String: Any] = ["KeyId": request.keyId, "NumberOfBytes": request.numberOfBytes]
        addCommon(&body, request.encryptionContext, request.grantTokens)
        let json = try await call("GenerateDataKey", keyID: request.keyId, body: body)
        return KMSGenerateDataKeyResponse(
            keyId: try string(json, "KeyId", "GenerateDataKey"),
            plaintext: try blob(json, "Plaintext", "GenerateDataKey"),
            ciphertextBlob: try blob(json, "CiphertextBlob", "GenerateDataKey"))
    }

    public func encrypt(_ request: KMSEncryptRequest) async throws -> KMSEncryptResponse {
        var body: [String: Any] = ["KeyId": request.keyId, "Plaintext": Data(request.plaintext).base64EncodedString()]
        addCommon(&body, request.encryptionContext, request.grantTokens)
        let json = try await call("Encrypt", keyID: request.keyId, body: body)
        return KMSEncryptResponse(keyId: try string(json, "KeyId", "Encrypt"), ciphertextBlob: try blob(json, "CiphertextBlob", "Encrypt"))
    }

    public func decrypt(_ request: KMSDecryptRequest) async throws -> KMSDecryptResponse {
        var body: [String: Any] = ["KeyId": request.keyId, "CiphertextBlob": Data(request.ciphertextBlob).base64EncodedString()]
        addCommon(&body, request.encryptionContext, request.grantTokens)
        let json = try await call("Decrypt", keyID: request.keyId, body: body)
        return KMSDecryptResponse(keyId: try string(json, "KeyId", "Decrypt"), plaintext: try blob(json, "Plaintext", "Decrypt"))
    }

    // MARK: Request plumbing

    private func addCommon(_ body: inout [String: Any], _ context: [String: String], _ grantTokens: [String]) {
        if !context.isEmpty { body["EncryptionContext"] = context }
        if !grantTokens.isEmpty { body["GrantTokens"] = grantTokens }
    }

    /// The region and endpoint for a key ID.
    public func route(for keyID: String) throws(KMSClientError) -> (region: String, endpoint: URL) {
        let arn = KMSKeyARN(keyID)
        guard let region = arn?.region ?? defaultRegion else {
            throw KMSClientError(.configuration, "no region: the key ID is not an ARN and AWS_REGION/AWS_DEFAULT_REGION is not set", keyID: keyID)
        }
        if let endpointOverride { return (region, endpointOverride) }
        let domain = arn?.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"
        guard let url = URL(string: "https://kms.\(region).\(domain)/") else {
            throw KMSClientError(.configuration, "region '\(region)' does not form a valid endpoint URL", keyID: keyID)
        }
        return (region, url)
    }

    /// Builds the signed request for one operation (exposed for tests).
    public func makeRequest(operation: String, keyID: String, body: [UInt8], date: Date = Date()) throws(KMSClientError) -> KMSHTTPRequest {
        let (region, endpoint) = try route(for: keyID)
        guard let host = endpoint.host else { throw KMSClientError(.configuration, "the endpoint URL has no host") }
        var hostHeader = host.contains(":") ? "[\(host)]" : host
        if let port = endpoint.port, !(endpoint.scheme == "https" && port == 443) && !(endpoint.scheme == "http" && port == 80) {
            hostHeader += ":\(port)"
        }
        let path = endpoint.path.isEmpty ? "/" : endpoint.path
        let amzDate = SigV4Signer.amzDate(date)
        var headers = [
            SigV4Pair("Content-Type", "application/x-amz-json-1.1"),
            SigV4Pair("Host", hostHeader),
            SigV4Pair("X-Amz-Date", amzDate),
            SigV4Pair("X-Amz-Target", "TrentService.\(operation)"),
        ]
        if let token = credentials.sessionToken { headers.append(SigV4Pair("X-Amz-Security-Token", token)) }
        let signer = SigV4Signer(credentials: credentials, region: region, service: "kms")
        let signature = signer.sign(SigV4Request(method: "POST", path: path, headers: headers, body: body), amzDate: amzDate)
        var fields = headers.map { (name: $0.name, value: $0.value) }
        fields.append(("Authorization", signature.authorization))
        fields.append(("User-Agent", "coffer-esdk-swift/1"))
        return KMSHTTPRequest(method: "POST", url: endpoint, headers: fields, body: body)
    }

    private func call(_ operation: String, keyID: String, body: [String: Any]) async throws(KMSClientError) -> [String: Any] {
        let payload: [UInt8]
        do {
            payload = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        } catch {
            throw KMSClientError(.invalidRequest, "the request cannot be serialized", operation: operation, keyID: keyID)
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await callOnce(operation, keyID: keyID, payload: payload)
            } catch {
                guard error.isRetryable, attempt < maxAttempts else { throw error }
                try? await Task.sleep(for: .milliseconds(100 << attempt))
            }
        }
    }

    private func callOnce(_ operation: String, keyID: String, payload: [UInt8]) async throws(KMSClientError) -> [String: Any] {
        let request = try makeRequest(operation: operation, keyID: keyID, body: payload)
        let response: KMSHTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as KMSClientError {
            var error = error
            error.operation = operation
            error.keyID = keyID
            throw error
        } catch {
            throw transportError(error, operation: operation, keyID: keyID)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        guard (200..<300).contains(response.statusCode) else {
            let headerType = response.value(forHTTPHeaderField: "x-amzn-ErrorType")
            let type = (object?["__type"] as? String) ?? headerType
            let message = (object?["message"] as? String) ?? (object?["Message"] as? String) ?? ""
            if let type {
                let name = KMSClientError.normalizedType(type)
                throw KMSClientError(KMSClientError.kind(forAWSErrorType: name), String(message.prefix(500)), awsErrorType: name,
                                     httpStatus: response.statusCode, operation: operation, keyID: keyID)
            }
            let kind: KMSClientError.Kind = response.statusCode >= 500 ? .serviceFailure : (response.statusCode == 403 ? .accessDenied : .other)
            throw KMSClientError(kind, "HTTP \(response.statusCode) without an AWS error type", httpStatus: response.statusCode,
                                 operation: operation, keyID: keyID)
        }
        guard let object else {
            throw KMSClientError(.invalidResponse, "the response body is not a JSON object", httpStatus: response.statusCode,
                                 operation: operation, keyID: keyID)
        }
        return object
    }

    /// A failure of a custom transport that did not throw a `KMSClientError`.
    private func transportError(_ error: any Error, operation: String, keyID: String) -> KMSClientError {
        KMSClientError(.transport, "request failed: \(error)", operation: operation, keyID: keyID)
    }

    private func string(_ json: [String: Any], _ field: String, _ operation: String) throws(KMSClientError) -> String {
        guard let value = json[field] as? String, !value.isEmpty else {
            throw KMSClientError(.invalidResponse, "the response lacks \(field)", operation: operation)
        }
        return value
    }

    private func blob(_ json: [String: Any], _ field: String, _ operation: String) throws(KMSClientError) -> [UInt8] {
        guard let text = json[field] as? String, let data = Data(base64Encoded: text) else {
            throw KMSClientError(.invalidResponse, "the response lacks a base64 \(field)", operation: operation)
        }
        return Array(data)
    }
}
