import Foundation

/// What a conditional request comes to.
public enum ConditionalOutcome: Sendable, Hashable {
    /// Serve (or copy) as usual.
    case proceed
    /// 304 Not Modified (GET and HEAD only).
    case notModified
    /// 412 `PreconditionFailed`.
    case preconditionFailed
}

/// The four conditional headers of a read: `If-Match`, `If-None-Match`, `If-Modified-Since`,
/// `If-Unmodified-Since` — or, for CopyObject and UploadPartCopy, their
/// `x-amz-copy-source-if-*` counterparts, which judge the copy source.
///
/// Evaluation follows RFC 9110 §13.2.2, which is also what S3 documents: an entity-tag
/// condition, when present, decides in place of its date counterpart. So `If-Match` true with
/// `If-Unmodified-Since` false proceeds, and `If-None-Match` false with `If-Modified-Since`
/// true is 304. Dates compare at whole seconds; a date that does not parse is ignored, as is a
/// header that is empty.
public struct ConditionalRequest: Sendable, Hashable {
    /// `If-Match` / `x-amz-copy-source-if-match`, as received.
    public var ifMatch: String?
    /// `If-None-Match` / `x-amz-copy-source-if-none-match`, as received.
    public var ifNoneMatch: String?
    /// `If-Modified-Since` / `x-amz-copy-source-if-modified-since`, as received.
    public var ifModifiedSince: String?
    /// `If-Unmodified-Since` / `x-amz-copy-source-if-unmodified-since`, as received.
    public var ifUnmodifiedSince: String?

    /// The header values; nil for a header that is absent.
    public init(ifMatch: String? = nil, ifNoneMatch: String? = nil,
                ifModifiedSince: String? = nil, ifUnmodifiedSince: String? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
    }

    /// True when no condition is given.
    public var isEmpty: Bool {
        [ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince].allSatisfy { Self.present($0) == nil }
    }

    /// Evaluates GetObject / HeadObject conditions against the object's ETag (quoted or not)
    /// and Last-Modified time.
    public func evaluate(eTag: String, lastModified: Date) -> ConditionalOutcome {
        let modified = HTTPDate.wholeSeconds(lastModified)
        if let ifMatch = Self.present(ifMatch) {
            guard Self.eTagListMatches(ifMatch, eTag: eTag) else { return .preconditionFailed }
        } else if let since = Self.seconds(ifUnmodifiedSince), modified > since {
            return .preconditionFailed
        }
        if let ifNoneMatch = Self.present(ifNoneMatch) {
            if Self.eTagListMatches(ifNoneMatch, eTag: eTag) { return .notModified }
        } else if let since = Self.seconds(ifModifiedSince), modified <= since {
            return .notModified
        }
        return .proceed
    }

    /// Evaluates `x-amz-copy-source-if-*` conditions against the copy source. The rules are
    /// those of `evaluate`, except that every failure is 412: S3 never answers a copy with 304.
    public func evaluateCopySource(eTag: String, lastModified: Date) -> ConditionalOutcome {
        evaluate(eTag: eTag, lastModified: lastModified) == .proceed ? .proceed : .preconditionFailed
    }

    /// True when an `If-Match` / `If-None-Match` value matches the ETag: `*` matches anything,
    /// otherwise any listed tag equal to the ETag once quotes and a weak `W/` prefix are removed.
    public static func eTagListMatches(_ header: String, eTag: String) -> Bool {
        let target = opaqueTag(Substring(eTag))
        for candidate in listMembers(header) {
            if candidate == "*" || opaqueTag(candidate) == target { return true }
        }
        return false
    }

    /// The comma-separated members of a header value, trimmed; commas inside quotes do not split.
    static func listMembers(_ header: String) -> [Substring] {
        var members: [Substring] = []
        var start = header.startIndex
        var inQuotes = false
        var index = header.startIndex
        while index < header.endIndex {
            let character = header[index]
            if character == "\"" {
                inQuotes.toggle()
            } else if character == ",", !inQuotes {
                members.append(header[start..<index])
                start = header.index(after: index)
            }
            index = header.index(after: index)
        }
        members.append(header[start...])
        return members.map(trimmed).filter { !$0.isEmpty }
    }

    private static func opaqueTag(_ tag: Substring) -> Substring {
        var tag = trimmed(tag)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.count >= 2, tag.first == "\"", tag.last == "\"" { tag = tag.dropFirst().dropLast() }
        return tag
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }

    private static func present(_ header: String?) -> String? {
        guard let header, !trimmed(Substring(header)).isEmpty else { return nil }
        return header
    }

    private static func seconds(_ header: String?) -> Int64? {
        guard let header = present(header), let date = HTTPDate.parse(String(trimmed(Substring(header)))) else {
            return nil
        }
        return HTTPDate.wholeSeconds(date)
    }
}
