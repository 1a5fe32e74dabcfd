import Foundation
import Testing
@testable import CofferS3Wire

@Suite("S3XMLElement")
struct S3XMLElementTests {
    func parse(_ text: String) throws -> S3XMLElement { try S3XMLElement.parse(Array(text.utf8)) }

    func expectMalformed(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: S3WireError.malformedXML, sourceLocation: sourceLocation) { try S3XMLElement.parse(bytes) }
    }

    func expectMalformed(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectMalformed(Array(text.utf8), sourceLocation: sourceLocation)
    }

    @Test func treeNamesTextAndLookup() throws {
        let root = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Object><Key>a</Key></Object>
              <Object><Key>b</Key><VersionId>v</VersionId></Object>
              <Quiet>true</Quiet>
            </Delete>
            """)
        #expect(root.name == "Delete")
        #expect(root.attributes.isEmpty)
        #expect(root.children.map(\.name) == ["Object", "Object", "Quiet"])
        #expect(root.children("Object").count == 2)
        #expect(root.child("Quiet")?.text == "true")
        #expect(root.child("Missing") == nil)
        #expect(root.children("Object")[1].child("VersionId")?.text == "v")
        #expect(root.text.allSatisfy { $0.isWhitespace })
    }

    @Test func namespacesAreIgnored() throws {
        let plain = try parse("<Tagging><TagSet/></Tagging>")
        let defaulted = try parse(#"<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet/></Tagging>"#)
        let prefixed = try parse(#"<s3:Tagging xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:TagSet/></s3:Tagging>"#)
        let other = try parse(#"<Tagging xmlns="urn:other"><TagSet xmlns=""/></Tagging>"#)
        for root in [plain, defaulted, prefixed, other] {
            #expect(root.name == "Tagging")
            #expect(root.child("TagSet") != nil)
            #expect(root.attributes.isEmpty)
        }
    }

    @Test func attributesByLocalName() throws {
        let root = try parse(#"<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser" id='7'/>"#)
        #expect(root.attributes == ["type": "CanonicalUser", "id": "7"])
    }

    @Test func textIsConcatenatedAndNotTrimmed() throws {
        let root = try parse("<Key>  a &amp; b &lt;c&gt; &quot;&apos; <![CDATA[<raw>&amp;]]> &#x4e2d;&#13;\r\nend  </Key>")
        // XML normalises a literal CR LF to LF; a character reference keeps CR.
        #expect(root.text == "  a & b <c> \"' <raw>&amp; 中\r\nend  ")
    }

    @Test func mixedContentKeepsOnlyDirectText() throws {
        let root = try parse("<a>x<b>inner</b>y</a>")
        #expect(root.text == "xy")
        #expect(root.child("b")?.text == "inner")
    }

    @Test func utf8Text() throws {
        #expect(try parse("<Key>café/☃😀</Key>").text == "café/☃😀")
    }

    @Test(arguments: [
        "", " ", "plain text", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a>&foo;</a>", "<a>&#0;</a>",
        "<a>\u{01}</a>", "<a x='1' x='2'/>", "<p:a>unbound prefix</p:a>", "<a>]]></a>", "<1a/>", "<a><!-- -- --></a>",
        "<?xml version=\"1.0\"?>", "</a>",
    ])
    func malformed(_ text: String) {
        expectMalformed(text)
    }

    @Test func nonUTF8IsMalformed() {
        expectMalformed([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e])  // <a>\xff\xfe</a>
        expectMalformed([0x3c, 0x61, 0x3e, 0xc3, 0x3c, 0x2f, 0x61, 0x3e])  // truncated sequence
        expectMalformed([0x3c, 0x61, 0x3e, 0xed, 0xa0, 0x80, 0x3c, 0x2f, 0x61, 0x3e])  // UTF-8 surrogate
        expectMalformed([0x3c, 0x61, 0x3e, 0xc0, 0xaf, 0x3c, 0x2f, 0x61, 0x3e])  // overlong '/'
    }

    /// FoundationXML force-unwraps names, comments and PI targets as UTF-8; such input must be
    /// refused before it reaches the parser (a fuzzed `<\xDDxml ...>` used to trap).
    @Test func invalidUTF8InMarkupNeverReachesTheParser() {
        let cases: [[UInt8]] = [
            [0x3c, 0xdd] + Array("xml version=\"1.0\"?><a/>".utf8),
            Array("<a ".utf8) + [0xdd] + Array("b='1'/>".utf8),
            Array("<a><!-- ".utf8) + [0xff] + Array(" --></a>".utf8),
            Array("<a><?pi".utf8) + [0xc3] + Array(" x?></a>".utf8),
            Array("<a>&".utf8) + [0xe2, 0x82] + Array(";</a>".utf8),
            Array("<a>".utf8) + [0x00] + Array("</a>".utf8),
        ]
        for bytes in cases { expectMalformed(bytes) }
    }

    @Test func encodingDeclarations() throws {
        for declaration in [#"<?xml version="1.0" encoding="UTF-8"?>"#, "<?xml version='1.0' encoding='utf-8'?>",
                            #"<?xml version="1.0" encoding = "Utf-8" standalone="yes"?>"#, #"<?xml version="1.0"?>"#, ""] {
            #expect(try parse(declaration + "<a>é</a>").text == "é")
        }
        #expect(try S3XMLElement.parse([0xef, 0xbb, 0xbf] + Array(#"<?xml version="1.0" encoding="UTF-8"?><a>x</a>"#.utf8)).text == "x")
        for other in ["ISO-8859-1", "UTF-16", "US-ASCII", "EBCDIC-US", ""] {
            expectMalformed(#"<?xml version="1.0" encoding="\#(other)"?><a>x</a>"#)
        }
        expectMalformed(#"<?xml version="1.0" encoding=UTF-8?><a>x</a>"#)
        expectMalformed([0xff, 0xfe, 0x3c, 0x00, 0x61, 0x00, 0x2f, 0x00, 0x3e, 0x00])  // UTF-16LE "<a/>"
    }

    @Test func billionLaughsIsRefused() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            doc += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
        }
        doc += "]>\n<lolz>&lol9;</lolz>"
        expectMalformed(doc)
    }

    @Test(arguments: [
        #"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#,
        #"<!DOCTYPE a SYSTEM "http://127.0.0.1:9/evil.dtd"><a>q</a>"#,
        #"<!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><a/>"#,
        #"<!doctype a><a/>"#,
        #"<a><![CDATA[<!DOCTYPE is refused even in text]]></a>"#,
        "<!DOCTYPE a><a/>",
        #"<a><!ENTITY x "y"></a>"#,
    ])
    func declarationsAreRefused(_ text: String) {
        expectMalformed(text)
    }

    /// Even without the up-front check, the parser itself neither expands internal entities
    /// nor reads external ones: the referenced text never appears.
    @Test func parserAloneResolvesNothing() throws {
        var laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for level in 1...9 {
            laughs += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">"
        }
        laughs += "]><lolz>&lol9;</lolz>"
        let documents = [
            laughs,
            #"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#,
            #"<!DOCTYPE a [<!ENTITY x "expanded">]><a>&x;</a>"#,
        ]
        for document in documents {
            let start = ContinuousClock.now
            let root = try? S3XMLElement.parseTree(Array(document.utf8))
            #expect(ContinuousClock.now - start < .seconds(5))
            if let root {
                #expect(!root.text.contains("lol"))
                #expect(!root.text.contains("root:"))
                #expect(!root.text.contains("expanded"))
            }
        }
    }

    @Test func depthLimit() throws {
        func nested(_ depth: Int) -> String {
            String(repeating: "<a>", count: depth) + "x" + String(repeating: "</a>", count: depth)
        }
        var element = try parse(nested(S3XMLElement.maxDepth))
        var depth = 1
        while let child = element.child("a") {
            element = child
            depth += 1
        }
        #expect(depth == S3XMLElement.maxDepth)
        #expect(element.text == "x")
        expectMalformed(nested(S3XMLElement.maxDepth + 1))
        expectMalformed(nested(100_000))
    }

    @Test func elementCountLimit() throws {
        let atLimit = "<r>" + String(repeating: "<e/>", count: S3XMLElement.maxElements - 1) + "</r>"
        #expect(try parse(atLimit).children.count == S3XMLElement.maxElements - 1)
        let over = "<r>" + String(repeating: "<e/>", count: S3XMLElement.maxElements) + "</r>"
        expectMalformed(over)
    }

    @Test func trailingGarbageAndMultipleRoots() {
        expectMalformed("<a/>junk")
        expectMalformed("<a/><a/>")
        expectMalformed("\u{0}<a/>")
    }

    /// FoundationXML on Linux dereferences a null pointer for a processing instruction without
    /// data (`<?pi?>`), so every processing instruction but the XML declaration is refused.
    @Test(arguments: ["<a><?pi?></a>", "<a><?pi data?></a>", "<?pi?><a/>", "<a/><?pi?>", "<?xml-stylesheet href='x'?><a/>",
                      " <?xml version=\"1.0\"?><a/>", "<a><![CDATA[<?x?>]]></a>", "<a><!-- <?x?> --></a>"])
    func processingInstructionsAreRefused(_ text: String) {
        expectMalformed(text)
    }

    @Test func emptyCommentsAndCDATA() throws {
        let root = try parse("<a><!----><![CDATA[]]>x<!-- c --></a>")
        #expect(root.text == "x")
        #expect(root.children.isEmpty)
    }

    /// Random documents built from awkward pieces (odd names, undefined entities, bad character
    /// references, unbound prefixes, mismatched tags): parsing must throw or succeed, never trap.
    @Test func structuredFuzzNeverTraps() {
        var rng = SplitMix64(state: 99)
        let names = ["a", "p:a", "xmlns", "xml:lang", "é", "☃", "a-b", "_", "a.b", "1", "", ":", "a:", "x:y:z", "😀", "\u{300}"]
        let texts = ["", "x", "&amp;", "&lt;", "&#65;", "&#x0;", "&#xD800;", "&#x10FFFF;", "&#x110000;", "&undefined;", "&", "<",
                     "]]>", "é☃😀", "\r\n", "&#13;", "<!---->", "<!-- x -->", "<![CDATA[]]>", "<![CDATA[<&>]]>", "<!--->"]
        func generate(_ depth: Int) -> String {
            let name = names.randomElement(using: &rng) ?? "a"
            var attributes = ""
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                attributes += " \(names.randomElement(using: &rng) ?? "a")=\"\(texts.randomElement(using: &rng) ?? "")\""
            }
            if Bool.random(using: &rng) { attributes += " xmlns:p=\"u\"" }
            if depth > 4 || Int.random(in: 0..<4, using: &rng) == 0 { return "<\(name)\(attributes)/>" }
            var body = ""
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                body += Bool.random(using: &rng) ? texts.randomElement(using: &rng) ?? "" : generate(depth + 1)
            }
            let close = Int.random(in: 0..<20, using: &rng) == 0 ? names.randomElement(using: &rng) ?? "a" : name
            return "<\(name)\(attributes)>\(body)</\(close)>"
        }
        var accepted = 0
        for _ in 0..<5000 where (try? S3XMLElement.parse(Array(generate(0).utf8))) != nil {
            accepted += 1
        }
        #expect(accepted > 0)
    }

    @Test func fuzzedPrefixesNeverCrash() {
        let document = Array(#"<?xml version="1.0"?><Delete xmlns="x"><Object><Key>k&amp;</Key><VersionId>v</VersionId></Object><Quiet>true</Quiet></Delete>"#.utf8)
        for cut in 0..<document.count {
            _ = try? S3XMLElement.parse(Array(document[0..<cut]))
        }
        var rng = SplitMix64(state: 42)
        for _ in 0..<300 {
            var mutated = document
            for _ in 0..<3 {
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = try? S3XMLElement.parse(mutated)
        }
    }
}

@Suite("S3XMLElement concurrency")
struct S3XMLElementConcurrencyTests {
    /// The server parses bodies on many threads at once; FoundationXML keeps per-thread state.
    @Test func parallelParsing() async {
        let document = Array(#"<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>k&amp;1</Key></Object><Quiet>true</Quiet></Delete>"#.utf8)
        let broken = Array("<Delete><Object><Key>k</Key></Delete>".utf8)
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var ok = true
                    for i in 0..<300 {
                        if i % 3 == 0 {
                            ok = ok && (try? S3XMLElement.parse(broken)) == nil
                        } else {
                            ok = ok && (try? S3XMLElement.parse(document))?.child("Object")?.child("Key")?.text == "k&1"
                        }
                    }
                    return ok
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
