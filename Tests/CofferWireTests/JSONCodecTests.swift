@testable import CofferWire
import Testing

struct JSONCodecTests {
    @Test func parsesNestedDocuments() throws {
        let value = try JSONParser.parse(Array(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d\n\u00e9\ud83d\ude00"}} "#.utf8))
        #expect(value == .object([
            "a": .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d\né😀")]),
        ]))
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "tru", "\"\\x\"", "\"\\ud800\"",
        "\"\\udc00x\"", "\"a\u{01}\"", "{} x", "\"unterminated", "{\"a\":1}}", "nul",
    ])
    func rejectsMalformedInput(_ text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { _ = try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.SyntaxError.self) { _ = try JSONParser.parse([0x22, 0xff, 0xfe, 0x22]) }
    }

    @Test func boundsNestingDepth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.SyntaxError.self) { _ = try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 30) + String(repeating: "]", count: 30)
        #expect((try? JSONParser.parse(Array(fine.utf8))) != nil)
    }

    @Test func writerEscapesAndParsesBack() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("s"); writer.string("quote\" back\\ nl\n tab\t ctl\u{01} é")
        writer.key("n"); writer.int(-42)
        writer.key("b"); writer.bool(true)
        writer.key("l"); writer.stringArray(["x", "y"])
        writer.endObject()
        let parsed = try JSONParser.parse(writer.bytes)
        #expect(parsed == .object([
            "s": .string("quote\" back\\ nl\n tab\t ctl\u{01} é"), "n": .number("-42"), "b": .bool(true),
            "l": .array([.string("x"), .string("y")]),
        ]))
    }

    @Test func base64RoundTripsEveryLength() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64.encode(bytes)
            #expect(Base64.decode(encoded) == bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
        }
    }

    @Test(arguments: ["a", "abc", "ab=c", "a===", "ab==cd==", "ab\ncd==", "!!!!", "QQ=Q", "QR=="])
    func base64RejectsInvalidText(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }
}

import Foundation
