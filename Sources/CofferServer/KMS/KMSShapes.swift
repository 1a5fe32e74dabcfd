import CofferCore
import CofferKMS
import CofferWire

/// Readers and writers for shapes several KMS operations share.
enum KMSShapes {
    static let keyIDLength = 1...2048
    static let encryptionAlgorithms = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"]
    static let maximumGrantTokens = 0...10

    /// Reads `EncryptionContext`-typed members.
    static func encryptionContext(_ fields: inout RequestFields, _ member: String = "EncryptionContext") throws -> EncryptionContext {
        EncryptionContext(try fields.stringMap(member) ?? [:])
    }

    /// Reads a symmetric `EncryptionAlgorithm` member; only SYMMETRIC_DEFAULT applies to these keys.
    static func checkSymmetricAlgorithm(_ fields: inout RequestFields, _ member: String) throws {
        guard let algorithm = try fields.enumeration(member, allowed: encryptionAlgorithms), algorithm != "SYMMETRIC_DEFAULT" else { return }
        throw KMSError(.invalidKeyUsage, "The encryption algorithm \(algorithm) is not valid for a symmetric encryption KMS key.")
    }

    /// Reads `GrantTokens` (accepted and checked for size; grants arrive with access control).
    static func grantTokens(_ fields: inout RequestFields) throws {
        _ = try fields.stringList("GrantTokens", count: maximumGrantTokens)
    }

    /// Refuses `DryRun: true` honestly until dry runs are implemented.
    static func checkDryRun(_ fields: inout RequestFields) throws {
        if try fields.boolean("DryRun") == true {
            throw KMSError(.unsupportedOperation, "DryRun is not supported by this server yet.")
        }
    }

    /// Reads a `TagList` member.
    static func tags(_ fields: inout RequestFields, required: Bool) throws -> [KMSTag] {
        guard let entries = try fields.objectList("Tags", required: required) else { return [] }
        var tags: [KMSTag] = []
        for (index, entry) in entries.enumerated() {
            var tagKey: String?, tagValue: String?
            if case .string(let text)? = entry["TagKey"] { tagKey = text }
            if case .string(let text)? = entry["TagValue"] { tagValue = text }
            let path = "tags.\(index + 1).member"
            guard let key = tagKey else {
                fields.violate(path: "\(path).tagKey", value: nil, constraint: "must not be null")
                continue
            }
            guard let value = tagValue else {
                fields.violate(path: "\(path).tagValue", value: nil, constraint: "must not be null")
                continue
            }
            if !(1...128).contains(key.count) {
                fields.violate(path: "\(path).tagKey", value: key, constraint: "must have length between 1 and 128")
            }
            if value.count > 256 {
                fields.violate(path: "\(path).tagValue", value: value, constraint: "must have length less than or equal to 256")
            }
            tags.append(KMSTag(key: key, value: value))
        }
        return tags
    }

    /// Writes the members of one `Tag` (inside an object the caller opened).
    static func writeTagMembers(_ tag: KMSTag, to json: inout JSONWriter) {
        json.key("TagKey"); json.string(tag.key)
        json.key("TagValue"); json.string(tag.value)
    }

    /// Writes a `KeyMetadata` structure; `copies` are a multi-Region key's regional copies.
    static func writeKeyMetadata(_ key: KMSKey, copies: [KMSKey] = [], to json: inout JSONWriter) {
        json.beginObject()
        json.key("AWSAccountId"); json.string(key.account.rawValue)
        json.key("KeyId"); json.string(key.id)
        json.key("Arn"); json.string(key.arn)
        json.key("CreationDate"); json.timestamp(key.creationDate)
        json.key("Enabled"); json.bool(key.state == .enabled)
        json.key("Description"); json.string(key.description)
        json.key("KeyUsage"); json.string(key.keyUsage.rawValue)
        json.key("KeyState"); json.string(key.state.rawValue)
        json.key("Origin"); json.string(key.origin.rawValue)
        json.key("KeyManager"); json.string(key.keyManager.rawValue)
        json.key("CustomerMasterKeySpec"); json.string(key.keySpec.rawValue)
        json.key("KeySpec"); json.string(key.keySpec.rawValue)
        writeAlgorithmLists(key, to: &json)
        if let validTo = key.materialValidTo {
            json.key("ValidTo"); json.timestamp(validTo)
        }
        if key.origin == .external, let model = key.expirationModel {
            json.key("ExpirationModel"); json.string(model.rawValue)
        }
        json.key("MultiRegion"); json.bool(key.multiRegion)
        if key.multiRegion {
            writeMultiRegionConfiguration(key, copies: copies.isEmpty ? [key] : copies, to: &json)
        }
        if let deletionDate = key.deletionDate {
            json.key("DeletionDate"); json.timestamp(deletionDate)
        }
        if let window = key.pendingWindowDays {
            json.key("PendingDeletionWindowInDays"); json.int(window)
        }
        json.endObject()
    }

    /// `MultiRegionConfiguration`: this copy's role, the primary and the replicas.
    static func writeMultiRegionConfiguration(_ key: KMSKey, copies: [KMSKey], to json: inout JSONWriter) {
        func writeEntry(_ copy: KMSKey) {
            json.beginObject()
            json.key("Arn"); json.string(copy.arn)
            json.key("Region"); json.string(copy.region.rawValue)
            json.endObject()
        }
        json.key("MultiRegionConfiguration")
        json.beginObject()
        json.key("MultiRegionKeyType"); json.string(key.isPrimary ? "PRIMARY" : "REPLICA")
        if let primary = copies.first(where: \.isPrimary) {
            json.key("PrimaryKey")
            writeEntry(primary)
        }
        json.key("ReplicaKeys")
        json.beginArray()
        for copy in copies where copy.isReplica { writeEntry(copy) }
        json.endArray()
        json.endObject()
    }

    /// The algorithm lists a key has (members omitted when empty, as AWS omits them).
    static func writeAlgorithmLists(_ key: KMSKey, to json: inout JSONWriter) {
        for (member, values) in [
            ("EncryptionAlgorithms", key.encryptionAlgorithms), ("KeyAgreementAlgorithms", key.keyAgreementAlgorithms),
            ("SigningAlgorithms", key.signingAlgorithms), ("MacAlgorithms", key.macAlgorithms),
        ] where !values.isEmpty {
            json.key(member)
            json.stringArray(values)
        }
    }

    /// `{"KeyMetadata": {...}}`.
    static func keyMetadataResponse(_ key: KMSKey, copies: [KMSKey] = []) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyMetadata")
        writeKeyMetadata(key, copies: copies, to: &json)
        json.endObject()
        return json.bytes
    }

    /// A paged list response: `{"<member>": [...], "NextMarker": ..., "Truncated": ...}`.
    static func pageResponse<Item>(_ member: String, _ items: [Item], nextMarker: String?, write: (Item, inout JSONWriter) -> Void) -> [UInt8] {
        var json = JSONWriter(capacity: 192 * items.count + 64)
        json.beginObject()
        json.key(member)
        json.beginArray()
        for item in items {
            json.beginObject()
            write(item, &json)
            json.endObject()
        }
        json.endArray()
        if let nextMarker {
            json.key("NextMarker"); json.string(nextMarker)
        }
        json.key("Truncated"); json.bool(nextMarker != nil)
        json.endObject()
        return json.bytes
    }

    /// The empty response of operations that return nothing.
    static let emptyResponse: [UInt8] = Array("{}".utf8)
}
