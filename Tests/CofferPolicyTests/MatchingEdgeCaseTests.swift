import Testing
@testable import CofferPolicy

/// Wildcards, ARNs, IP ranges, dates and the other building blocks, at their edges.
struct MatchingEdgeCaseTests {
    @Test(arguments: [
        ("*", "", true),
        ("*", "anything", true),
        ("", "", true),
        ("", "a", false),
        ("a*b*c", "abc", true),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXbYY", false),
        ("a?c", "abc", true),
        ("a?c", "ac", false),
        ("a?c", "abbc", false),
        ("*.txt", "notes.txt", true),
        ("*.txt", "notes.txt.bak", false),
        ("**", "x", true),
        ("*?", "", false),
        ("a*a*a*a*a*a*b", String(repeating: "a", count: 60), false),
        ("kms:gen*", "kms:generatedatakey", true),
        ("café*", "café au lait", true),
    ])
    func wildcard(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(WildcardPattern(pattern).matches(text) == expected)
    }

    @Test(arguments: [
        ("*", "arn:aws:s3:::bucket", true),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", true),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false),
        ("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-logs/x", true),
        ("arn:aws:kms:*", "arn:aws:kms:us-west-2:111122223333:key/k", true),
        ("arn:aws:kms:us-west-2:*", "arn:aws:kms:us-west-2:111122223333:key/k", true),
        ("arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/k", true),
        ("arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:444455556666:key/k", false),
        ("arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu:x:111122223333:key/k", false),
        ("arn:aws:kms:*:111122223333:*", "arn:aws:kms:eu-west-1:111122223333:alias/a:b", true),
        ("arn:aws:iam::111122223333:role/?dmin", "arn:aws:iam::111122223333:role/Admin", true),
        ("arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::111122223333:role/Admin/extra", false),
        ("arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::111122223333", false),
        ("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false),
    ])
    func arnSegments(_ pattern: String, _ arn: String, _ expected: Bool) {
        #expect(ARNMatcher.matches(WildcardPattern(pattern).tokens, arn) == expected)
    }

    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.255", true),
        ("203.0.113.0/24", "203.0.114.0", false),
        ("203.0.113.9/24", "203.0.113.200", true),
        ("203.0.113.9", "203.0.113.9", true),
        ("203.0.113.9", "203.0.113.10", false),
        ("0.0.0.0/0", "8.8.8.8", true),
        ("0.0.0.0/0", "::1", false),
        ("::/0", "2001:db8::1", true),
        ("::1", "0:0:0:0:0:0:0:1", true),
        ("2001:DB8::/32", "2001:0db8:85a3::8a2e:370:7334", true),
        ("2001:db8::/48", "2001:db8:1::1", false),
        ("::ffff:0:0/96", "::ffff:192.0.2.1", true),
        ("64:ff9b::192.0.2.0/120", "64:ff9b::c000:2ff", true),
        ("10.0.0.0/8", "10.0.0.1/32", false),
        ("10.0.0.0/8", "010.0.0.1", true),
        ("10.0.0.0/8", "10.0.0", false),
        ("10.0.0.0/8", "10.0.0.256", false),
        ("fe80::/10", "fe80::1%eth0", false),
    ])
    func ipRanges(_ range: String, _ address: String, _ expected: Bool) throws {
        let parsed = try #require(IPAddressRange(range))
        #expect(parsed.contains(address) == expected)
    }

    @Test(arguments: ["", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "1.2.3", "1.2.3.4.5", "256.0.0.0", "1::2::3",
                      "1:2:3:4:5:6:7:8:9", "12345::", "::/129", "1.2.3.4/+8", "g::1", "1:2:3:4:5:6:7::8:9"])
    func rejectsMalformedRanges(_ text: String) {
        #expect(IPAddressRange(text) == nil)
    }

    @Test func rangeDescriptionsAreCanonical() throws {
        #expect(try #require(IPAddressRange("192.0.2.77/24")).description == "192.0.2.0/24")
        #expect(try #require(IPAddressRange("2001:DB8::1")).description == "2001:db8:0:0:0:0:0:1/128")
        #expect(try #require(IPAddressRange("10.1.2.3/0")).prefixLength == 0)
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("1970-01-01", 0.0),
        ("2026-11-24T10:00:00Z", 1_795_514_400.0),
        ("2026-11-24T10:00Z", 1_795_514_400.0),
        ("2026-11-24T10:00:00", 1_795_514_400.0),
        ("2026-11-24t10:00:00z", 1_795_514_400.0),
        ("2026-11-24T11:30:00+01:30", 1_795_514_400.0),
        ("2026-11-24T05:00:00-0500", 1_795_514_400.0),
        ("2026-11-24T10:00:00.5Z", 1_795_514_400.5),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("1795514400", 1_795_514_400.0),
        ("1795514400.25", 1_795_514_400.25),
        ("1969-12-31T23:59:59Z", -1.0),
    ])
    func dates(_ text: String, _ seconds: Double) {
        #expect(ConditionValueParsing.date(text) == seconds)
    }

    @Test(arguments: ["", "2026", "2026-11", "2026-11-31", "2025-02-29", "2026-11-24T24:00:00Z", "2026-11-24T10:60Z",
                      "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00+25:00", "2026-11-24T10:00:00ZZ", "2026-11-24X10:00",
                      "24/11/2026", "tomorrow", "1e3x"])
    func rejectsMalformedDates(_ text: String) {
        // "2026" alone is epoch seconds, not a year.
        if text == "2026" {
            #expect(ConditionValueParsing.date(text) == 2026)
        } else {
            #expect(ConditionValueParsing.date(text) == nil)
        }
    }

    @Test(arguments: [("10", 10.0), ("-3.5", -3.5), ("+2", 2.0), ("1e3", 1000.0), ("0.5", 0.5), (".5", 0.5), ("5.", 5.0)])
    func numbers(_ text: String, _ value: Double) {
        #expect(ConditionValueParsing.number(text) == value)
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "0x10", "inf", "nan", "1e", "1e+", "ten", " 1", "1e400"])
    func rejectsMalformedNumbers(_ text: String) {
        #expect(ConditionValueParsing.number(text) == nil)
    }

    @Test func base64() {
        #expect(ConditionValueParsing.base64("SGk=") == Array("Hi".utf8))
        #expect(ConditionValueParsing.base64("SGk") == Array("Hi".utf8))
        #expect(ConditionValueParsing.base64("") == [])
        #expect(ConditionValueParsing.base64("SGk=x") == nil)
        #expect(ConditionValueParsing.base64("S") == nil)
        #expect(ConditionValueParsing.base64("SG-k") == nil)
    }

    @Test func templates() {
        let context: ConditionContext = ["aws:username": ["Alice"], "aws:TagKeys": ["a", "b"]]
        #expect(PolicyTemplate("home/${aws:username}/*", variablesEnabled: true).string(in: context) == "home/Alice/*")
        #expect(PolicyTemplate("home/${AWS:UserName}", variablesEnabled: true).string(in: context) == "home/Alice")
        #expect(PolicyTemplate("${*}${?}${$}", variablesEnabled: true).string(in: context) == "*?$")
        #expect(PolicyTemplate("a${aws:TagKeys}", variablesEnabled: true).string(in: context) == nil)
        #expect(PolicyTemplate("a${aws:missing, 'dflt'}", variablesEnabled: true).string(in: context) == "adflt")
        #expect(PolicyTemplate("a${aws:username, 'dflt'}", variablesEnabled: true).string(in: context) == "aAlice")
        #expect(PolicyTemplate("a${unterminated", variablesEnabled: true).string(in: context) == "a${unterminated")
        #expect(PolicyTemplate("a${}", variablesEnabled: true).string(in: context) == "a${}")
        #expect(PolicyTemplate("a${aws:username}", variablesEnabled: false).string(in: context) == "a${aws:username}")
        let pattern = PolicyTemplate("x/${*}/*", variablesEnabled: true).pattern(in: context)
        #expect(pattern?.matches("x/*/anything") == true)
        #expect(pattern?.matches("x/y/anything") == false)
    }

    @Test func contextKeysIgnoreCase() {
        var context = ConditionContext(["AWS:SourceIp": ["192.0.2.1"], "aws:sourceip": ["192.0.2.2"]])
        #expect(Set(context["aws:SOURCEIP"] ?? []) == ["192.0.2.1", "192.0.2.2"])
        context["Kms:ViaService"] = ["s3.us-west-2.amazonaws.com"]
        #expect(context.values["kms:viaservice"] == ["s3.us-west-2.amazonaws.com"])
        context["kms:viaservice"] = nil
        #expect(context["KMS:VIASERVICE"] == nil)
    }
}
