import Foundation
/// Reads typed members out of a JSON request object the way AWS's JSON services validate them.
///
/// Type mismatches throw a serialization error at once; constraint violations (lengths, ranges,
/// enums, required members) are collected and reported together by ``validate()`` in AWS's
/// "N validation errors detected: ..." form. Blob values are never echoed in messages.
public struct RequestFields {
    private let members: [String: JSONValue]
    private var violations: [String] = []

    /// Parses a request body. An empty body counts as `{}`, as AWS treats it.
    public init(body: [UInt8]) throws {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            members = [:]
            return
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch let error as JSONParser.SyntaxError {
            throw WireError(.serialization, "Malformed JSON request body: \(error)")
        }
        guard case .object(let members) = value else {
            throw WireError(.serialization, "Start of structure or map expected; the request body must be a JSON object")
        }
        self.members = members
    }

    /// Every member as parsed (for the audit trail's `requestParameters`).
    public var allMembers: [String: JSONValue] { members }

    /// Throws the collected constraint violations, if any.
    public func validate() throws {
        guard !violations.isEmpty else { return }
        let count = violations.count
        let noun = count == 1 ? "validation error" : "validation errors"
        throw WireError(.validation, "\(count) \(noun) detected: " + violations.joined(separator: "; "))
    }

    /// Adds a violation found by a handler's own cross-field rules.
    public mutating func addViolation(_ message: String) { violations.append(message) }


    private mutating func violate(_ member: String, value: String?, _ constraint: String) {
        let shown = value.map { "Value '\($0)'" } ?? "Value"
        violations.append("\(shown) at '\(MemberName.lowerCamel(member))' failed to satisfy constraint: Member \(constraint)")
    }

    private mutating func missing(_ member: String) {
        violations.append("Value null at '\(MemberName.lowerCamel(member))' failed to satisfy constraint: Member must not be null")
    }

    private func typeError(_ member: String, expected: String, found: JSONValue) -> WireError {
        WireError(.serialization, "Unexpected value type for member '\(member)': expected \(expected), found \(found.typeName)")
    }

    private mutating func checkLength(_ member: String, shown: String?, length: Int, range: ClosedRange<Int>?) {
        guard let range else { return }
        if length < range.lowerBound {
            violate(member, value: shown, "must have length greater than or equal to \(range.lowerBound)")
        } else if length > range.upperBound {
            violate(member, value: shown, "must have length less than or equal to \(range.upperBound)")
        }
    }

    /// A string member; `nil` when absent (or when required and missing, after recording that).
    public mutating func string(_ member: String, required: Bool = false, length: ClosedRange<Int>? = nil) throws -> String? {
        guard let value = members[member], value != .null else {
            if required { missing(member) }
            return nil
        }
        guard case .string(let text) = value else { throw typeError(member, expected: "string", found: value) }
        checkLength(member, shown: text.count <= 2048 ? text : nil, length: text.count, range: length)
        return text
    }

    /// A string member restricted to an enumeration.
    public mutating func enumeration(_ member: String, allowed: [String], required: Bool = false) throws -> String? {
        guard let text = try string(member, required: required) else { return nil }
        guard allowed.contains(text) else {
            violate(member, value: text, "must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
            return nil
        }
        return text
    }

    /// A base64 blob member, decoded. Its value never appears in messages.
    public mutating func blob(_ member: String, required: Bool = false, length: ClosedRange<Int>? = nil) throws -> [UInt8]? {
        guard let value = members[member], value != .null else {
            if required { missing(member) }
            return nil
        }
        guard case .string(let text) = value else { throw typeError(member, expected: "base64 string", found: value) }
        guard let bytes = Base64.decode(text) else {
            throw WireError(.serialization, "Member '\(member)' is not valid base64")
        }
        checkLength(member, shown: nil, length: bytes.count, range: length)
        return bytes
    }

    /// An integer member with an inclusive range.
    public mutating func integer(_ member: String, range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let value = members[member], value != .null else { return nil }
        guard case .number(let text) = value else { throw typeError(member, expected: "integer", found: value) }
        guard let number = Int(text) else {
            throw WireError(.serialization, "Member '\(member)' must be an integer")
        }
        if let range {
            if number < range.lowerBound {
                violate(member, value: text, "must have value greater than or equal to \(range.lowerBound)")
            } else if number > range.upperBound {
                violate(member, value: text, "must have value less than or equal to \(range.upperBound)")
            }
        }
        return number
    }

    /// A timestamp member, which the JSON protocol sends as epoch seconds.
    public func timestamp(_ member: String) throws -> Date? {
        guard let value = members[member], value != .null else { return nil }
        guard case .number(let text) = value else { throw typeError(member, expected: "timestamp", found: value) }
        guard let seconds = Double(text), seconds.isFinite else {
            throw WireError(.serialization, "Member '\(member)' must be a timestamp in epoch seconds")
        }
        return Date(timeIntervalSince1970: seconds)
    }

    public func boolean(_ member: String) throws -> Bool? {
        guard let value = members[member], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw typeError(member, expected: "boolean", found: value) }
        return flag
    }

    /// A map of strings to strings, such as an encryption context.
    public func stringMap(_ member: String) throws -> [String: String]? {
        guard let value = members[member], value != .null else { return nil }
        guard case .object(let object) = value else { throw typeError(member, expected: "map", found: value) }
        var result: [String: String] = [:]
        result.reserveCapacity(object.count)
        for (key, entry) in object {
            guard case .string(let text) = entry else { throw typeError("\(member).\(key)", expected: "string", found: entry) }
            result[key] = text
        }
        return result
    }

    /// A list of strings with a bound on the number of entries.
    public mutating func stringList(_ member: String, required: Bool = false, count: ClosedRange<Int>? = nil) throws -> [String]? {
        guard let value = members[member], value != .null else {
            if required { missing(member) }
            return nil
        }
        guard case .array(let array) = value else { throw typeError(member, expected: "list", found: value) }
        var result: [String] = []
        for entry in array {
            guard case .string(let text) = entry else { throw typeError(member, expected: "list of strings", found: entry) }
            result.append(text)
        }
        checkLength(member, shown: nil, length: result.count, range: count)
        return result
    }

    /// A list of objects, each read with its own `RequestFields`-like accessor.
    public mutating func objectList(_ member: String, required: Bool = false) throws -> [[String: JSONValue]]? {
        guard let value = members[member], value != .null else {
            if required { missing(member) }
            return nil
        }
        guard case .array(let array) = value else { throw typeError(member, expected: "list", found: value) }
        return try array.map { entry in
            guard case .object(let object) = entry else { throw typeError(member, expected: "list of structures", found: entry) }
            return object
        }
    }

    /// A structure member, read with its own accessor (its violations are its own).
    public func nestedObject(_ member: String) throws -> RequestFields? {
        guard let value = members[member], value != .null else { return nil }
        guard case .object(let object) = value else { throw typeError(member, expected: "structure", found: value) }
        return RequestFields(members: object)
    }

    private init(members: [String: JSONValue]) { self.members = members }

    /// Records a violation for a nested member the caller checked itself.
    public mutating func violate(path: String, value: String?, constraint: String) {
        let shown = value.map { "Value '\($0)'" } ?? "Value"
        violations.append("\(shown) at '\(path)' failed to satisfy constraint: Member \(constraint)")
    }
}
