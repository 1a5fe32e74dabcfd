/// Schema checks shared by the typed request-body parsers. Every failure is `MalformedXML`,
/// which is what S3 answers for a document that does not fit its schema.
extension S3XMLElement {
    /// Throws unless this element has the expected local name.
    func expectName(_ expected: String) throws(S3WireError) {
        guard name == expected else { throw .malformedXML }
    }

    /// The only child with this name, nil when absent; a repeated single-valued element is malformed.
    func optionalChild(_ name: String) throws(S3WireError) -> S3XMLElement? {
        var found: S3XMLElement?
        for child in children where child.name == name {
            guard found == nil else { throw .malformedXML }
            found = child
        }
        return found
    }

    /// The only child with this name, which must be present.
    func requiredChild(_ name: String) throws(S3WireError) -> S3XMLElement {
        guard let child = try optionalChild(name) else { throw .malformedXML }
        return child
    }

    /// The text of a leaf child as sent (not trimmed), nil when absent. A child holding
    /// elements is malformed.
    func optionalText(_ name: String) throws(S3WireError) -> String? {
        guard let child = try optionalChild(name) else { return nil }
        guard child.children.isEmpty else { throw .malformedXML }
        return child.text
    }

    /// The text of a required leaf child as sent.
    func requiredText(_ name: String) throws(S3WireError) -> String {
        guard let text = try optionalText(name) else { throw .malformedXML }
        return text
    }

    /// The `xsd:boolean` value of an optional leaf child, `defaultValue` when absent.
    func optionalBoolean(_ name: String, default defaultValue: Bool) throws(S3WireError) -> Bool {
        guard let text = try optionalText(name) else { return defaultValue }
        return try Self.boolean(text)
    }

    /// XML Schema's whitespace collapse at the ends, used for non-string values.
    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }

    /// An `xsd:boolean`: `true`, `false`, `1` or `0`, surrounding whitespace allowed.
    static func boolean(_ text: String) throws(S3WireError) -> Bool {
        switch trimmed(text) {
        case "true", "1": return true
        case "false", "0": return false
        default: throw .malformedXML
        }
    }

    /// An `xsd:int`: optional sign and decimal digits within 32 bits, surrounding whitespace allowed.
    static func int32(_ text: String) throws(S3WireError) -> Int {
        var digits = Substring(trimmed(text))
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.count <= 12 else { throw .malformedXML }
        var value = 0
        for byte in digits.utf8 {
            guard byte >= 0x30, byte <= 0x39 else { throw .malformedXML }
            value = value * 10 + Int(byte - 0x30)
        }
        if negative { value = -value }
        guard value >= Int(Int32.min), value <= Int(Int32.max) else { throw .malformedXML }
        return value
    }
}
