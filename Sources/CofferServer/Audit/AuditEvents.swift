import CofferAudit
import CofferCore
import CofferKMS
import CofferWire
import Foundation

/// Builds CloudTrail records (eventVersion 1.11) from what the responder learned about a call.
///
/// Never written: plaintexts, ciphertexts, messages, MACs, signatures, key material, import
/// tokens, secret keys and session tokens. The encryption context is written, as AWS does.
enum AuditEvents {
    /// Request members that carry secrets or bulk data; CloudTrail leaves them out too.
    static let withheldMembers: Set<String> = [
        "Plaintext", "CiphertextBlob", "Message", "Mac", "Signature", "ImportToken", "EncryptedKeyMaterial", "PublicKey",
        "Recipient", "SecretAccessKey", "SessionToken", "Password",
    ]

    /// KMS operations that change nothing (AWS marks them readOnly).
    static let readOnlyKMS: Set<String> = [
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateRandom", "Sign", "Verify", "GenerateMac", "VerifyMac", "DeriveSharedSecret",
        "GetPublicKey", "GetParametersForImport",
    ]

    static func isReadOnly(service: String?, name: String) -> Bool {
        if name.hasPrefix("Describe") || name.hasPrefix("List") || name.hasPrefix("Get") || name.hasPrefix("Lookup") { return true }
        return service == "kms" && readOnlyKMS.contains(name)
    }

    static func eventSource(_ service: String?) -> String { "\(service ?? "unknown").amazonaws.com" }

    /// The record of one call without its JSON, and the rendering of that JSON (which the trail runs on
    /// its writer thread). `fallbackAccount` receives events whose caller is unknown.
    static func record(
        _ draft: AuditDraft, eventID: String, fallbackAccount: AccountID
    ) -> (record: AuditRecord, render: @Sendable () -> [UInt8]) {
        let state = draft.snapshot
        let account = state.caller?.account ?? state.unverifiedAccount ?? fallbackAccount
        let region = state.caller?.region.rawValue ?? state.region ?? "us-east-1"
        let readOnly = isReadOnly(service: state.service, name: state.eventName)
        let resources = s3Resources(state) + draft.touchedKeys.all.map { AuditResource(type: "AWS::KMS::Key", name: $0) }
        let record = AuditRecord(
            eventID: eventID, eventTime: draft.eventTime, eventSource: eventSource(state.service), eventName: state.eventName,
            recipientAccount: account.rawValue, region: region, username: username(state), accessKeyID: state.caller?.accessKeyID ?? state.unverifiedAccessKeyID,
            readOnly: readOnly, resources: resources, json: []
        )
        return (record, { json(of: draft, state: state, record: record, account: account) })
    }

    /// The CloudTrail record JSON (one object, one line) of a call: `state` is the draft's snapshot taken with
    /// `record`, so rendering later sees the call as it was answered.
    static func json(of call: AuditDraft, state: AuditDraft.State, record: AuditRecord, account: AccountID) -> [UInt8] {
        let dataEvent = state.service == "s3" && S3Operation(rawValue: state.eventName)?.isDataEvent == true
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.key("eventVersion"); json.string("1.11")
        json.key("userIdentity"); writeUserIdentity(state, account: account, &json)
        json.key("eventTime"); json.string(call.eventTime.iso8601Seconds)
        json.key("eventSource"); json.string(record.eventSource)
        json.key("eventName"); json.string(state.eventName)
        json.key("awsRegion"); json.string(record.region)
        json.key("sourceIPAddress"); json.string(state.caller?.viaService.map { "\($0).amazonaws.com" } ?? call.sourceIP ?? "unknown")
        json.key("userAgent"); json.string(call.userAgent ?? "")
        if let error = state.error {
            json.key("errorCode"); json.string(error.name)
            json.key("errorMessage"); json.string(error.message)
        }
        json.key("requestParameters"); writeRequestParameters(state, &json)
        json.key("responseElements"); json.null()
        json.key("requestID"); json.string(call.requestID)
        json.key("eventID"); json.string(record.eventID)
        json.key("readOnly"); json.bool(record.readOnly)
        if !record.resources.isEmpty {
            json.key("resources")
            json.beginArray()
            for resource in record.resources {
                json.beginObject()
                json.key("accountId"); json.string(ARN(parsing: resource.name).flatMap { $0.account.isEmpty ? nil : $0.account } ?? account.rawValue)
                json.key("type"); json.string(resource.type)
                json.key("ARN"); json.string(resource.name)
                json.endObject()
            }
            json.endArray()
        }
        json.key("eventType"); json.string("AwsApiCall")
        json.key("managementEvent"); json.bool(!dataEvent)
        json.key("recipientAccountId"); json.string(account.rawValue)
        json.key("eventCategory"); json.string(dataEvent ? "Data" : "Management")
        if let tlsVersion = call.tlsVersion {
            json.key("tlsDetails")
            json.beginObject()
            json.key("tlsVersion"); json.string(tlsVersion)
            if let host = call.host { json.key("clientProvidedHostHeader"); json.string(host) }
            json.endObject()
        }
        json.endObject()
        return json.bytes
    }

