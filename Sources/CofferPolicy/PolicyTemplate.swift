/// A string from a policy (a Resource entry or a condition value) that may hold policy variables.
///
/// With `Version` 2012-10-17, `${key}` is replaced by the single value of `key` in the request context and
/// `${key, 'fallback'}` falls back to `fallback` when the key has no value; `${*}`, `${?}` and `${$}` stand for a
/// literal `*`, `?` and `$`. Substituted text is always literal: a `*` inside a user name is not a wildcard.
/// With an older or absent version the string is used as written.
struct PolicyTemplate: Sendable {
    enum Part: Sendable, Hashable {
        /// Text from the policy; in pattern contexts its `*` and `?` are wildcards.
        case text(String)
        /// Text that is always literal (escapes and substituted values).
        case literal(String)
        case variable(name: String, fallback: String?)
    }

    let parts: [Part]

    init(_ raw: String, variablesEnabled: Bool) {
        guard variablesEnabled, raw.contains("${") else {
            parts = [.text(raw)]
            return
        }
        var parts: [Part] = []
        var text = ""
        var rest = raw[...]
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            text += rest[..<open.lowerBound]
            let inner = rest[open.upperBound..<close]
            if let part = Self.part(for: inner) {
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(part)
            } else {
                text += rest[open.lowerBound...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        if !text.isEmpty || parts.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    private static func part(for inner: Substring) -> Part? {
        switch inner {
        case "*", "?", "$": return .literal(String(inner))
        default: break
        }
        let name: Substring
        var fallback: String?
        if let comma = inner.firstIndex(of: ",") {
            name = inner[..<comma]
            var value = inner[inner.index(after: comma)...].trimmingSpaces()
            guard value.count >= 2, value.first == "'", value.last == "'" else { return nil }
            value = value.dropFirst().dropLast()
            fallback = String(value)
        } else {
            name = inner
        }
        let trimmed = name.trimmingSpaces()
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "$" || $0 == "{" || $0 == " " }) else { return nil }
        return .variable(name: String(trimmed), fallback: fallback)
    }

    /// The parts with every variable replaced; nil when a variable has no single value and no fallback.
    func resolved(in context: ConditionContext) -> [Part]? {
        var result: [Part] = []
        for part in parts {
            guard case .variable(let name, let fallback) = part else {
                result.append(part)
                continue
            }
            if let values = context[name], values.count == 1 {
                result.append(.literal(values[0]))
            } else if let fallback {
                result.append(.literal(fallback))
            } else {
                return nil
            }
        }
        return result
    }

    /// The resolved string, where `*` and `?` carry no meaning (StringEquals and friends).
    func string(in context: ConditionContext) -> String? {
        resolved(in: context)?.reduce(into: "") { result, part in
            switch part {
            case .text(let text), .literal(let text): result += text
            case .variable: break
            }
        }
    }

    /// The resolved wildcard pattern (Resource, StringLike, ArnLike).
    func pattern(in context: ConditionContext) -> WildcardPattern? {
        guard let parts = resolved(in: context) else { return nil }
        var tokens: [WildcardToken] = []
        for part in parts {
            switch part {
            case .text(let text): tokens += WildcardPattern(text).tokens
            case .literal(let text): tokens += text.map { .literal($0) }
            case .variable: break
            }
        }
        return WildcardPattern(tokens: tokens)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
