import CofferCore
import Foundation
import Testing
@testable import CofferS3Wire

/// Bodies serialized by botocore's rest-xml serializer (scripts/capture_boto3_xml_bodies.py).
struct Boto3XMLBodies: Decodable {
    struct Case: Decodable {
        var name: String
        var operation: String
        var body: String
    }
    var botocore: String
    var cases: [Case]

    static let all: [String: [UInt8]] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/boto3_xml_bodies.json")
        guard let data = try? Data(contentsOf: url),
              let document = try? JSONDecoder().decode(Boto3XMLBodies.self, from: data) else { return [:] }
        return Dictionary(uniqueKeysWithValues: document.cases.map { ($0.name, Array($0.body.utf8)) })
    }()

    static func body(_ name: String) throws -> [UInt8] { try #require(all[name]) }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("CreateBucketConfiguration")
struct CreateBucketConfigurationTests {
    @Test func botocoreBodies() throws {
        let location = try S3CreateBucketConfiguration.parse(Boto3XMLBodies.body("create-bucket-location"))
        #expect(location == S3CreateBucketConfiguration(locationConstraint: "eu-west-1"))
        let tagged = try S3CreateBucketConfiguration.parse(Boto3XMLBodies.body("create-bucket-tags"))
        #expect(tagged.locationConstraint == "us-west-2")
        #expect(tagged.tags == [S3Tag(key: "team", value: "storage"), S3Tag(key: "cost center", value: "")])
    }

    @Test(arguments: ["", " ", "\r\n\t "])
    func emptyBodyIsAllowed(_ body: String) throws {
        #expect(try S3CreateBucketConfiguration.parse(bytes(body)) == S3CreateBucketConfiguration())
    }

    @Test func emptyOrAbsentConstraint() throws {
        // AWS's own sample ends with `</CreateBucketConfiguration >`, which XML allows.
        let sample = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
            + "  <LocationConstraint>Europe</LocationConstraint>\n</CreateBucketConfiguration >"
        #expect(try S3CreateBucketConfiguration.parse(bytes(sample)).locationConstraint == "Europe")
        #expect(try S3CreateBucketConfiguration.parse(bytes("<CreateBucketConfiguration/>")).locationConstraint == nil)
        #expect(try S3CreateBucketConfiguration.parse(bytes("<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>"))
            .locationConstraint == nil)
        #expect(try S3CreateBucketConfiguration.parse(bytes("<CreateBucketConfiguration><LocationConstraint> us-west-2\n</LocationConstraint></CreateBucketConfiguration>"))
            .locationConstraint == "us-west-2")
    }

    @Test(arguments: [
        "<Other/>", "<CreateBucketConfiguration>", "<CreateBucketConfiguration><LocationConstraint>a</LocationConstraint><LocationConstraint>b</LocationConstraint></CreateBucketConfiguration>",
        "<CreateBucketConfiguration><LocationConstraint><x/></LocationConstraint></CreateBucketConfiguration>",
        "<CreateBucketConfiguration><Tags><Tag><Key>k</Key></Tag></Tags></CreateBucketConfiguration>",
        "<CreateBucketConfiguration><Tags><NotATag/></Tags></CreateBucketConfiguration>",
    ])
    func malformed(_ body: String) {
        #expect(throws: S3WireError.malformedXML) { try S3CreateBucketConfiguration.parse(bytes(body)) }
    }

    @Test func tagsAreValidatedAsBucketTags() throws {
        let fifty = (0..<50).map { "<Tag><Key>k\($0)</Key><Value>v</Value></Tag>" }.joined()
        #expect(try S3CreateBucketConfiguration.parse(bytes("<CreateBucketConfiguration><Tags>\(fifty)</Tags></CreateBucketConfiguration>")).tags.count == 50)
        let duplicate = "<CreateBucketConfiguration><Tags><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></Tags></CreateBucketConfiguration>"
        #expect(throws: S3WireError.invalidTag("Cannot provide multiple Tags with the same key")) {
            try S3CreateBucketConfiguration.parse(bytes(duplicate))
        }
    }
}

