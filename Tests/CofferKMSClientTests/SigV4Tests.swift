import CofferKMSClient
import Foundation
import Testing

@Suite struct SigV4Tests {
    /// AWS Signature Version 4 test suite, "get-vanilla": GET / with only host and x-amz-date.
    @Test func getVanilla() {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "service")
        let request = SigV4Request(method: "GET", path: "/", headers: [
            SigV4Pair("Host", "example.amazonaws.com"), SigV4Pair("X-Amz-Date", "20150830T123600Z"),
        ])
        let result = signer.sign(request, amzDate: "20150830T123600Z")
        #expect(result.canonicalRequest == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(result.stringToSign.hasSuffix("\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"))
        #expect(result.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(result.authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    /// The S3 "GET Object" example of the AWS SigV4 documentation (header-based auth, range header).
    @Test func s3GetObjectExample() {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "s3")
        let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let request = SigV4Request(method: "GET", path: "/test.txt", headers: [
            SigV4Pair("Host", "examplebucket.s3.amazonaws.com"), SigV4Pair("Range", "bytes=0-9"),
            SigV4Pair("x-amz-content-sha256", emptyHash), SigV4Pair("x-amz-date", "20130524T000000Z"),
        ])
        let result = signer.sign(request, amzDate: "20130524T000000Z")
        #expect(result.stringToSign.hasSuffix("\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"))
        #expect(result.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(result.signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
    }

    /// A KMS JSON 1.1 POST with a session token; expected values computed with botocore's SigV4Auth.
    @Test func kmsPostWithSessionTokenMatchesBotocore() throws {
        let client = AWSKMSClient(
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                        sessionToken: "TOKEN123"),
            defaultRegion: "eu-west-1")
        let body = Array(#"{"KeyId":"alias/test","NumberOfBytes":32}"#.utf8)
        let date = Date(timeIntervalSince1970: 1_704_164_645)  // 2024-01-02T03:04:05Z
        let request = try client.makeRequest(operation: "GenerateDataKey", keyID: "alias/test", body: body, date: date)
        #expect(request.url.absoluteString == "https://kms.eu-west-1.amazonaws.com/")
        #expect(request.value(forHTTPHeaderField: "X-Amz-Target") == "TrentService.GenerateDataKey")
        #expect(request.value(forHTTPHeaderField: "X-Amz-Security-Token") == "TOKEN123")
        #expect(request.value(forHTTPHeaderField: "Authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/eu-west-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=4cd19d84426d1a8a1f488363ab72df063e873352492b0a9f93d51fd32793e606")
    }

    @Test func canonicalQueryAndPathEncoding() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "A", secretAccessKey: "S"), region: "r", service: "s")
        let result = signer.sign(SigV4Request(method: "get", path: "/a b/ü", query: [SigV4Pair("b", "2"), SigV4Pair("a", "x y"), SigV4Pair("a", "1")],
                                              headers: [SigV4Pair("Host", "h"), SigV4Pair("X-Amz-Date", "20200101T000000Z"), SigV4Pair("X-Multi", "  a   b  ")]),
                                 amzDate: "20200101T000000Z")
        let lines = result.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "GET")
        #expect(lines[1] == "/a%20b/%C3%BC")
        #expect(lines[2] == "a=1&a=x%20y&b=2")
        #expect(lines.contains("x-multi:a b"))
    }

    @Test func amzDateFormat() {
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: 1_440_938_160)) == "20150830T123600Z")
    }
}

@Suite struct EnvironmentTests {
    @Test func environmentCredentialsWin() throws {
        let env = AWSEnvironment(variables: ["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "s3cr3tvalue", "AWS_SESSION_TOKEN": "t0kenvalue",
                                             "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"])
        let credentials = try env.credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "id", secretAccessKey: "s3cr3tvalue", sessionToken: "t0kenvalue"))
        #expect(!credentials.description.contains("s3cr3tvalue"))
        #expect(!credentials.description.contains("t0kenvalue"))
    }

    @Test func sharedCredentialsFileAndProfile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)").path
        try """
        # comment
        [default]
        aws_access_key_id = defid
        aws_secret_access_key = defsecret

        [dev]
        aws_access_key_id=devid
        aws_secret_access_key=dev=secret
        aws_session_token = devtoken
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let base = ["AWS_SHARED_CREDENTIALS_FILE": path]
        #expect(try AWSEnvironment(variables: base).credentials() == AWSCredentials(accessKeyID: "defid", secretAccessKey: "defsecret"))
        var dev = base
        dev["AWS_PROFILE"] = "dev"
        #expect(try AWSEnvironment(variables: dev).credentials() == AWSCredentials(accessKeyID: "devid", secretAccessKey: "dev=secret", sessionToken: "devtoken"))
        var missing = base
        missing["AWS_PROFILE"] = "nope"
        #expect(throws: KMSClientError.self) { try AWSEnvironment(variables: missing).credentials() }
    }

    @Test func homeCredentialsFile() {
        let env = AWSEnvironment(variables: ["HOME": "/home/u"])
        #expect(env.sharedCredentialsFile == "/home/u/.aws/credentials")
        #expect(env.profile == "default")
    }

    @Test func regionAndEndpoint() throws {
        let env = AWSEnvironment(variables: ["AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "us-west-2",
                                             "AWS_ENDPOINT_URL": "https://a.example", "AWS_ENDPOINT_URL_KMS": "https://127.0.0.1:7443"])
        #expect(env.region == "us-west-2")
        #expect(try env.kmsEndpointOverride()?.absoluteString == "https://127.0.0.1:7443")
        #expect(try AWSEnvironment(variables: ["AWS_ENDPOINT_URL": "https://a.example"]).kmsEndpointOverride()?.absoluteString == "https://a.example")
        #expect(throws: KMSClientError.self) { try AWSEnvironment(variables: ["AWS_ENDPOINT_URL_KMS": "ftp://x"]).kmsEndpointOverride() }
    }

    @Test func routing() throws {
        let credentials = AWSCredentials(accessKeyID: "a", secretAccessKey: "b")
        let client = AWSKMSClient(credentials: credentials, defaultRegion: "us-east-1")
        let arn = "arn:aws:kms:eu-central-1:111122223333:key/abc"
        #expect(try client.route(for: arn).region == "eu-central-1")
        #expect(try client.route(for: arn).endpoint.absoluteString == "https://kms.eu-central-1.amazonaws.com/")
        #expect(try client.route(for: "alias/x").region == "us-east-1")
        #expect(try client.route(for: "arn:aws-cn:kms:cn-north-1:111122223333:key/abc").endpoint.absoluteString == "https://kms.cn-north-1.amazonaws.com.cn/")
        let noRegion = AWSKMSClient(credentials: credentials, defaultRegion: nil)
        #expect(throws: KMSClientError.self) { try noRegion.route(for: "alias/x") }
        let overridden = AWSKMSClient(credentials: credentials, defaultRegion: nil, endpointOverride: URL(string: "https://127.0.0.1:9443")!)
        let request = try overridden.makeRequest(operation: "Decrypt", keyID: arn, body: [])
        #expect(request.value(forHTTPHeaderField: "Host") == "127.0.0.1:9443")
        #expect(request.value(forHTTPHeaderField: "Authorization")?.contains("/eu-central-1/kms/aws4_request") == true)
    }
}
