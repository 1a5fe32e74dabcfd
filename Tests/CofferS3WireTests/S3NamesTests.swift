import Testing
@testable import CofferS3Wire

@Suite("Bucket and key names")
struct S3NamesTests {
    // Examples from AWS's general purpose bucket naming rules, plus edge cases.
    @Test(arguments: [
        "docexamplebucket1", "log-delivery-march-2020", "my-hosted-content", "docexamplewebsite.com", "www.docexamplewebsite.com",
        "my.example.s3.bucket", "abc", String(repeating: "a", count: 63), "1bucket", "bucket1", "a-b", "a.b", "a--b", "0.0.0",
        "1.2.3.4.5", "1.2.3.a", "192.168.5.4a", "xn-abc", "sthree", "amzn-s3-demo", "my-s3alias-bucket", "bucket-s3aliasx",
        "a.-b", "a-.b",
    ])
    func valid(_ name: String) throws {
        #expect(S3Names.isValidBucketName(name))
        try S3Names.validateBucketName(name)
    }

    @Test(arguments: [
        "", "ab", String(repeating: "a", count: 64), "doc_example_bucket", "DocExampleBucket", "doc-example-bucket-",
        "-bucket", ".bucket", "bucket.", "my..bucket", "192.168.5.4", "1.2.3.4", "999.999.999.999", "0.0.0.0",
        "xn--bucket", "sthree-bucket", "sthree-configurator", "amzn-s3-demo-bucket", "bucket-s3alias", "bucket--ol-s3",
        "bucket.mrap", "bucket--x-s3", "bucket--use1-az4--x-s3", "bucket--table-s3", "buck et", "bücket", "bucket/", "bucket:1",
        "a\u{0}b", "ǆemo",
    ])
    func invalid(_ name: String) {
        #expect(!S3Names.isValidBucketName(name))
        #expect(throws: S3WireError(code: "InvalidBucketName", message: "The specified bucket is not valid.")) {
            try S3Names.validateBucketName(name)
        }
    }

    @Test func objectKeys() throws {
        try S3Names.validateObjectKey("a")
        try S3Names.validateObjectKey("")  // left to the caller
        try S3Names.validateObjectKey(String(repeating: "k", count: 1024))
        try S3Names.validateObjectKey(String(repeating: "é", count: 512))  // 1024 bytes
        let tooLong = S3WireError(code: "KeyTooLongError", message: "Your key is too long")
        #expect(throws: tooLong) { try S3Names.validateObjectKey(String(repeating: "k", count: 1025)) }
        #expect(throws: tooLong) { try S3Names.validateObjectKey(String(repeating: "é", count: 512) + "x") }
        #expect(throws: tooLong) { try S3Names.validateObjectKey(String(repeating: "😀", count: 257)) }  // 1028 bytes
        try S3Names.validateObjectKey(String(repeating: "😀", count: 256))
    }
}

@Suite("S3 URL encoding")
struct S3URLEncodingTests {
    // S3's answers measured in ap-northeast-2 (public issue report) plus the API reference's example.
    @Test(arguments: [
        ("a b.txt", "a+b.txt"), ("a+b.txt", "a%2Bb.txt"), ("100%.csv", "100%25.csv"),
        ("한글/x.txt", "%ED%95%9C%EA%B8%80/x.txt"), ("run books/x.txt", "run+books/x.txt"),
        ("test_file(3).png", "test_file%283%29.png"),
        ("plain-Key_1.2~3", "plain-Key_1.2~3"), ("a/b//c/", "a/b//c/"), ("", ""),
        ("\u{1}\u{4}\n\r\t", "%01%04%0A%0D%09"), ("<&>\"'", "%3C%26%3E%22%27"), ("?#=:@!$*,;", "%3F%23%3D%3A%40%21%24%2A%2C%3B"),
        ("é😀", "%C3%A9%F0%9F%98%80"),
    ] as [(String, String)])
    func listingEncoding(_ key: String, _ encoded: String) {
        #expect(S3URLEncoding.encodeForListing(key) == encoded)
    }

    @Test func listingEncodingRoundTripsThroughFormDecoding() throws {
        var rng = SplitMix64(state: 17)
        let scalars = Array("aZ09-_.~/ +%&=?#é☃😀\u{1}\u{7f}".unicodeScalars)
        for _ in 0..<2000 {
            var key = ""
            for _ in 0..<Int.random(in: 0...20, using: &rng) {
                key.unicodeScalars.append(scalars[Int.random(in: 0..<scalars.count, using: &rng)])
            }
            let encoded = S3URLEncoding.encodeForListing(key)
            #expect(encoded.utf8.allSatisfy { $0 < 0x80 && $0 != 0x20 })
            // What botocore does with it: unquote_plus.
            let decoded = try #require(S3URLEncoding.percentDecode(encoded.utf8, plusIsSpace: true))
            #expect(String(decoding: decoded, as: UTF8.self) == key)
        }
    }

    @Test func encodingType() throws {
        #expect(try S3URLEncoding.wantsURLEncoding(nil) == false)
        #expect(try S3URLEncoding.wantsURLEncoding("url") == true)
        for bad in ["", "URL", "base64", "url "] {
            #expect(throws: S3WireError.invalidArgument("Invalid Encoding Method specified in Request")) {
                try S3URLEncoding.wantsURLEncoding(bad)
            }
        }
    }

    @Test(arguments: [
        ("photos/2006/February/sample.jpg", "photos/2006/February/sample.jpg"),
        ("a%20b", "a b"), ("a+b", "a+b"), ("a%2Bb", "a+b"), ("a%2bb", "a+b"), ("%2F%2f", "//"),
        ("caf%C3%A9", "café"), ("%F0%9F%98%80", "😀"), ("caf\u{e9}", "café"), ("100%25", "100%"), ("%25%32%35", "%25"),
        ("", ""), ("%00", "\u{0}"),
    ] as [(String, String)])
    func pathDecoding(_ path: String, _ key: String) throws {
        #expect(try S3URLEncoding.decodePath(path) == key)
        #expect(try S3URLEncoding.decodePath(Substring(path)) == key)
    }

    @Test(arguments: ["%", "%2", "%G0", "%0G", "a%", "a%2", "%%", "%C3", "%C3%28", "%FF", "%ED%A0%80", "%C0%AF", "%F4%90%80%80", "%E2%82"])
    func invalidPaths(_ path: String) {
        #expect(throws: S3WireError(code: "InvalidURI", message: "Couldn't parse the specified URI.")) {
            try S3URLEncoding.decodePath(path)
        }
    }
}
