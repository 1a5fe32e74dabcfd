import CofferCore

/// What a tag set belongs to; the two differ only in how many tags they may hold.
public enum S3TagSetKind: Sendable, Hashable {
    /// An object's tags: at most 10.
    case object
    /// A bucket's tags: at most 50.
    case bucket

    /// The most tags a set of this kind may hold.
    public var limit: Int { self == .object ? 10 : 50 }
}

/// Parsing and validation of S3 tag sets: the `<Tagging>` document of PutObjectTagging and
/// PutBucketTagging, and the `x-amz-tagging` header of PutObject, CopyObject and
/// CreateMultipartUpload.
///
/// The rules are S3's: a key is 1–128 and a value 0–256 UTF-16 code units (S3 stores tags as
/// UTF-16), made of Unicode letters, marks, digits and spaces and `_ . : / = + @ -`; keys are
/// unique and may not start with the reserved `aws:`.
public enum S3Tagging {
    /// The longest key, in UTF-16 code units.
    public static let maxKeyLength = 128
    /// The longest value, in UTF-16 code units.
    public static let maxValueLength = 256

    static let headerMessage =
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."

    /// Parses and validates a `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` body.
    /// An empty `TagSet` is valid and means "no tags".
    public static func parse(_ body: [UInt8], kind: S3TagSetKind) throws(S3WireError) -> [S3Tag] {
        let root = try S3XMLElement.parse(body)
        try root.expectName("Tagging")
        return try tagSet(root.requiredChild("TagSet"), kind: kind)
    }

    /// Parses and validates an `x-amz-tagging` header (`k1=v1&k2=v2`, form-encoded, so `+` is a
    /// space). A pair with a second raw `=`, a bad escape, text that is not UTF-8 or a repeated
    /// key is `InvalidArgument`; the tags themselves are then checked as object tags.
    public static func parseHeader(_ header: String) throws(S3WireError) -> [S3Tag] {
        var tags: [S3Tag] = []
        var seen = Set<String>()
        for pair in header.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw .invalidArgument(headerMessage) }
            let key = try decodeHeaderComponent(parts[0])
            let value = parts.count == 2 ? try decodeHeaderComponent(parts[1]) : ""
            guard seen.insert(key).inserted else { throw .invalidArgument(headerMessage) }
            tags.append(S3Tag(key: key, value: value))
        }
        try validate(tags, kind: .object)
        return tags
    }

    /// Checks count, keys, values and uniqueness, in that order.
    public static func validate(_ tags: [S3Tag], kind: S3TagSetKind) throws(S3WireError) {
        if tags.count > kind.limit {
            throw kind == .object
                ? .badRequest("Object tags cannot be greater than 10")
                : .badRequest("Bucket tag count cannot be greater than 50")
        }
        var seen = Set<String>()
        for tag in tags {
            let keyLength = tag.key.utf16.count
            guard keyLength >= 1, keyLength <= maxKeyLength, hasAllowedCharacters(tag.key) else {
                throw .invalidTag("The TagKey you have provided is invalid")
            }
            guard !hasReservedPrefix(tag.key) else { throw .invalidTag("Your TagKey cannot be prefixed with aws:") }
            guard tag.value.utf16.count <= maxValueLength, hasAllowedCharacters(tag.value) else {
                throw .invalidTag("The TagValue you have provided is invalid")
            }
            guard seen.insert(tag.key).inserted else {
                throw .invalidTag("Cannot provide multiple Tags with the same key")
            }
        }
    }

    /// The tags of a `TagSet` (or CreateBucket's `Tags`) element, validated.
    static func tagSet(_ element: S3XMLElement, kind: S3TagSetKind) throws(S3WireError) -> [S3Tag] {
        var tags: [S3Tag] = []
        for child in element.children {
            guard child.name == "Tag" else { throw .malformedXML }
            try tags.append(S3Tag(key: child.requiredText("Key"), value: child.requiredText("Value")))
        }
        try validate(tags, kind: kind)
        return tags
    }

    private static func decodeHeaderComponent(_ bytes: some Collection<UInt8>) throws(S3WireError) -> String {
        guard let decoded = S3URLEncoding.percentDecode(bytes, plusIsSpace: true),
              let text = String(validating: decoded, as: UTF8.self)
        else { throw .invalidArgument(headerMessage) }
        return text
    }

    private static func hasReservedPrefix(_ key: String) -> Bool {
        key.utf8.count >= 4 && key.utf8.prefix(4).map { $0 | 0x20 } == Array("aws:".utf8)
    }

    private static func hasAllowedCharacters(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "_", ".", ":", "/", "=", "+", "@", "-": return true
            default: break
            }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark,
                 .decimalNumber, .letterNumber, .otherNumber,
                 .spaceSeparator, .lineSeparator, .paragraphSeparator:
                return true
            default:
                return false
            }
        }
    }
}
