/// Input checks for IAM and STS members, with the Query services' validation message shape.
enum IAMValidation {
    static func failure(_ value: String, member: String, _ constraint: String) -> IdentityError {
        IdentityError(.validation, "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: Member \(constraint)")
    }

    /// A user, role or policy name: 1...`maximum` characters of `[\w+=,.@-]`.
    static func name(_ value: String, member: String, maximum: Int) throws {
        guard !value.isEmpty else { throw failure(value, member: member, "must have length greater than or equal to 1") }
        guard value.utf8.count <= maximum else { throw failure(value, member: member, "must have length less than or equal to \(maximum)") }
        guard value.utf8.allSatisfy(isNameByte) else { throw failure(value, member: member, "must satisfy regular expression pattern: [\\w+=,.@-]+") }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "@"), UInt8(ascii: "-"): true
        default: false
        }
    }

    /// `/` or `/segments/`, at most 512 printable ASCII characters.
    static func path(_ value: String, member: String = "path") throws {
        let bytes = Array(value.utf8)
        guard bytes.count <= 512 else { throw failure(value, member: member, "must have length less than or equal to 512") }
        let valid = bytes == [0x2f] || (bytes.count >= 2 && bytes.first == 0x2f && bytes.last == 0x2f && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7e })
        guard valid else { throw failure(value, member: member, "must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)") }
    }

    /// Tags: at most 50, keys 1–128 and values 0–256 characters, keys unique.
    static func tags(_ tags: [(key: String, value: String)]) throws -> [String: String] {
        guard tags.count <= 50 else { throw failure("\(tags.count) tags", member: "tags", "must have length less than or equal to 50") }
        var result: [String: String] = [:]
        for tag in tags {
            guard !tag.key.isEmpty, tag.key.count <= 128 else { throw failure(tag.key, member: "tags.member.key", "must have length less than or equal to 128") }
            guard tag.value.count <= 256 else { throw failure(tag.value, member: "tags.member.value", "must have length less than or equal to 256") }
            guard result.updateValue(tag.value, forKey: tag.key) == nil else {
                throw IdentityError(.validation, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
            }
        }
        return result
    }
}
