import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small read-only DOM for S3 request bodies.
///
/// Names are local names: any namespace prefix is dropped and `xmlns` declarations are ignored,
/// so `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`, `<s3:Tagging xmlns:s3="...">`
/// and `<Tagging>` all read the same. A document type declaration is refused outright, so no
/// entity beyond the five predefined ones exists and nothing external is ever fetched.
/// Processing instructions are refused too, and input must be UTF-8: FoundationXML traps on
/// either, so they never reach it.
public struct S3XMLElement: Sendable, Equatable {
    /// The local name, without any namespace prefix.
    public var name: String
    /// Attributes by local name; namespace declarations are not included.
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [S3XMLElement]
    /// The character data directly inside this element (CDATA included), concatenated and not trimmed.
    public var text: String

    /// An element built by hand (tests, or callers assembling a tree).
    public init(name: String, attributes: [String: String] = [:], children: [S3XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The deepest nesting accepted; the root is at depth 1.
    public static let maxDepth = 32
    /// The most elements accepted in one document.
    public static let maxElements = 100_000

    /// The first child with this local name.
    public func child(_ name: String) -> S3XMLElement? {
        children.first { $0.name == name }
    }

    /// Every child with this local name, in document order.
    public func children(_ name: String) -> [S3XMLElement] {
        children.filter { $0.name == name }
    }

    /// Parses a whole document. Anything not well-formed, a DTD, a processing instruction, bytes
    /// that are not UTF-8 (or an XML declaration naming another encoding), or a document past
    /// the depth or element limits is `MalformedXML`. The caller bounds the input size.
    public static func parse(_ bytes: [UInt8]) throws(S3WireError) -> S3XMLElement {
        // Checked here, not left to the parser: FoundationXML traps on names that are not UTF-8
        // and on processing instructions without data.
        guard !bytes.isEmpty, !bytes.contains(0), String(validating: bytes, as: UTF8.self) != nil,
              declaresUTF8(bytes), !containsForbiddenMarkup(bytes)
        else { throw .malformedXML }
        return try parseTree(bytes)
    }

    /// The `XMLParser` pass alone, without the pre-checks. Tests use it to show that the parser
    /// itself resolves no entity; it must only see input that would pass those checks.
    static func parseTree(_ bytes: [UInt8]) throws(S3WireError) -> S3XMLElement {
        let builder = S3XMLTreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let succeeded = parser.parse()
        guard succeeded, !builder.failed, let root = builder.root else { throw .malformedXML }
        return root
    }

    /// False when an XML declaration names an encoding other than UTF-8.
    static func declaresUTF8(_ bytes: [UInt8]) -> Bool {
        var body = bytes[...]
        if body.starts(with: [0xef, 0xbb, 0xbf]) { body = body.dropFirst(3) }
        guard body.starts(with: Array("<?xml".utf8)),
              let end = body.indices.first(where: { body[$0] == UInt8(ascii: "?") && body[($0 + 1)...].first == UInt8(ascii: ">") })
        else { return true }
        let declaration = String(decoding: body[body.startIndex..<end], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return true }
        let value = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = value.first, quote == "\"" || quote == "'" else { return false }
        let name = value.dropFirst().prefix { $0 != quote }
        return name.lowercased() == "utf-8"
    }

    /// True when the bytes hold markup S3 bodies never need and that is refused up front:
    /// `<!DOCTYPE` or `<!ENTITY` (ASCII case-insensitive) anywhere, which rules out entity
    /// expansion and external entities whatever the underlying parser would do; and any
    /// processing instruction other than a leading XML declaration (FoundationXML on Linux
    /// dereferences a null pointer for `<?target?>`).
    static func containsForbiddenMarkup(_ bytes: [UInt8]) -> Bool {
        let doctype = Array("<!doctype".utf8), entity = Array("<!entity".utf8)
        let declarationStart = bytes.starts(with: [0xef, 0xbb, 0xbf]) ? 3 : 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                switch bytes[index + 1] {
                case UInt8(ascii: "!"):
                    if matchesLowercased(bytes, at: index, doctype) || matchesLowercased(bytes, at: index, entity) {
                        return true
                    }
                case UInt8(ascii: "?"):
                    guard index == declarationStart, bytes.count > index + 5,
                          bytes[(index + 2)..<(index + 5)].elementsEqual("xml".utf8),
                          [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index + 5])
                    else { return true }
                default:
                    break
                }
            }
            index += 1
        }
        return false
    }

    private static func matchesLowercased(_ bytes: [UInt8], at start: Int, _ pattern: [UInt8]) -> Bool {
        guard start + pattern.count <= bytes.count else { return false }
        for offset in 0..<pattern.count {
            var byte = bytes[start + offset]
            if byte >= 0x41, byte <= 0x5a { byte |= 0x20 }
            if byte != pattern[offset] { return false }
        }
        return true
    }

    /// The part of a qualified name after its prefix.
    static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }
}

/// The `XMLParser` delegate that assembles `S3XMLElement`s and enforces the limits.
/// It lives only for one synchronous `parse()` call and is never shared.
final class S3XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [S3XMLElement] = []
    private var elementCount = 0
    private(set) var root: S3XMLElement?
    private(set) var failed = false

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elementCount += 1
        guard !failed, root == nil, stack.count < S3XMLElement.maxDepth,
              elementCount <= S3XMLElement.maxElements
        else { return fail(parser) }
        var attributes: [String: String] = [:]
        for (name, value) in attributeDict where name != "xmlns" && !name.hasPrefix("xmlns:") {
            attributes[S3XMLElement.localName(name)] = value
        }
        stack.append(S3XMLElement(name: S3XMLElement.localName(elementName), attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        guard !failed, let element = stack.popLast() else { return fail(parser) }
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        guard let text = String(data: CDATABlock, encoding: .utf8) else { return fail(parser) }
        stack[stack.count - 1].text += text
    }

    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) { fail(parser) }
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) { fail(parser) }
    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser)
    }
    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(parser)
        return nil
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { failed = true }

    private func fail(_ parser: XMLParser) {
        failed = true
        parser.abortParsing()
    }
}
