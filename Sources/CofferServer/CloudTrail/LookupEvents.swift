import CofferAudit
import CofferCore
import CofferIdentity
import CofferStorageSQLite
import CofferWire
import Foundation

/// LookupEvents: the caller's account's events, newest first, with at most one lookup attribute,
/// a time range and MaxResults/NextToken paging; each with its whole record as `CloudTrailEvent`.
enum LookupEvents {
    static func handle(_ call: inout CloudTrailCall) async throws -> [UInt8] {
        let attributes = try call.fields.objectList("LookupAttributes") ?? []
        let start = try call.fields.timestamp("StartTime")
        let end = try call.fields.timestamp("EndTime")
        let category = try call.fields.string("EventCategory")
        let maxResults = try call.fields.integer("MaxResults")
        let nextToken = try call.fields.string("NextToken")
        try call.fields.validate()
        if let category, category != "insight" {
            throw CloudTrailError(.invalidEventCategory, "Event category \(category) is not valid.")
        }
        if category != nil { throw CloudTrailError(.unsupportedOperation, "Insights events are not recorded by this server.") }
        if let maxResults, !(1...50).contains(maxResults) {
            throw CloudTrailError(.invalidMaxResults, "MaxResults must be between 1 and 50.")
        }
        if let start, let end, start > end {
            throw CloudTrailError(.invalidTimeRange, "Start time must be earlier than end time.")
        }
        guard attributes.count <= 1 else {
            throw CloudTrailError(.invalidLookupAttributes, "You can specify only one lookup attribute.")
        }
        let attribute = try attributes.first.map(Self.attribute)
        try await call.identity.authorize(call.caller, action: "cloudtrail:LookupEvents", resource: "*")
        let query = AuditQuery(
            recipientAccount: call.caller.account.rawValue, attribute: attribute, startTime: start, endTime: end,
            maxResults: maxResults ?? 50, nextToken: nextToken
        )
        let page: (records: [AuditRecord], nextToken: String?)
        do {
            page = try await call.trail.lookup(query)
        } catch let error as AuditError where error.code == .invalidNextToken {
            throw CloudTrailError(.invalidNextToken, "Invalid NextToken: \(nextToken ?? "")")
        }
        var json = JSONWriter(capacity: 1200 * page.records.count + 64)
        json.beginObject()
        json.key("Events")
        json.beginArray()
        for record in page.records {
            json.beginObject()
            json.key("EventId"); json.string(record.eventID)
            json.key("EventName"); json.string(record.eventName)
            json.key("ReadOnly"); json.string(record.readOnly ? "true" : "false")
            if let key = record.accessKeyID { json.key("AccessKeyId"); json.string(key) }
            json.key("EventTime"); json.timestamp(record.eventTime)
            json.key("EventSource"); json.string(record.eventSource)
            if let user = record.username { json.key("Username"); json.string(user) }
            json.key("Resources")
            json.beginArray()
            for resource in record.resources {
                json.beginObject()
                json.key("ResourceType"); json.string(resource.type)
                json.key("ResourceName"); json.string(resource.name)
                json.endObject()
            }
            json.endArray()
            json.key("CloudTrailEvent"); json.string(String(decoding: record.json, as: UTF8.self))
            json.endObject()
        }
        json.endArray()
        if let token = page.nextToken { json.key("NextToken"); json.string(token) }
        json.endObject()
        return json.bytes
    }

    /// `{"AttributeKey": ..., "AttributeValue": ...}`.
    private static func attribute(_ object: [String: JSONValue]) throws -> AuditQuery.Attribute {
        guard case .string(let key)? = object["AttributeKey"], case .string(let value)? = object["AttributeValue"], !value.isEmpty else {
            throw CloudTrailError(.invalidLookupAttributes, "A lookup attribute needs an AttributeKey and a non-empty AttributeValue.")
        }
        switch key {
        case "EventId": return .eventID(value)
        case "EventName": return .eventName(value)
        case "ReadOnly":
            guard value == "true" || value == "false" else {
                throw CloudTrailError(.invalidLookupAttributes, "The ReadOnly attribute value must be true or false.")
            }
            return .readOnly(value == "true")
        case "Username": return .username(value)
        case "ResourceType": return .resourceType(value)
        case "ResourceName": return .resourceName(value)
        case "EventSource": return .eventSource(value)
        case "AccessKeyId": return .accessKeyID(value)
        default:
            throw CloudTrailError(.invalidLookupAttributes, "AttributeKey \(key) is not one of EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId.")
        }
    }
}
