import CofferCore
import CofferIdentity
import CofferKMS
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The whole HTTP surface: `/health`, test mode's reset, and AWS API requests routed by
/// `X-Amz-Target` and the SigV4 credential scope's service.
///
/// No business rules here: authenticate, pick the operation, render the result or the error.
struct CofferResponder: HTTPResponder {
    typealias Context = CofferRequestContext

    let kms: KMSService
    let identity: IdentityService
    let verifier: SigV4Verifier
    let maximumBodySize: Int
    /// The cryptographic request quota, when one is configured.
    let quota: RequestQuota?
    /// Set in test mode only: the KMS clock that `POST /coffer-test/advance-clock` moves.
    let testClock: AdjustableWallClock?
    /// Whether this responder serves the TLS listener (`aws:SecureTransport`).
    var secureTransport: Bool
    let logger: Logger
    let requestIDs = RequestIDGenerator()

    static let requestIDField = HTTPField.Name("x-amzn-RequestId")!  // Invariant: a valid token.
    static let kmsTargetPrefix = "TrentService."

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestID = requestIDs.next()
        let rawPath = request.head.path ?? "/"
        let pathOnly = rawPath.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"

        if request.method == .get, pathOnly == "/health" {
            return Self.response(status: 200, body: Array("{\"status\":\"ok\"}".utf8), requestID: requestID)
        }
        if let testClock, request.method == .post, pathOnly == "/coffer-test/advance-clock" {
            return await advanceClock(testClock, seconds: request.uri.queryParameters["seconds"].flatMap { Double(String($0)) }, requestID: requestID)
        }
        if testClock != nil, request.method == .post, pathOnly == "/moto-api/reset" {
            do {
                try await kms.removeAll()
                logger.info("test mode: all KMS state reset", metadata: ["request-id": "\(requestID)"])
                return Self.response(status: 200, body: Array("{\"status\":\"ok\"}".utf8), requestID: requestID)
            } catch {
                return renderError(error, requestID: requestID, operation: "Reset", logger: logger)
            }
        }

