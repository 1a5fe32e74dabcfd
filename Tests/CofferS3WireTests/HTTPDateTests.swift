import Foundation
import Testing
@testable import CofferS3Wire

@Suite("HTTP dates")
struct HTTPDateTests {
    // Expected strings from Python's email.utils.formatdate(t, usegmt=True).
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (1_795_550_249, "Tue, 24 Nov 2026 19:57:29 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
        (-62_135_596_800, "Mon, 01 Jan 0001 00:00:00 GMT"),
    ] as [(Int64, String)])
    func imfFixdateRoundTrip(_ seconds: Int64, _ text: String) {
        #expect(HTTPDate.format(epochSeconds: seconds) == text)
        #expect(HTTPDate.format(Date(timeIntervalSince1970: TimeInterval(seconds))) == text)
        #expect(HTTPDate.parse(text) == Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    @Test func formattingDropsSubSecondsAndClamps() {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1_795_550_249.999)) == "Tue, 24 Nov 2026 19:57:29 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: -0.5)) == "Wed, 31 Dec 1969 23:59:59 GMT")
        #expect(HTTPDate.format(Date.distantFuture) == "Mon, 01 Jan 4001 00:00:00 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1e15)) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: .infinity)) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: -.infinity)) == "Mon, 01 Jan 0001 00:00:00 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: .nan)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: .max) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.format(epochSeconds: .min) == "Mon, 01 Jan 0001 00:00:00 GMT")
    }

    @Test func xmlTimestamps() {
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: 1_795_550_249)) == "2026-11-24T19:57:29.000Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: 1_795_550_249.1234)) == "2026-11-24T19:57:29.123Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: 1_795_550_249.9999)) == "2026-11-24T19:57:29.999Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(HTTPDate.formatXMLTimestamp(Date.distantFuture) == "4001-01-01T00:00:00.000Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: 1e15)) == "9999-12-31T23:59:59.999Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: .infinity)) == "9999-12-31T23:59:59.999Z")
        #expect(HTTPDate.formatXMLTimestamp(Date.distantPast) == "0001-01-01T00:00:00.000Z")
        #expect(HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00.000Z")
    }

    /// `Date` stores seconds since 2001 in a `Double`, so a millisecond value read back through
    /// `timeIntervalSince1970` is off by a few hundred nanoseconds; that must not change the output.
    @Test func millisecondValuesSurviveDateRepresentation() {
        var rng = SplitMix64(state: 5)
        for _ in 0..<20_000 {
            let millis = Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &rng)
            let date = Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
            let text = HTTPDate.formatXMLTimestamp(date)
            let fraction = millis % 1000 >= 0 ? millis % 1000 : millis % 1000 + 1000
            #expect(text.hasSuffix(String(format: ".%03dZ", fraction)), "\(millis) -> \(text)")
        }
    }

    @Test func obsoleteForms() {
        let expected = Date(timeIntervalSince1970: 784_111_777)
        for text in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun Nov 06 08:49:37 1994",
                     "Sun, 6 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
                     "Sun,  06  Nov  1994  08:49:37  GMT", "Sunday, 06-Nov-1994 08:49:37 GMT"] {
            #expect(HTTPDate.parse(text) == expected, "\(text)")
        }
        #expect(HTTPDate.parse("Thursday, 01-Jan-70 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(HTTPDate.parse("Tuesday, 24-Nov-26 19:57:29 GMT") == Date(timeIntervalSince1970: 1_795_550_249))
    }

    @Test func iso8601() {
        let whole = Date(timeIntervalSince1970: 1_795_550_249)
        #expect(HTTPDate.parse("2026-11-24T19:57:29Z") == whole)
        #expect(HTTPDate.parse("2026-11-24t19:57:29z") == whole)
        #expect(HTTPDate.parse("2026-11-24T20:57:29+01:00") == whole)
        #expect(HTTPDate.parse("2026-11-24T14:27:29-0530") == whole)
        #expect(HTTPDate.parse("2026-11-24T19:57:29.000Z") == whole)
        let fractional = HTTPDate.parse("2026-11-24T19:57:29.25Z")?.timeIntervalSince1970
        #expect(fractional == 1_795_550_249.25)
        let micro = HTTPDate.parse("2026-11-24T19:57:29.123456Z")?.timeIntervalSince1970 ?? 0
        #expect(abs(micro - 1_795_550_249.123456) < 1e-5)
        #expect(HTTPDate.parse("2000-02-29T00:00:00Z") == Date(timeIntervalSince1970: 951_782_400))
    }

    @Test(arguments: [
        "", "GMT", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 94 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 31 Nov 1994 08:49:37 GMT",
        "Tue, 29 Feb 2100 00:00:00 GMT", "Sun, 06 Xyz 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT", "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT", "Funday, 06 Nov 1994 08:49:37 GMT", "06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra", "Sun Nov 6 08:49:37", "Sun Nov 6 08:49:37 94",
        "Sunday, 06-Nov-94 08:49:37", "Sunday, 06-Nov 08:49:37 GMT", "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, ٠٦ Nov 1994 08:49:37 GMT", "Sun, +6 Nov 1994 08:49:37 GMT",
        "2026-11-24T19:57:29", "2026-11-24 19:57:29Z", "2026-13-24T19:57:29Z", "2026-02-30T19:57:29Z",
        "2026-11-24T19:57:29.Z", "2026-11-24T19:57:29+1:00", "2026-11-24T19:57:29+01:00:00", "2026-11-24T19:57:29+25:00",
        "2026-11-24T19:57:29ZZ", "2026-1-24T19:57:29Z", "20261124T195729Z", "1795550249", "2026-11-24T19:57:29+01",
    ])
    func rejected(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func leapSecondRollsOver() {
        #expect(HTTPDate.parse("Wed, 31 Dec 2016 23:59:60 GMT") == HTTPDate.parse("Sun, 01 Jan 2017 00:00:00 GMT"))
    }

    @Test func formattingAgreesWithParsingEverywhere() {
        var rng = SplitMix64(state: 11)
        for _ in 0..<5000 {
            let seconds = Int64.random(in: -62_135_596_800...253_402_300_799, using: &rng)
            let text = HTTPDate.format(epochSeconds: seconds)
            #expect(text.utf8.count == 29)
            #expect(HTTPDate.parse(text)?.timeIntervalSince1970 == TimeInterval(seconds))
            let xml = HTTPDate.formatXMLTimestamp(Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(HTTPDate.parse(xml)?.timeIntervalSince1970 == TimeInterval(seconds))
        }
    }

    @Test func concurrentUseIsSafe() async {
        await withTaskGroup(of: Bool.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var ok = true
                    for i in 0..<2000 {
                        let seconds = Int64(worker * 1_000_000 + i * 977)
                        ok = ok && HTTPDate.parse(HTTPDate.format(epochSeconds: seconds))?.timeIntervalSince1970 == TimeInterval(seconds)
                    }
                    return ok
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
