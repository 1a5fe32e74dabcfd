import CofferCore
import Testing
@testable import CofferS3Wire

@Suite("Tagging")
struct S3TaggingTests {
    static let keyInvalid = S3WireError.invalidTag("The TagKey you have provided is invalid")
    static let valueInvalid = S3WireError.invalidTag("The TagValue you have provided is invalid")
    static let duplicate = S3WireError.invalidTag("Cannot provide multiple Tags with the same key")
    static let headerInvalid = S3WireError.invalidArgument(S3Tagging.headerMessage)

    func xml(_ tags: [(String, String)]) -> [UInt8] {
        let inner = tags.map { "<Tag><Key>\($0.0)</Key><Value>\($0.1)</Value></Tag>" }.joined()
        return Array("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>\(inner)</TagSet></Tagging>".utf8)
    }

    @Test func botocoreBodies() throws {
        #expect(try S3Tagging.parse(Boto3XMLBodies.body("put-object-tagging"), kind: .object) == [
            S3Tag(key: "project", value: "blue"), S3Tag(key: "nümero", value: "a b+c=d:e/f@g-h_i.j"),
        ])
        #expect(try S3Tagging.parse(Boto3XMLBodies.body("put-bucket-tagging-empty"), kind: .bucket) == [])
    }

    @Test func awsSampleWithoutNamespace() throws {
        let sample = """
            <Tagging>
               <TagSet>
                  <Tag>
                     <Key>tag1</Key>
                     <Value>val1</Value>
                  </Tag>
                  <Tag>
                     <Key>tag2</Key>
                     <Value>val2</Value>
                  </Tag>
               </TagSet>
            </Tagging>
            """
        #expect(try S3Tagging.parse(Array(sample.utf8), kind: .object) == [S3Tag(key: "tag1", value: "val1"), S3Tag(key: "tag2", value: "val2")])
    }

    @Test func countLimits() throws {
        let ten = (0..<10).map { ("k\($0)", "v") }
        #expect(try S3Tagging.parse(xml(ten), kind: .object).count == 10)
        #expect(throws: S3WireError.badRequest("Object tags cannot be greater than 10")) {
            try S3Tagging.parse(xml(ten + [("k10", "v")]), kind: .object)
        }
        let fifty = (0..<50).map { ("k\($0)", "v") }
        #expect(try S3Tagging.parse(xml(fifty), kind: .bucket).count == 50)
        #expect(throws: S3WireError.badRequest("Bucket tag count cannot be greater than 50")) {
            try S3Tagging.parse(xml(fifty + [("k50", "v")]), kind: .bucket)
        }
        #expect(S3TagSetKind.object.limit == 10 && S3TagSetKind.bucket.limit == 50)
    }

    /// Lengths count UTF-16 code units: a character outside the BMP takes two.
    @Test func lengthsInUTF16() throws {
        let key128 = String(repeating: "k", count: 128)
        let value256 = String(repeating: "v", count: 256)
        #expect(try S3Tagging.parse(xml([(key128, value256)]), kind: .object) == [S3Tag(key: key128, value: value256)])
        #expect(throws: Self.keyInvalid) { try S3Tagging.parse(xml([(key128 + "k", "v")]), kind: .object) }
        #expect(throws: Self.valueInvalid) { try S3Tagging.parse(xml([("k", value256 + "v")]), kind: .object) }
        let wideKey = String(repeating: "𝐀", count: 64)  // 64 scalars, 128 UTF-16 units
        #expect(try S3Tagging.parse(xml([(wideKey, "")]), kind: .object).first?.key == wideKey)
        #expect(throws: Self.keyInvalid) { try S3Tagging.parse(xml([(wideKey + "a", "")]), kind: .object) }
        let wideValue = String(repeating: "é", count: 256)  // 2 UTF-8 bytes each, 1 UTF-16 unit
        #expect(try S3Tagging.parse(xml([("k", wideValue)]), kind: .object).first?.value == wideValue)
    }

    @Test func keysAndValues() throws {
        #expect(throws: Self.keyInvalid) { try S3Tagging.parse(xml([("", "v")]), kind: .object) }
        #expect(try S3Tagging.parse(xml([("k", "")]), kind: .object) == [S3Tag(key: "k", value: "")])
        let symbols = "+- =._:/@"
        #expect(try S3Tagging.parse(xml([(symbols, symbols)]), kind: .object) == [S3Tag(key: symbols, value: symbols)])
        for accepted in ["日本語", "हिन्दी", "Ελληνικά", "١٢٣", "ǅ", "x\u{301}", "a\u{3000}b"] {
            #expect(try S3Tagging.parse(xml([(accepted, accepted)]), kind: .object).first?.key == accepted)
        }
        for rejected in ["a,b", "[x]", "{y}", "a*b", "a#b", "a?b", "a!b", "😀", "a\tb", "&lt;", "a;b", "$", "%", "a&#x85;b", "a\u{200B}b"] {
            #expect(throws: Self.keyInvalid) { try S3Tagging.parse(xml([(rejected, "v")]), kind: .object) }
            #expect(throws: Self.valueInvalid) { try S3Tagging.parse(xml([("k", rejected)]), kind: .object) }
        }
        // Whitespace is kept as sent: these are two different keys.
        #expect(try S3Tagging.parse(xml([("k", "1"), (" k ", "2")]), kind: .object).count == 2)
    }

    @Test func reservedPrefix() throws {
        for key in ["aws:x", "AWS:x", "Aws:cloudformation:stack-name"] {
            #expect(throws: S3WireError.invalidTag("Your TagKey cannot be prefixed with aws:")) {
                try S3Tagging.parse(xml([(key, "v")]), kind: .bucket)
            }
        }
        #expect(try S3Tagging.parse(xml([("awsx", "v"), ("my:aws:", "v")]), kind: .object).count == 2)
    }

    @Test func duplicates() {
        #expect(throws: Self.duplicate) { try S3Tagging.parse(xml([("a", "1"), ("b", "2"), ("a", "3")]), kind: .object) }
        #expect(throws: Self.duplicate) { try S3Tagging.parse(xml([("a", "1"), ("a", "1")]), kind: .bucket) }
    }

    @Test(arguments: [
        "<Tagging/>", "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>",
        "<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>",
        "<Tagging><TagSet><Tag><Key>k</Key><Key>k2</Key><Value>v</Value></Tag></TagSet></Tagging>",
        "<Tagging><TagSet><Other/></TagSet></Tagging>", "<Tagging><TagSet/><TagSet/></Tagging>",
        "<TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet>",
        "<Tagging><TagSet><Tag><Key><b/></Key><Value>v</Value></Tag></TagSet></Tagging>",
    ])
    func malformed(_ body: String) {
        #expect(throws: S3WireError.malformedXML) { try S3Tagging.parse(Array(body.utf8), kind: .object) }
    }

    // MARK: x-amz-tagging

    @Test func headerForms() throws {
        #expect(try S3Tagging.parseHeader("tag1=value1&tag2=value2") == [S3Tag(key: "tag1", value: "value1"), S3Tag(key: "tag2", value: "value2")])
        #expect(try S3Tagging.parseHeader("") == [])
        #expect(try S3Tagging.parseHeader("&&") == [])
        // A key without `=` has the empty value.
        #expect(try S3Tagging.parseHeader("foo=bar&bar") == [S3Tag(key: "foo", value: "bar"), S3Tag(key: "bar", value: "")])
        #expect(try S3Tagging.parseHeader("k=") == [S3Tag(key: "k", value: "")])
        // Form encoding: `+` is a space, `%2B` a plus.
        #expect(try S3Tagging.parseHeader("a+b=c%2Bd&x%3Dy=%3D") == [S3Tag(key: "a b", value: "c+d"), S3Tag(key: "x=y", value: "=")])
        #expect(try S3Tagging.parseHeader("n%C3%BCmero=caf%c3%a9") == [S3Tag(key: "nümero", value: "café")])
        // A presigned URL's query carries the header value encoded once more.
        #expect(try S3Tagging.parseHeader(S3URLEncoding.decodePath("a%3Db%26c%3Dd")) == [S3Tag(key: "a", value: "b"), S3Tag(key: "c", value: "d")])
    }

    @Test func headerSyntaxErrorsAreInvalidArgument() {
        for header in ["TagSet=[{Key=string,Value=string}]", "a=b=c", "a=%", "a=%4", "a=%zz", "%ff=v", "a=%c3", "k=1&k=2", "=v&=w"] {
            #expect(throws: Self.headerInvalid) { try S3Tagging.parseHeader(header) }
        }
    }

    @Test func headerTagsAreValidatedAsObjectTags() {
        #expect(throws: Self.keyInvalid) { try S3Tagging.parseHeader("TagSet%3D%5B%7BKey%3Dstring%2CValue%3Dstring%7D%5D") }
        #expect(throws: Self.keyInvalid) { try S3Tagging.parseHeader("=v") }
        let eleven = (0..<11).map { "k\($0)=v" }.joined(separator: "&")
        #expect(throws: S3WireError.badRequest("Object tags cannot be greater than 10")) { try S3Tagging.parseHeader(eleven) }
        #expect(throws: Self.valueInvalid) { try S3Tagging.parseHeader("k=" + String(repeating: "v", count: 257)) }
        #expect(throws: S3WireError.invalidTag("Your TagKey cannot be prefixed with aws:")) { try S3Tagging.parseHeader("aws%3Ax=1") }
    }

    @Test func validateDirectly() throws {
        try S3Tagging.validate([], kind: .object)
        #expect(throws: Self.duplicate) { try S3Tagging.validate([S3Tag(key: "a", value: ""), S3Tag(key: "a", value: "")], kind: .object) }
    }
}