        var request = request
        var operation = "-"
        let target = request.headers[values: HTTPField.Name.amzTarget].first
        // IAM and STS speak the Query protocol (form-encoded, XML answers), errors included.
        let queryNamespace = target == nil ? Self.queryNamespace(request) : nil
        do {
            let tooLarge = WireError(.requestTooLarge, "Request body exceeds the maximum size of \(maximumBodySize) bytes.")
            if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBodySize { throw tooLarge }
            let body: [UInt8]
            do {
                body = Array(try await request.collectBody(upTo: maximumBodySize).readableBytesView)
            } catch is NIOTooManyBytesError {
                throw tooLarge
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw tooLarge
            }
            let signed = Self.sigV4Request(request, rawPath: rawPath, body: body)
            operation = target ?? "-"
            let isKMS = target?.hasPrefix(Self.kmsTargetPrefix) ?? false
            let authentication = try await authenticate(signed, expectedService: isKMS ? "kms" : nil)
            guard let region = Region(authentication.region) else {
                throw WireError(.invalidSignature, "Credential should be scoped to a valid region, not '\(authentication.region)'.")
            }
            let principal = authentication.principal
            let caller = Caller(
                account: principal.account, principalARN: principal.arn, accessKeyID: principal.accessKeyID, region: region,
                kind: principal.kind, userID: principal.userID, userName: principal.userName, roleARN: principal.roleARN,
                principalTags: principal.tags, sourceIP: context.sourceIP, secureTransport: secureTransport
            )

            if target == nil, let service = QueryServices.service(named: authentication.service) {
                let form = request.method == .get ? (rawPath.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "") : String(decoding: body, as: UTF8.self)
                let parameters = try FormParameters(form: form)
                operation = "\(authentication.service):\(parameters.action ?? "-")"
                guard let action = parameters.action, let handler = service.operations[action] else {
                    throw WireError(.unknownOperation, "Could not find operation \(parameters.action ?? "(none)") for version \(parameters["Version"] ?? "(none)")")
                }
                var call = QueryCall(caller: caller, parameters: parameters, identity: identity)
                try await handler(&call)
                logger.debug("request", metadata: ["request-id": "\(requestID)", "operation": "\(operation)", "status": "200", "access-key": "\(principal.accessKeyID)"])
                return Self.queryResponse(action: action, namespace: service.namespace, result: call.result, requestID: requestID)
            }
            guard let target else {
                if authentication.service == "kms" {
                    throw WireError(.unknownOperation, "The request has no X-Amz-Target header; KMS requests name their operation as X-Amz-Target: TrentService.<Operation>.")
                }
                throw WireError(.unknownOperation, "The service '\(authentication.service)' is not available on this server yet.")
            }
            let action = String(target.dropFirst(Self.kmsTargetPrefix.count))
            guard isKMS, let handler = KMSOperations.table[action] else {
                throw WireError(.unknownOperation, "Unrecognized operation \(target)")
            }
            if let quota, KMSOperations.cryptographic.contains(action) { try quota.admit(caller) }
            var call = KMSCall(caller: caller, fields: try RequestFields(body: body), kms: kms)
            let responseBody = try await handler(&call)
            if !call.usedKeys.isEmpty { kms.recordUse(of: call.usedKeys, operation: action, requestID: requestID) }
            logger.debug("request", metadata: ["request-id": "\(requestID)", "operation": "\(target)", "status": "200", "access-key": "\(principal.accessKeyID)"])
            return Self.response(status: 200, body: responseBody, requestID: requestID)
        } catch {
            if let queryNamespace {
                return renderQueryError(error, namespace: queryNamespace, requestID: requestID, operation: operation)
            }
            return renderError(error, requestID: requestID, operation: operation, logger: logger)
        }
    }

    /// Test mode: moves the KMS clock forward by `?seconds=N` and runs due rotations and deletions.
    private func advanceClock(_ clock: AdjustableWallClock, seconds: Double?, requestID: String) async -> Response {
        guard let seconds, seconds.isFinite, seconds >= 0 else {
            return renderError(WireError(.validation, "advance-clock needs ?seconds=N with N >= 0"), requestID: requestID, operation: "AdvanceClock", logger: logger)
        }
        clock.advance(by: seconds)
        do {
            let (rotated, deleted) = try await kms.runDueLifecycle()
            let body = "{\"now\":\(clock.now().timeIntervalSince1970),\"rotated\":\(rotated),\"deleted\":\(deleted)}"
            return Self.response(status: 200, body: Array(body.utf8), requestID: requestID)
        } catch {
            return renderError(error, requestID: requestID, operation: "AdvanceClock", logger: logger)
        }
    }

    private func authenticate(_ request: SigV4Request, expectedService: String?) async throws -> SigV4Authentication<Principal> {
        try await verifier.verify(request, expectedService: expectedService) { accessKeyID, sessionToken in
            guard let credential = try await identity.credential(accessKeyID: accessKeyID, sessionToken: sessionToken) else { return nil }
            return SigV4Secret(secretAccessKey: credential.secret, principal: credential.principal)
        }
    }

    private func renderError(_ error: any Error, requestID: String, operation: String, logger: Logger) -> Response {
        let description = AWSErrorTable.describe(error)
        logFailure(error, description, requestID: requestID, operation: operation, logger: logger)
        var json = JSONWriter()
        json.beginObject()
        json.key("__type"); json.string(description.name)
        json.key("message"); json.string(description.message)
        json.endObject()
        return Self.response(status: description.status, body: json.bytes, requestID: requestID)
    }

    /// Server faults are logged as errors (with the error's type and detail); refusals at debug level.
    func logFailure(_ error: any Error, _ description: AWSErrorDescription, requestID: String, operation: String, logger: Logger) {
        if description.isServerFault {
            logger.error("request failed", metadata: ["request-id": "\(requestID)", "operation": "\(operation)", "error": "\(String(reflecting: type(of: error)))", "detail": "\(error)"])
        } else {
            logger.debug("request refused", metadata: ["request-id": "\(requestID)", "operation": "\(operation)", "status": "\(description.status)", "error": "\(description.name)"])
        }
    }

    static func response(status: Int, body: [UInt8], requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-amz-json-1.1"
        headers[requestIDField] = requestID
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The SigV4 view of a request. HTTP/1.1's Host header arrives as the `:authority`
    /// pseudo-header, so it is put back under its signed name.
    static func sigV4Request(_ request: Request, rawPath: String, body: [UInt8]) -> SigV4Request {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count + 1)
        if let authority = request.head.authority { headers.append(("host", authority)) }
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        let parts = rawPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return SigV4Request(
            method: request.method.rawValue, rawPath: String(parts[0]), rawQuery: parts.count > 1 ? String(parts[1]) : "",
            headers: headers, body: body
        )
    }
}

extension HTTPField.Name {
    static let amzTarget = HTTPField.Name("X-Amz-Target")!  // Invariant: a valid token.
}
