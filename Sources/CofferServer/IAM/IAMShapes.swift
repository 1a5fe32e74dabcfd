import CofferCore
import CofferIdentity
import CofferWire
import Foundation

/// Writers for the IAM structures several operations return, and Marker/MaxItems paging.
enum IAMShapes {
    static func timestamp(_ date: Date) -> String { date.iso8601Seconds }

    /// IAM returns policy documents URL-encoded (botocore decodes them back).
    static func encodedPolicy(_ document: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return document.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func writeTags(_ tags: [String: String], _ xml: inout XMLWriter) {
        guard !tags.isEmpty else { return }
        xml.element("Tags") { xml in
            for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                xml.element("member") { xml in
                    xml.element("Key", key)
                    xml.element("Value", value)
                }
            }
        }
    }

    static func writeUser(_ user: IAMUser, _ xml: inout XMLWriter) {
        xml.element("Path", user.path)
        xml.element("UserName", user.name)
        xml.element("UserId", user.userID)
        xml.element("Arn", user.arn)
        xml.element("CreateDate", timestamp(user.creationDate))
        writeTags(user.tags, &xml)
    }

    static func writeRole(_ role: IAMRole, _ xml: inout XMLWriter) {
        xml.element("Path", role.path)
        xml.element("RoleName", role.name)
        xml.element("RoleId", role.roleID)
        xml.element("Arn", role.arn)
        xml.element("CreateDate", timestamp(role.creationDate))
        xml.element("AssumeRolePolicyDocument", encodedPolicy(role.trustPolicy))
        xml.element("Description", ifPresent: role.description)
        xml.element("MaxSessionDuration", String(role.maxSessionDuration))
        writeTags(role.tags, &xml)
    }

    static func writeAccessKeyMetadata(_ key: AccessKey, _ xml: inout XMLWriter) {
        xml.element("UserName", ifPresent: key.userName)
        xml.element("AccessKeyId", key.accessKeyID)
        xml.element("Status", key.status.rawValue)
        xml.element("CreateDate", timestamp(key.creationDate))
    }

    /// One page of a sorted list: `Marker` is the sort key of the first item of the next page.
    static func page<Item>(
        _ items: [Item], key: (Item) -> String, parameters: FormParameters, listName: String, _ xml: inout XMLWriter,
        write: (Item, inout XMLWriter) -> Void
    ) throws {
        let maxItems = try parameters.integer("MaxItems") ?? 100
        guard (1...1000).contains(maxItems) else {
            throw WireError(.validation, "1 validation error detected: Value '\(maxItems)' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000")
        }
        var remaining = items[...]
        if let marker = parameters["Marker"] {
            remaining = remaining.drop { key($0) < marker }
        }
        let shown = remaining.prefix(maxItems)
        xml.element(listName) { xml in
            for item in shown { xml.element("member") { write(item, &$0) } }
        }
        let truncated = remaining.count > maxItems
        xml.element("IsTruncated", truncated ? "true" : "false")
        if truncated, let next = remaining.dropFirst(maxItems).first { xml.element("Marker", key(next)) }
    }
}
