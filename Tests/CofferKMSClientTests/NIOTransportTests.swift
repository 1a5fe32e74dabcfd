import CofferEncryptionSDK
import CofferKMSClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import Testing

/// What the stub server saw.
final class StubRecord: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [String: String]
        var body: [UInt8]
    }

    let requests = Mutex<[Request]>([])
    /// The SNI host name of each TLS handshake (nil: none sent).
    let serverNames = Mutex<[String?]>([])
}

/// How the stub server answers.
enum StubBehaviour: Sendable {
    /// Status and body; the body may contain `{TARGET}`, replaced by the request's X-Amz-Target.
    case respond(status: Int, body: String)
    /// Never answers.
    case silent
}

/// Collects one request and answers it.
final class StubHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let behaviour: StubBehaviour
    let record: StubRecord
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(behaviour: StubBehaviour, record: StubRecord) {
        self.behaviour = behaviour
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body += buffer.readableBytesView
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for field in head.headers { headers[field.name.lowercased()] = field.value }
            record.requests.withLock {
                $0.append(StubRecord.Request(method: head.method.rawValue, uri: head.uri, headers: headers, body: body))
            }
            guard case let .respond(status, text) = behaviour else { return }
            let bytes = Array(text.replacingOccurrences(of: "{TARGET}", with: headers["x-amz-target"] ?? "").utf8)
            var responseHeaders = HTTPHeaders()
            responseHeaders.add(name: "Content-Type", value: "application/x-amz-json-1.1")
            responseHeaders.add(name: "Content-Length", value: String(bytes.count))
            let responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// A local HTTP(S) server on a loopback address and a free port.
struct StubServer {
    let channel: any Channel
    let record: StubRecord
    let host: String
    let port: Int

    static func start(tls: Bool, host: String = "127.0.0.1", behaviour: StubBehaviour) async throws -> StubServer {
        let record = StubRecord()
        var sslContext: NIOSSLContext?
        if tls {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(TLSFixtures.serverCertificatePEM.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(TLSFixtures.serverKeyPEM.utf8), format: .pem)))
            configuration.sslContextCallback = { values, promise in
                record.serverNames.withLock { $0.append(values.serverHostname) }
                promise.succeed(.noChanges)
            }
            sslContext = try NIOSSLContext(configuration: configuration)
        }
        let context = sslContext
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(StubHandler(behaviour: behaviour, record: record))
                }
            }
            .bind(host: host, port: 0).get()
        return StubServer(channel: channel, record: record, host: host, port: channel.localAddress?.port ?? 0)
    }

    func url(_ scheme: String, host: String? = nil) -> URL {
        URL(string: "\(scheme)://\(host ?? self.host):\(port)/")!
    }

    func stop() async throws {
        try await channel.close()
    }
}

