/// One element of a wildcard pattern.
enum WildcardToken: Sendable, Hashable {
    /// A character that must appear as is.
    case literal(Character)
    /// `*`: any run of characters, including none.
    case anyRun
    /// `?`: exactly one character.
    case anyOne
}

/// A glob with `*` and `?`, as used in Action, Resource, StringLike and ArnLike.
struct WildcardPattern: Sendable, Hashable {
    var tokens: [WildcardToken]

    init(tokens: [WildcardToken]) {
        self.tokens = tokens
    }

    /// Reads every `*` and `?` in `text` as a wildcard.
    init(_ text: String) {
        tokens = text.map { character in
            switch character {
            case "*": .anyRun
            case "?": .anyOne
            default: .literal(character)
            }
        }
    }

    /// Whether the pattern matches the whole of `text`.
    func matches(_ text: String) -> Bool {
        Self.match(tokens[...], Array(text)[...])
    }

    /// Iterative glob matching with single-star backtracking: linear in practice, never exponential.
    static func match(_ tokens: ArraySlice<WildcardToken>, _ text: ArraySlice<Character>) -> Bool {
        var p = tokens.startIndex
        var t = text.startIndex
        var starToken: Int?
        var starText = t
        while t < text.endIndex {
            if p < tokens.endIndex {
                switch tokens[p] {
                case .anyRun:
                    starToken = p
                    starText = t
                    p += 1
                    continue
                case .anyOne:
                    p += 1
                    t += 1
                    continue
                case .literal(let character) where character == text[t]:
                    p += 1
                    t += 1
                    continue
                case .literal:
                    break
                }
            }
            guard let star = starToken else { return false }
            p = star + 1
            starText += 1
            t = starText
        }
        while p < tokens.endIndex, tokens[p] == .anyRun {
            p += 1
        }
        return p == tokens.endIndex
    }
}

/// Matches ARNs the way IAM does in `Resource` and the `Arn*` condition operators: the pattern and the ARN
/// are compared per colon-separated segment (at most six; the last one, the resource, may itself contain
/// colons), and a wildcard never crosses a segment boundary. A pattern with fewer than six segments lets its
/// last segment cover the remainder of the ARN, so `arn:aws:kms:*` matches every KMS ARN. `*` alone matches anything.
enum ARNMatcher {
    static let segmentCount = 6

    static func matches(_ pattern: [WildcardToken], _ arn: String) -> Bool {
        if pattern == [.anyRun] { return true }
        let patternSegments = split(pattern)
        let text = Array(arn)
        var textSegments: [ArraySlice<Character>] = []
        var start = text.startIndex
        for index in text.indices where text[index] == ":" && textSegments.count < patternSegments.count - 1 {
            textSegments.append(text[start..<index])
            start = index + 1
        }
        textSegments.append(text[start...])
        guard textSegments.count == patternSegments.count else { return false }
        return zip(patternSegments, textSegments).allSatisfy { WildcardPattern.match($0, $1) }
    }

    private static func split(_ tokens: [WildcardToken]) -> [ArraySlice<WildcardToken>] {
        var segments: [ArraySlice<WildcardToken>] = []
        var start = tokens.startIndex
        for index in tokens.indices where tokens[index] == .literal(":") && segments.count < segmentCount - 1 {
            segments.append(tokens[start..<index])
            start = index + 1
        }
        segments.append(tokens[start...])
        return segments
    }
}
