import CofferAudit
import CofferCore
import CofferIdentity
import CofferKMS
import CofferObjectStore
import CofferS3
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
    let s3: S3Service
    let identity: IdentityService
    let verifier: SigV4Verifier
    let maximumBodySize: Int
    /// The cryptographic request quota, when one is configured.
    let quota: RequestQuota?
    /// Records every API call before its answer goes out.
    let audit: AuditRecorder
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
                try await s3.objects.removeAll()
                logger.info("test mode: all KMS and S3 state reset", metadata: ["request-id": "\(requestID)"])
                return Self.response(status: 200, body: Array("{\"status\":\"ok\"}".utf8), requestID: requestID)
            } catch {
                return renderError(error, requestID: requestID, operation: "Reset", logger: logger)
            }
        }

        let draft = AuditDraft(
            requestID: requestID, eventTime: Date(), sourceIP: context.sourceIP, userAgent: request.headers[.userAgent],
            host: request.head.authority, tlsVersion: audit.trail != nil && secureTransport ? await context.tlsVersion() : nil
        )
        let target = request.headers[values: HTTPField.Name.amzTarget].first
        // IAM and STS speak the Query protocol (form-encoded, XML answers), errors included.
        let queryNamespace = target == nil ? Self.queryNamespace(request) : nil
        let isS3 = Self.isS3Request(request, target: target, queryNamespace: queryNamespace)
        let response = await KMSService.$touchedKeys.withValue(draft.touchedKeys) {
            isS3
                ? await s3Response(request, rawPath: rawPath, context: context, draft: draft)
                : await apiResponse(request, rawPath: rawPath, target: target, queryNamespace: queryNamespace, context: context, draft: draft)
        }
        do {
            try await audit.record(draft)
            return response
        } catch {
            if isS3 { return Self.s3ErrorResponse(AWSErrorTable.describeS3(error), address: nil, requestID: requestID, head: request.method == .head) }
            if let queryNamespace { return renderQueryError(error, namespace: queryNamespace, requestID: requestID, operation: draft.snapshot.eventName) }
            return renderError(error, requestID: requestID, operation: draft.snapshot.eventName, logger: logger)
        }
    }

    /// Authenticates and dispatches one AWS API call, noting in `draft` what its audit event needs.
    private func apiResponse(
        _ request: Request, rawPath: String, target: String?, queryNamespace: String?, context: Context, draft: AuditDraft
    ) async -> Response {
        var request = request
        let requestID = draft.requestID
        var operation = "-"
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
            let isCloudTrail = target?.hasPrefix(CloudTrailOperations.targetPrefix) ?? false
            draft.update { state in
                if isKMS, let target { (state.service, state.eventName) = ("kms", String(target.dropFirst(Self.kmsTargetPrefix.count))) }
                if isCloudTrail, let target { (state.service, state.eventName) = ("cloudtrail", String(target.dropFirst(CloudTrailOperations.targetPrefix.count))) }
            }
            let authentication = try await authenticate(signed, expectedService: isKMS ? "kms" : (isCloudTrail ? "cloudtrail" : nil))
            guard let region = Region(authentication.region) else {
                throw WireError(.invalidSignature, "Credential should be scoped to a valid region, not '\(authentication.region)'.")
            }
            let principal = authentication.principal
            let caller = makeCaller(principal, region: region, context: context)
            draft.update { $0.caller = caller }

            if target == nil, let service = QueryServices.service(named: authentication.service) {
                let form = request.method == .get ? (rawPath.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "") : String(decoding: body, as: UTF8.self)
                let parameters = try FormParameters(form: form)
                operation = "\(authentication.service):\(parameters.action ?? "-")"
                draft.update { state in
                    state.service = authentication.service
                    state.eventName = parameters.action ?? "Unknown"
                    state.formParameters = parameters
                }
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
            if isCloudTrail {
                let action = String(target.dropFirst(CloudTrailOperations.targetPrefix.count))
                let fields = try RequestFields(body: body)
                draft.update { $0.requestMembers = fields.allMembers }
                guard let trail = audit.trail, let handler = CloudTrailOperations.table[action] else {
                    throw WireError(.unknownOperation, audit.trail == nil ? "The audit trail is off on this server (--audit off)." : "Unrecognized operation \(target)")
                }
                var call = CloudTrailCall(caller: caller, fields: fields, trail: trail, identity: identity)
                return Self.response(status: 200, body: try await handler(&call), requestID: requestID)
            }
            let action = String(target.dropFirst(Self.kmsTargetPrefix.count))
            guard isKMS, let handler = KMSOperations.table[action] else {
                throw WireError(.unknownOperation, "Unrecognized operation \(target)")
            }
            if let quota, KMSOperations.cryptographic.contains(action) { try quota.admit(caller) }
            var call = KMSCall(caller: caller, fields: try RequestFields(body: body), kms: kms)
            draft.update { $0.requestMembers = call.fields.allMembers }
            let responseBody = try await handler(&call)
            if !call.usedKeys.isEmpty { kms.recordUse(of: call.usedKeys, operation: action, requestID: requestID) }
            logger.debug("request", metadata: ["request-id": "\(requestID)", "operation": "\(target)", "status": "200", "access-key": "\(principal.accessKeyID)"])
            return Self.response(status: 200, body: responseBody, requestID: requestID)
        } catch {
            if draft.snapshot.caller == nil { await noteUnverifiedCaller(request, draft: draft) }
            if let queryNamespace {
                draft.update { state in
                    state.error = AWSErrorTable.describeQuery(error, sts: queryNamespace == Self.stsNamespace)
                    if state.service == nil { state.service = queryNamespace == Self.stsNamespace ? "sts" : "iam" }
                }
                return renderQueryError(error, namespace: queryNamespace, requestID: requestID, operation: operation)
            }
            draft.update { $0.error = AWSErrorTable.describe(error) }
            return renderError(error, requestID: requestID, operation: operation, logger: logger)
        }
    }

    /// The domain's view of an authenticated principal on this listener.
    func makeCaller(_ principal: Principal, region: Region, context: Context) -> Caller {
        Caller(
            account: principal.account, principalARN: principal.arn, accessKeyID: principal.accessKeyID, region: region,
            kind: principal.kind, userID: principal.userID, userName: principal.userName, roleARN: principal.roleARN,
            principalTags: principal.tags, sourceIP: context.sourceIP, secureTransport: secureTransport
        )
    }

    /// For a call that failed before authentication completed: the access key, account and region
    /// it claimed (the account only if the key is known), so its audit event lands in that account.
    func noteUnverifiedCaller(_ request: Request, draft: AuditDraft) async {
        let credential = request.headers[.authorization].flatMap(Self.credentialScope) ?? request.uri.queryParameters["X-Amz-Credential"].map { String($0) }
        guard let credential else { return }
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let keyID = parts.first, !keyID.isEmpty, keyID.utf8.count <= 128 else { return }
        let account = try? await identity.credential(accessKeyID: keyID)?.principal.account
        draft.update { state in
            state.unverifiedAccessKeyID = keyID
            state.unverifiedAccount = account
            if parts.count >= 3, Region(parts[2]) != nil { state.region = parts[2] }
            if state.service == nil, parts.count >= 4 { state.service = parts[3] }
        }
    }

    /// `Credential=AKID/20261124/us-east-1/kms/aws4_request` out of an Authorization header.
    static func credentialScope(_ authorization: String) -> String? {
        guard let range = authorization.range(of: "Credential=") else { return nil }
        let rest = authorization[range.upperBound...]
        return String(rest.prefix { $0 != "," && $0 != " " })
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

    func authenticate(_ request: SigV4Request, expectedService: String?) async throws -> SigV4Authentication<Principal> {
        try await verifier.verify(request, expectedService: expectedService, lookup: secret)
    }

    /// The secret and principal behind an access key (and session token), nil when unknown.
    func secret(accessKeyID: String, sessionToken: String?) async throws -> SigV4Secret<Principal>? {
        guard let credential = try await identity.credential(accessKeyID: accessKeyID, sessionToken: sessionToken) else { return nil }
        return SigV4Secret(secretAccessKey: credential.secret, principal: credential.principal)
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
        if description.isServerFault, description.status != 501 {
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