@Suite("DeleteObjects body")
struct DeleteObjectsTests {
    @Test func botocoreBodies() throws {
        let delete = try S3DeleteObjects.parse(Boto3XMLBodies.body("delete-objects"))
        #expect(delete.quiet)
        #expect(delete.objects == [
            S3ObjectIdentifier(key: "a.txt"),
            S3ObjectIdentifier(key: " spaced key "),
            S3ObjectIdentifier(key: "v<&>\"'", versionId: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"),
            S3ObjectIdentifier(key: "cond", eTag: "\"abc\""),
            S3ObjectIdentifier(key: "café/☃😀"),
        ])
        let verbose = try S3DeleteObjects.parse(Boto3XMLBodies.body("delete-objects-verbose"))
        #expect(!verbose.quiet)
        #expect(verbose.objects == [S3ObjectIdentifier(key: "only")])
    }

    /// The sample request of the DeleteObjects API reference, without a namespace.
    @Test func awsSample() throws {
        let sample = """
            <Delete>
                <Object>
                     <Key>sample1.txt</Key>
                </Object>
                <Object>
                   <Key>sample2.txt</Key>
                </Object>
            </Delete>
            """
        let delete = try S3DeleteObjects.parse(bytes(sample))
        #expect(delete.objects.map(\.key) == ["sample1.txt", "sample2.txt"])
        #expect(!delete.quiet)
    }

    @Test func keysKeepWhitespaceAndCarriageReturns() throws {
        let delete = try S3DeleteObjects.parse(bytes("<Delete><Object><Key> a&#13;\n b </Key></Object><Object><Key></Key></Object></Delete>"))
        #expect(delete.objects.map(\.key) == [" a\r\n b ", ""])
    }

    @Test(arguments: ["true", "false", " true\n", "1", "0"])
    func quietValues(_ value: String) throws {
        let delete = try S3DeleteObjects.parse(bytes("<Delete><Object><Key>k</Key></Object><Quiet>\(value)</Quiet></Delete>"))
        #expect(delete.quiet == (value.contains("true") || value == "1"))
    }

    @Test func limits() throws {
        func body(_ count: Int) -> [UInt8] {
            bytes("<Delete>" + String(repeating: "<Object><Key>k</Key></Object>", count: count) + "</Delete>")
        }
        #expect(try S3DeleteObjects.parse(body(1000)).objects.count == 1000)
        #expect(throws: S3WireError.malformedXML) { try S3DeleteObjects.parse(body(1001)) }
        #expect(throws: S3WireError.malformedXML) { try S3DeleteObjects.parse(body(0)) }
    }

    @Test(arguments: [
        "", "<Delete/>", "<Delete><Quiet>true</Quiet></Delete>", "<Delete><Object/></Delete>",
        "<Delete><Object><VersionId>v</VersionId></Object></Delete>",
        "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>",
        "<Delete><Object><Key><b/></Key></Object></Delete>",
        "<Delete><Object><Key>k</Key></Object><Quiet>yes</Quiet></Delete>",
        "<Delete><Object><Key>k</Key></Object><Quiet>True</Quiet></Delete>",
        "<Delete><Object><Key>k</Key></Object><Quiet>true</Quiet><Quiet>true</Quiet></Delete>",
        "<Remove><Object><Key>k</Key></Object></Remove>",
        "<Delete><Object><Key>k</Key></Object>",
    ])
    func malformed(_ body: String) {
        #expect(throws: S3WireError.malformedXML) { try S3DeleteObjects.parse(bytes(body)) }
    }
}

@Suite("CompleteMultipartUpload body")
struct CompleteMultipartUploadTests {
    @Test func botocoreBody() throws {
        let complete = try S3CompleteMultipartUpload.parse(Boto3XMLBodies.body("complete-multipart"))
        #expect(complete.parts == [
            S3CompletedPart(partNumber: 1, eTag: "\"a54357aff0632cce46d942af68356b38\"", checksums: [.crc32: "AAAAAA=="]),
            S3CompletedPart(partNumber: 2, eTag: "0c78aef83f66abc1fa1e8477f296d394", checksums: [
                .crc32c: "4waSgw==", .crc64nvme: "rosUhgp5mIg=", .sha1: "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
                .sha256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            ]),
        ])
    }

    /// The sample request of the CompleteMultipartUpload API reference: no namespace, quoted ETags.
    @Test func awsSample() throws {
        let sample = """
            <CompleteMultipartUpload>
              <Part>
                <PartNumber>1</PartNumber>
                <ETag>"a54357aff0632cce46d942af68356b38"</ETag>
              </Part>
              <Part>
                <PartNumber>2</PartNumber>
                <ETag>"0c78aef83f66abc1fa1e8477f296d394"</ETag>
              </Part>
              <Part>
                <PartNumber>3</PartNumber>
                <ETag>"acbd18db4cc2f85cedef654fccc4a4d8"</ETag>
              </Part>
            </CompleteMultipartUpload>
            """
        let parts = try S3CompleteMultipartUpload.parse(bytes(sample)).parts
        #expect(parts.map(\.partNumber) == [1, 2, 3])
        #expect(parts[2].eTag == "\"acbd18db4cc2f85cedef654fccc4a4d8\"")
        #expect(parts.allSatisfy { $0.checksums.isEmpty })
    }

    @Test func numbersAndOrderAreAsSent() throws {
        let body = "<CompleteMultipartUpload><Part><ETag> e2 </ETag><PartNumber> 0002 </PartNumber></Part>"
            + "<Part><PartNumber>+1</PartNumber><ETag>&quot;e1&quot;</ETag><ChecksumSHA512>ignored</ChecksumSHA512></Part>"
            + "<Part><PartNumber>2147483647</PartNumber><ETag></ETag></Part></CompleteMultipartUpload>"
        let parts = try S3CompleteMultipartUpload.parse(bytes(body)).parts
        #expect(parts == [S3CompletedPart(partNumber: 2, eTag: "e2"), S3CompletedPart(partNumber: 1, eTag: "\"e1\""),
                          S3CompletedPart(partNumber: 2_147_483_647, eTag: "")])
    }

    @Test(arguments: [
        "<CompleteMultipartUpload/>", "<CompleteMultipartUpload></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1.0</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber></PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1 2</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>2147483648</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>99999999999999999999999</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>١</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><PartNumber>2</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag><ChecksumCRC32>a</ChecksumCRC32><ChecksumCRC32>b</ChecksumCRC32></Part></CompleteMultipartUpload>",
        "<CompleteMultipartUploadX><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part></CompleteMultipartUploadX>",
    ])
    func malformed(_ body: String) {
        #expect(throws: S3WireError.malformedXML) { try S3CompleteMultipartUpload.parse(bytes(body)) }
    }

    @Test func tenThousandParts() throws {
        let body = "<CompleteMultipartUpload>"
            + (1...10_000).map { "<Part><PartNumber>\($0)</PartNumber><ETag>\"e\"</ETag></Part>" }.joined()
            + "</CompleteMultipartUpload>"
        let parts = try S3CompleteMultipartUpload.parse(bytes(body)).parts
        #expect(parts.count == 10_000)
        #expect(parts.last?.partNumber == 10_000)
    }
}