/// Writes a PEM string to a temporary file; returns its path.
func temporaryPEM(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-esdk-\(UUID().uuidString).pem").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// The NIO transport against a local NIO server whose certificate comes from a private CA.
@Suite(.serialized) struct NIOTransportTests {
    static let arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    static let success = #"{"KeyId":"{TARGET}","Plaintext":"AQID"}"#

    func client(_ endpoint: URL, transport: any KMSHTTPTransport) -> AWSKMSClient {
        AWSKMSClient(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRET"), defaultRegion: "us-east-1",
                     endpointOverride: endpoint, transport: transport, maxAttempts: 1)
    }

    func decrypt(_ client: AWSKMSClient) async throws -> KMSDecryptResponse {
        try await client.decrypt(KMSDecryptRequest(keyId: Self.arn, ciphertextBlob: [9, 8, 7], encryptionContext: ["a": "b"], grantTokens: []))
    }

    /// AWS_CA_BUNDLE with the private CA: an IP address endpoint (no SNI, IP SAN checked) and a
    /// host name endpoint (SNI = host name, DNS SAN checked).
    @Test func httpsWithCustomCA() async throws {
        let server = try await StubServer.start(tls: true, behaviour: .respond(status: 200, body: Self.success))
        let caFile = try temporaryPEM(TLSFixtures.caPEM)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let environment = AWSEnvironment(variables: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_KMS": server.url("https").absoluteString, "AWS_CA_BUNDLE": caFile,
        ])
        do {
            let viaIP = try AWSKMSClient.fromEnvironment(environment)
            let response = try await decrypt(viaIP)
            #expect(response.keyId == "TrentService.Decrypt")
            #expect(response.plaintext == [1, 2, 3])

            let viaName = client(server.url("https", host: "localhost"), transport: NIOKMSTransport(caBundle: caFile))
            #expect(try await decrypt(viaName).plaintext == [1, 2, 3])
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()

        let requests = server.record.requests.withLock { $0 }
        #expect(requests.count == 2)
        let first = try #require(requests.first)
        #expect(first.method == "POST")
        #expect(first.uri == "/")
        #expect(first.headers["host"] == "127.0.0.1:\(server.port)")
        #expect(first.headers["content-type"] == "application/x-amz-json-1.1")
        #expect(first.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/") == true)
        #expect(first.headers["content-length"] == String(first.body.count))
        let json = try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any]
        #expect(json?["CiphertextBlob"] as? String == "CQgH")
        #expect(requests.last?.headers["host"] == "localhost:\(server.port)")
        #expect(server.record.serverNames.withLock { $0 } == [nil, "localhost"])
    }

    /// AWS errors arrive through the real transport too.
    @Test func awsErrorOverHTTPS() async throws {
        let server = try await StubServer.start(tls: true, behaviour: .respond(status: 400, body: #"{"__type":"DisabledException","message":"key is disabled"}"#))
        let caFile = try temporaryPEM(TLSFixtures.caPEM)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let error = await #expect(throws: KMSClientError.self) {
            _ = try await decrypt(client(server.url("https"), transport: NIOKMSTransport(caBundle: caFile)))
        }
        try await server.stop()
        #expect(error?.kind == .disabled)
        #expect(error?.httpStatus == 400)
        #expect(error?.message == "key is disabled")
    }

    /// Without the CA (system roots) or with an unrelated CA the certificate is not trusted.
    @Test func untrustedWithoutTheCA() async throws {
        let server = try await StubServer.start(tls: true, behaviour: .respond(status: 200, body: Self.success))
        let otherFile = try temporaryPEM(TLSFixtures.otherCAPEM)
        defer { try? FileManager.default.removeItem(atPath: otherFile) }
        let systemRoots = await #expect(throws: KMSClientError.self) {
            _ = try await decrypt(client(server.url("https"), transport: NIOKMSTransport()))
        }
        let otherCA = await #expect(throws: KMSClientError.self) {
            _ = try await decrypt(client(server.url("https"), transport: NIOKMSTransport(caBundle: otherFile)))
        }
        try await server.stop()
        #expect(systemRoots?.kind == .untrustedCertificate, "\(String(describing: systemRoots))")
        #expect(systemRoots?.message.contains("set AWS_CA_BUNDLE") == true)
        #expect(otherCA?.kind == .untrustedCertificate, "\(String(describing: otherCA))")
        #expect(otherCA?.message.contains(otherFile) == true)
        #expect(otherCA?.operation == "Decrypt")
        #expect(server.record.requests.withLock { $0.isEmpty })
    }

    /// The certificate names localhost and 127.0.0.1; at 127.0.0.2 hostname verification fails.
    @Test func hostnameMismatch() async throws {
        let server = try await StubServer.start(tls: true, host: "127.0.0.2", behaviour: .respond(status: 200, body: Self.success))
        let caFile = try temporaryPEM(TLSFixtures.caPEM)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let error = await #expect(throws: KMSClientError.self) {
            _ = try await decrypt(client(server.url("https"), transport: NIOKMSTransport(caBundle: caFile)))
        }
        try await server.stop()
        #expect(error?.kind == .untrustedCertificate)
        #expect(error?.message.contains("does not match") == true)
    }

    @Test func plainHTTP() async throws {
        let server = try await StubServer.start(tls: false, behaviour: .respond(status: 200, body: Self.success))
        let response = try await decrypt(client(server.url("http"), transport: NIOKMSTransport()))
        try await server.stop()
        #expect(response.plaintext == [1, 2, 3])
        #expect(server.record.requests.withLock { $0.first?.headers["host"] } == "127.0.0.1:\(server.port)")
    }

    @Test func responseSizeLimit() async throws {
        let big = #"{"KeyId":"k","Plaintext":"\#(String(repeating: "A", count: 4096))"}"#
        let server = try await StubServer.start(tls: false, behaviour: .respond(status: 200, body: big))
        let error = await #expect(throws: KMSClientError.self) {
            _ = try await decrypt(client(server.url("http"), transport: NIOKMSTransport(maxResponseBytes: 1024)))
        }
        try await server.stop()
        #expect(error?.kind == .invalidResponse)
        #expect(error?.message.contains("1024") == true)
    }

    @Test func requestTimeout() async throws {
        let server = try await StubServer.start(tls: true, behaviour: .silent)
        let caFile = try temporaryPEM(TLSFixtures.caPEM)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let start = ContinuousClock.now
        let error = await #expect(throws: KMSClientError.self) {
            _ = try await decrypt(client(server.url("https"), transport: NIOKMSTransport(caBundle: caFile, requestTimeout: .milliseconds(300))))
        }
        let elapsed = ContinuousClock.now - start
        try await server.stop()
        #expect(error?.kind == .transport)
        #expect(error?.message.contains("timed out") == true)
        #expect(elapsed < .seconds(3))
    }

    @Test func connectionRefused() async throws {
        // Bind and close to find a port nobody listens on.
        let server = try await StubServer.start(tls: false, behaviour: .silent)
        try await server.stop()
        let error = await #expect(throws: KMSClientError.self) {
            _ = try await decrypt(client(server.url("http"), transport: NIOKMSTransport()))
        }
        #expect(error?.kind == .transport)
        #expect(error?.isRetryable == true)
    }

    /// A CA bundle that is missing or holds no certificate fails when the client is configured.
    @Test func unusableCABundle() throws {
        let garbage = try temporaryPEM("not a certificate\n")
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        for path in ["/nonexistent/ca.pem", garbage, FileManager.default.temporaryDirectory.path] {
            let environment = AWSEnvironment(variables: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_CA_BUNDLE": path])
            let error = #expect(throws: KMSClientError.self) { try AWSKMSClient.fromEnvironment(environment) }
            #expect(error?.kind == .configuration)
            #expect(error?.message.contains(path) == true)
        }
    }
}