    /// The bucket and object an S3 call addressed, as CloudTrail lists them.
    static func s3Resources(_ state: AuditDraft.State) -> [AuditResource] {
        guard state.service == "s3", case .string(let bucket)? = state.requestMembers?["bucketName"] else { return [] }
        var resources = [AuditResource(type: "AWS::S3::Bucket", name: "arn:aws:s3:::\(bucket)")]
        if case .string(let key)? = state.requestMembers?["key"] {
            resources.insert(AuditResource(type: "AWS::S3::Object", name: "arn:aws:s3:::\(bucket)/\(key)"), at: 0)
        }
        return resources
    }

    /// CloudTrail's `Username` lookup attribute: the IAM user name, `root`, or the role session name.
    static func username(_ state: AuditDraft.State) -> String? {
        guard let caller = state.caller else { return nil }
        switch caller.kind {
        case .root: return "root"
        case .user: return caller.userName
        case .assumedRole: return caller.principalARN.split(separator: "/").last.map(String.init)
        }
    }

    private static func writeUserIdentity(_ state: AuditDraft.State, account: AccountID, _ json: inout JSONWriter) {
        json.beginObject()
        guard let caller = state.caller else {
            json.key("type"); json.string("Unknown")
            if let key = state.unverifiedAccessKeyID { json.key("accessKeyId"); json.string(key) }
            if let unverified = state.unverifiedAccount { json.key("accountId"); json.string(unverified.rawValue) }
            json.endObject()
            return
        }
        json.key("type"); json.string(caller.kind.rawValue)
        json.key("principalId"); json.string(caller.userID)
        json.key("arn"); json.string(caller.principalARN)
        json.key("accountId"); json.string(caller.account.rawValue)
        json.key("accessKeyId"); json.string(caller.accessKeyID)
        if caller.kind == .user, let name = caller.userName { json.key("userName"); json.string(name) }
        if caller.kind == .assumedRole, let roleARN = caller.roleARN {
            json.key("sessionContext")
            json.beginObject()
            json.key("sessionIssuer")
            json.beginObject()
            json.key("type"); json.string("Role")
            json.key("principalId"); json.string(String(caller.userID.split(separator: ":").first ?? ""))
            json.key("arn"); json.string(roleARN)
            json.key("accountId"); json.string(caller.account.rawValue)
            json.key("userName"); json.string(String(roleARN.split(separator: "/").last ?? ""))
            json.endObject()
            json.key("attributes")
            json.beginObject()
            json.key("mfaAuthenticated"); json.string("false")
            json.endObject()
            json.endObject()
        }
        if let via = caller.viaService { json.key("invokedBy"); json.string("\(via).amazonaws.com") }
        json.endObject()
    }

    /// The request's members with CloudTrail's lowerCamel names, secrets left out.
    private static func writeRequestParameters(_ state: AuditDraft.State, _ json: inout JSONWriter) {
        if let members = state.requestMembers {
            let shown = members.keys.filter { !withheldMembers.contains($0) }.sorted()
            guard !shown.isEmpty else { return json.null() }
            json.beginObject()
            for name in shown {
                guard let value = members[name] else { continue }
                json.key(MemberName.lowerCamel(name))
                json.value(value)
            }
            json.endObject()
        } else if let form = state.formParameters {
            let shown = form.pairs.filter { !withheldMembers.contains($0.name) && $0.name != "Action" && $0.name != "Version" && !$0.name.contains(".") }
            guard !shown.isEmpty else { return json.null() }
            json.beginObject()
            for pair in shown.sorted(by: { $0.name < $1.name }) {
                json.key(MemberName.lowerCamel(pair.name))
                json.string(pair.value)
            }
            json.endObject()
        } else {
            json.null()
        }
    }
}