@Suite("ServerSideEncryptionConfiguration body")
struct ServerSideEncryptionConfigurationTests {
    func wrap(_ rule: String) -> [UInt8] {
        bytes("<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(rule)</ServerSideEncryptionConfiguration>")
    }

    @Test func botocoreBodies() throws {
        let kms = try S3ServerSideEncryptionConfiguration.parse(Boto3XMLBodies.body("put-bucket-encryption-kms"))
        #expect(kms == S3ServerSideEncryptionConfiguration(
            sseAlgorithm: .awsKMS,
            kmsMasterKeyID: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"]))
        let aes = try S3ServerSideEncryptionConfiguration.parse(Boto3XMLBodies.body("put-bucket-encryption-aes"))
        #expect(aes == S3ServerSideEncryptionConfiguration(sseAlgorithm: .aes256))
    }

    @Test func dsseAndOptionalParts() throws {
        let rule = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms:dsse</SSEAlgorithm>"
            + "<KMSMasterKeyID> alias/my-key </KMSMasterKeyID></ApplyServerSideEncryptionByDefault>"
            + "<BucketKeyEnabled>false</BucketKeyEnabled><BlockedEncryptionTypes><EncryptionType>NONE</EncryptionType>"
            + "</BlockedEncryptionTypes></Rule>"
        let parsed = try S3ServerSideEncryptionConfiguration.parse(wrap(rule))
        #expect(parsed == S3ServerSideEncryptionConfiguration(
            sseAlgorithm: .awsKMSDSSE, kmsMasterKeyID: "alias/my-key", bucketKeyEnabled: false, blockedEncryptionTypes: ["NONE"]))
        let emptyKey = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID/>"
            + "</ApplyServerSideEncryptionByDefault><BlockedEncryptionTypes/></Rule>"
        #expect(try S3ServerSideEncryptionConfiguration.parse(wrap(emptyKey)) == S3ServerSideEncryptionConfiguration(sseAlgorithm: .awsKMS))
    }

    @Test func keyIDWithAES256IsInvalidArgument() {
        let rule = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
            + "<KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>"
        #expect(throws: S3WireError.invalidArgument(
            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")) {
            try S3ServerSideEncryptionConfiguration.parse(wrap(rule))
        }
    }

    @Test(arguments: ["aes256", "AES-256", "aws:fsx", "aws:backup", "SSE-KMS", "", "aws:kms ", "aws:KMS"])
    func unknownAlgorithmIsMalformed(_ algorithm: String) {
        let rule = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>\(algorithm)</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>"
        // Surrounding whitespace is collapsed, so only "aws:kms " parses.
        if algorithm == "aws:kms " {
            #expect((try? S3ServerSideEncryptionConfiguration.parse(wrap(rule)))?.sseAlgorithm == .awsKMS)
        } else {
            #expect(throws: S3WireError.malformedXML) { try S3ServerSideEncryptionConfiguration.parse(wrap(rule)) }
        }
    }

    @Test(arguments: [
        "",
        "<Rule/>",
        "<Rule><BucketKeyEnabled>true</BucketKeyEnabled></Rule>",
        "<Rule><ApplyServerSideEncryptionByDefault/></Rule>",
        "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>",
        "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>yes</BucketKeyEnabled></Rule>",
        "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BlockedEncryptionTypes><EncryptionType>SSE-S3</EncryptionType></BlockedEncryptionTypes></Rule>",
        "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>",
    ])
    func malformed(_ rule: String) {
        #expect(throws: S3WireError.malformedXML) { try S3ServerSideEncryptionConfiguration.parse(wrap(rule)) }
    }

    @Test func wrongRoot() {
        #expect(throws: S3WireError.malformedXML) {
            try S3ServerSideEncryptionConfiguration.parse(bytes("<ServerSideEncryption><Rule/></ServerSideEncryption>"))
        }
    }
}
