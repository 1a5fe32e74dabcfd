import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// One HTTP request of the KMS client.
public struct KMSHTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header fields in order; names compare case-insensitively.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String = "POST", url: URL, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of a header field.
    public func value(forHTTPHeaderField name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Replaces every value of a header field.
    public mutating func setValue(_ value: String, forHTTPHeaderField name: String) {
        headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        headers.append((name, value))
    }
}

/// One HTTP response: status, header fields and the whole body.
public struct KMSHTTPResponse: Sendable {
    public var statusCode: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(statusCode: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// The first value of a header field.
    public func value(forHTTPHeaderField name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends one HTTP request. The default is `NIOKMSTransport`; tests substitute their own.
/// A transport should throw `KMSClientError` (kind `transport`, `untrustedCertificate`,
/// `configuration` or `invalidResponse`); other errors are reported as `transport` failures.
public protocol KMSHTTPTransport: Sendable {
    func send(_ request: KMSHTTPRequest) async throws -> KMSHTTPResponse
}

/// HTTP/1.1 over SwiftNIO (`NIOPosix` sockets, `NIOSSL` TLS, `NIOHTTP1` framing), one request per
/// connection (`Connection: close`).
///
/// `https` endpoints are verified with full certificate and hostname verification (RFC 6125:
/// the host name against the DNS names of the certificate, an IP address endpoint against its IP
/// addresses); SNI carries the host name, not an IP address. The trust roots are the CA bundle
/// (`AWS_CA_BUNDLE`, a PEM file) when one is given, else the system's default roots. `http`
/// endpoints are sent in clear text.
public final class NIOKMSTransport: KMSHTTPTransport {
    /// PEM file of trusted CA certificates; `nil` for the system's default roots.
    public let caBundle: String?
    /// Limit for establishing the TCP connection.
    public let connectTimeout: Duration
    /// Limit for the whole request: connect, TLS handshake, sending and reading the response.
    public let requestTimeout: Duration
    /// Responses with a larger body fail with `invalidResponse`.
    public let maxResponseBytes: Int
    private let group: any EventLoopGroup
    private let tlsContextCache = Mutex<NIOSSLContext?>(nil)

    public static let defaultMaxResponseBytes = 16 << 20

    public init(caBundle: String? = nil, connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(30),
                maxResponseBytes: Int = NIOKMSTransport.defaultMaxResponseBytes,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.caBundle = caBundle
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = max(0, maxResponseBytes)
        self.group = eventLoopGroup
    }

    /// The TLS client context, built once: TLS 1.2 or later, full verification, the CA bundle's
    /// certificates or the default roots. Throws `configuration` if the bundle cannot be loaded.
    public func tlsContext() throws(KMSClientError) -> NIOSSLContext {
        try tlsContextCache.withLock { (cached: inout NIOSSLContext?) throws(KMSClientError) -> NIOSSLContext in
            if let cached { return cached }
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            configuration.certificateVerification = .fullVerification
            // Bounds the wait for the server's close_notify after a complete response.
            configuration.shutdownTimeout = .seconds(1)
            if let caBundle {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: caBundle, isDirectory: &isDirectory), !isDirectory.boolValue,
                      FileManager.default.isReadableFile(atPath: caBundle) else {
                    throw KMSClientError(.configuration, "AWS_CA_BUNDLE=\(caBundle) is not a readable file")
                }
                configuration.trustRoots = .file(caBundle)
            }
            let context: NIOSSLContext
            do {
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                if let caBundle {
                    throw KMSClientError(.configuration, "AWS_CA_BUNDLE=\(caBundle) holds no usable PEM CA certificates (\(error))")
                }
                throw KMSClientError(.configuration, "cannot set up TLS with the system's trust roots (\(error))")
            }
            cached = context
            return context
        }
    }

    public func send(_ request: KMSHTTPRequest) async throws -> KMSHTTPResponse {
        try await perform(request)
    }

    private func perform(_ request: KMSHTTPRequest) async throws(KMSClientError) -> KMSHTTPResponse {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw KMSClientError(.configuration, "the endpoint \(request.url.absoluteString) is not an http(s) URL")
        }
        guard var host = request.url.host, !host.isEmpty else {
            throw KMSClientError(.configuration, "the endpoint \(request.url.absoluteString) has no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let useTLS = scheme == "https"
        let port = request.url.port ?? (useTLS ? 443 : 80)
        let tls = useTLS ? try tlsContext() : nil
        let isIPAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let serverName: String? = isIPAddress ? nil : host
        let target = Self.requestTarget(request.url)
        let hostHeader = (host.contains(":") ? "[\(host)]" : host) + ((useTLS && port == 443) || (!useTLS && port == 80) ? "" : ":\(port)")
        let endpointText = "\(scheme)://\(hostHeader)"
        let maxResponseBytes = self.maxResponseBytes
        let start = ContinuousClock.now

        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        // A failed handshake closes the channel; the write then fails with "I/O on closed channel". The first
        // error the pipeline saw (the TLS one) is what the caller needs to hear about.
        let firstError = FirstErrorRecorder()
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(min(connectTimeout, requestTimeout)))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                            try channel.pipeline.syncOperations.addHandler(firstError)
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Self.map(error, endpoint: endpointText, caBundle: caBundle, timedOut: false, timeout: connectTimeout)
        }

        // The overall deadline: closing the channel ends the exchange below.
        let remaining = requestTimeout - (ContinuousClock.now - start)
        let flag = TimeoutFlag()
        let nioChannel = channel.channel
        let scheduled = nioChannel.eventLoop.scheduleTask(in: TimeAmount(max(remaining, .milliseconds(1)))) {
            flag.set()
            // Abort: close the socket beneath the TLS handler instead of sending close_notify
            // and waiting for an answer from a server that does not answer.
            if let tlsHandler = try? nioChannel.pipeline.syncOperations.context(handlerType: NIOSSLClientHandler.self) {
                tlsHandler.close(promise: nil)
            } else {
                nioChannel.close(promise: nil)
            }
        }
        defer { scheduled.cancel() }

        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target)
        for field in request.headers { head.headers.add(name: field.name, value: field.value) }
        if !head.headers.contains(name: "Host") { head.headers.add(name: "Host", value: hostHeader) }
        head.headers.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        let requestHead = head

        do {
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(contentsOf: [
                    .head(requestHead), .body(.byteBuffer(ByteBuffer(bytes: request.body))), .end(nil),
                ])
                var responseHead: HTTPResponseHead?
                var body = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        responseHead = head
                        if let length = head.headers.first(name: "Content-Length").flatMap(Int.init), length > maxResponseBytes {
                            throw KMSClientError(.invalidResponse, "the response body (\(length) bytes) exceeds the limit of \(maxResponseBytes) bytes",
                                                 httpStatus: Int(head.status.code))
                        }
                    case .body(var chunk):
                        guard responseHead != nil else { continue }
                        guard body.readableBytes + chunk.readableBytes <= maxResponseBytes else {
                            throw KMSClientError(.invalidResponse, "the response body exceeds the limit of \(maxResponseBytes) bytes",
                                                 httpStatus: responseHead.map { Int($0.status.code) })
                        }
                        body.writeBuffer(&chunk)
                    case .end:
                        guard let head = responseHead else {
                            throw KMSClientError(.invalidResponse, "the server sent a response end without a response head")
                        }
                        // 1xx responses (e.g. 100 Continue) precede the real one.
                        if (100..<200).contains(head.status.code) {
                            responseHead = nil
                            body.clear()
                            continue
                        }
                        return KMSHTTPResponse(statusCode: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) },
                                               body: body.readBytes(length: body.readableBytes) ?? [])
                    }
                }
                throw KMSClientError(.transport, "the connection closed before the response was complete")
            }
        } catch {
            throw Self.map(firstError.error ?? error, endpoint: endpointText, caBundle: caBundle, timedOut: flag.isSet, timeout: requestTimeout)
        }
    }

    /// The origin-form request target: the URL's percent-encoded path (`/` if empty) and query.
    static func requestTarget(_ url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? ""
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery, !query.isEmpty { target += "?" + query }
        return target
    }

    /// Maps a NIO, NIOSSL or socket error to a `KMSClientError`.
    static func map(_ error: any Error, endpoint: String, caBundle: String?, timedOut: Bool, timeout: Duration) -> KMSClientError {
        if timedOut {
            return KMSClientError(.transport, "request to \(endpoint) timed out after \(timeout)")
        }
        if let error = error as? KMSClientError { return error }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch {
            return KMSClientError(.untrustedCertificate, "TLS handshake with \(endpoint) failed: the server certificate does not match the host (\(error))")
        }
        if let error = error as? NIOSSLError {
            if case .handshakeFailed(let inner) = error, String(describing: inner).contains("CERTIFICATE_VERIFY_FAILED") {
                var message = "TLS handshake with \(endpoint) failed: the server certificate is not trusted (\(inner))"
                if let caBundle {
                    message += "; AWS_CA_BUNDLE=\(caBundle) does not hold the CA that issued it"
                } else {
                    message += "; set AWS_CA_BUNDLE to a PEM file with the server's CA certificate"
                }
                return KMSClientError(.untrustedCertificate, message)
            }
            return KMSClientError(.transport, "TLS failure with \(endpoint): \(error)")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return KMSClientError(.transport, "connecting to \(endpoint) timed out after \(timeout)")
        }
        if error is NIOConnectionError {
            return KMSClientError(.transport, "cannot connect to \(endpoint): \(error)")
        }
        if let error = error as? IOError {
            return KMSClientError(.transport, "I/O error with \(endpoint): \(error)")
        }
        return KMSClientError(.transport, "request to \(endpoint) failed: \(error)")
    }
}

/// Set by the timeout task, read after the exchange fails.
private final class TimeoutFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// Remembers the first error that reaches it (and passes every error on).
final class FirstErrorRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny
    private let first = Mutex<(any Error)?>(nil)

    var error: (any Error)? { first.withLock { $0 } }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        first.withLock { if $0 == nil { $0 = error } }
        context.fireErrorCaught(error)
    }
}
