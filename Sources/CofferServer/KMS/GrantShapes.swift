import CofferKMS
import CofferWire

/// Reading and writing grants for CreateGrant, ListGrants and ListRetirableGrants.
enum GrantShapes {
    static let nameLength = 1...256
    static let principalLength = 1...256

    /// A grant list entry, as ListGrants returns it.
    static func write(_ grant: KMSGrant, _ json: inout JSONWriter) {
        json.key("KeyId"); json.string(grant.keyARN)
        json.key("GrantId"); json.string(grant.grantID)
        if let name = grant.name { json.key("Name"); json.string(name) }
        json.key("CreationDate"); json.timestamp(grant.creationDate)
        json.key("GranteePrincipal"); json.string(grant.granteePrincipal)
        if let retiring = grant.retiringPrincipal { json.key("RetiringPrincipal"); json.string(retiring) }
        json.key("IssuingAccount"); json.string(grant.issuingAccount)
        json.key("Operations")
        json.beginArray()
        for operation in grant.operations { json.string(operation) }
        json.endArray()
        if !grant.constraints.isEmpty {
            json.key("Constraints")
            json.beginObject()
            for (member, pairs) in [("EncryptionContextSubset", grant.constraints.subset), ("EncryptionContextEquals", grant.constraints.equals)] {
                guard let pairs else { continue }
                json.key(member)
                json.beginObject()
                for (name, value) in pairs.sorted(by: { $0.key < $1.key }) {
                    json.key(name); json.string(value)
                }
                json.endObject()
            }
            json.endObject()
        }
    }

    /// A page of grants: `Limit` (1–100, default 50) and `Marker` (the id of the first grant of the page).
    static func page(_ grants: [KMSGrant], _ fields: inout RequestFields) throws -> [UInt8] {
        let limit = try fields.integer("Limit", range: 1...100) ?? 50
        let marker = try fields.string("Marker", length: 1...1024)
        try fields.validate()
        var remaining = grants[...]
        if let marker {
            guard let start = grants.firstIndex(where: { $0.grantID == marker }) else {
                throw KMSError(.invalidMarker, "Invalid marker: \(marker)")
            }
            remaining = grants[start...]
        }
        let shown = Array(remaining.prefix(limit))
        let next = remaining.dropFirst(limit).first?.grantID
        return KMSShapes.pageResponse("Grants", shown, nextMarker: next) { grant, json in write(grant, &json) }
    }
}
