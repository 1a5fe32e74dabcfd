/// A minimal XML writer for Query-protocol responses: elements, escaped text, nothing else.
public struct XMLWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    /// A document (with the XML declaration), or a fragment to be embedded in one.
    public init(fragment: Bool = false) {
        bytes.reserveCapacity(512)
        guard !fragment else { return }
        bytes += Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)
        bytes.append(0x0a)
    }

    /// Appends a fragment written by another writer.
    public mutating func append(_ fragment: XMLWriter) { bytes += fragment.bytes }

    /// Opens an element, with an `xmlns` attribute when given.
    public mutating func open(_ name: String, namespace: String? = nil) {
        bytes.append(UInt8(ascii: "<"))
        bytes += Array(name.utf8)
        if let namespace {
            bytes += Array(" xmlns=\"".utf8)
            escape(namespace)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    public mutating func close(_ name: String) {
        bytes += Array("</".utf8)
        bytes += Array(name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<name>text</name>`, the text escaped.
    public mutating func element(_ name: String, _ text: String) {
        open(name)
        escape(text)
        close(name)
    }

    /// Escaped character data inside the current element.
    public mutating func text(_ text: String) { escape(text) }

    /// The element only when there is a value.
    public mutating func element(_ name: String, ifPresent text: String?) {
        if let text { element(name, text) }
    }

    /// A block of child elements.
    public mutating func element(_ name: String, _ body: (inout XMLWriter) -> Void) {
        open(name)
        body(&self)
        close(name)
    }

    private mutating func escape(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): bytes += Array("&lt;".utf8)
            case UInt8(ascii: ">"): bytes += Array("&gt;".utf8)
            case UInt8(ascii: "&"): bytes += Array("&amp;".utf8)
            case UInt8(ascii: "\""): bytes += Array("&quot;".utf8)
            case UInt8(ascii: "'"): bytes += Array("&apos;".utf8)
            case 0x0d: bytes += Array("&#13;".utf8)
            default: bytes.append(byte)
            }
        }
    }
}
