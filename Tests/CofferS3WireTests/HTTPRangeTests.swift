import Testing
@testable import CofferS3Wire

@Suite("HTTP Range")
struct HTTPRangeTests {
    @Test(arguments: [
        ("bytes=0-9", 100, 0..<10),
        ("bytes=0-0", 100, 0..<1),
        ("bytes=99-99", 100, 99..<100),
        ("bytes=10-", 100, 10..<100),
        ("bytes=0-", 100, 0..<100),
        ("bytes=-10", 100, 90..<100),
        ("bytes=-100", 100, 0..<100),
        ("bytes=-1000", 100, 0..<100),          // suffix longer than the object: all of it
        ("bytes=90-1000", 100, 90..<100),       // end clamped
        ("bytes=0-99999999999999999999999999", 100, 0..<100),  // end beyond Int: clamped
        ("bytes=-99999999999999999999999999", 100, 0..<100),
        ("bytes=00005-000009", 100, 5..<10),    // leading zeros
        ("BYTES=1-2", 100, 1..<3),              // the unit is case-insensitive
        ("Bytes=1-2", 100, 1..<3),
        ("  bytes=1-2  ", 100, 1..<3),
        ("bytes= 1-2 ", 100, 1..<3),
        ("bytes=1-2,", 100, 1..<3),             // an empty list element is not a second range
        ("bytes=4-", 7, 4..<7),                 // s3-tests: skip leading bytes
        ("bytes=-7", 11, 4..<11),               // s3-tests: trailing bytes
        ("bytes=0-0", 1, 0..<1),
        ("bytes=-1", 1, 0..<1),
    ] as [(String, Int, Range<Int>)])
    func satisfiable(_ header: String, _ size: Int, _ expected: Range<Int>) {
        #expect(HTTPRange.parse(header, size: size) == .satisfiable(expected))
    }

    @Test(arguments: [
        ("bytes=100-", 100), ("bytes=100-200", 100), ("bytes=40-50", 7), ("bytes=-0", 100), ("bytes=-000", 100),
        ("bytes=0-0", 0), ("bytes=0-", 0), ("bytes=-5", 0), ("bytes=5-10", 0),
        ("bytes=99999999999999999999999-", 100), ("bytes=99999999999999999999999-99999999999999999999999", 100),
        ("bytes=9223372036854775807-", 100), ("bytes=9223372036854775808-9223372036854775809", 100),
    ] as [(String, Int)])
    func unsatisfiable(_ header: String, _ size: Int) {
        #expect(HTTPRange.parse(header, size: size) == .unsatisfiable)
    }

    @Test(arguments: [
        "", "bytes", "bytes=", "bytes=-", "bytes=5-2", "bytes=1-0", "bytes=a-b", "bytes=1-b", "bytes=+1-2", "bytes=-1-2",
        "bytes=1--2", "bytes=1 -2", "bytes=1- 2", "bytes=0x1-2", "bytes=1.5-2", "bytes=0-1,2-3", "bytes=0-1, 5-", "bytes=,",
        "items=0-1", "bytes 0-1", "bytes:0-1", "bytes=١-٢", "bytes=1-2;x", "=0-1", "bytes=-+5",
        "bytes=99999999999999999999999-99999999999999999999998", "bytes=100000000000000000000000-99999999999999999999999",
        "bytes=9223372036854775808-1",
    ])
    func ignored(_ header: String) {
        #expect(HTTPRange.parse(header, size: 100) == .ignored)
    }

    @Test func reversedRangeIsIgnoredEvenWhenUnsatisfiable() {
        // Syntax is checked before satisfiability: `last < first` is not a valid range at all.
        #expect(HTTPRange.parse("bytes=500-400", size: 100) == .ignored)
        #expect(HTTPRange.parse("bytes=5-2", size: 0) == .ignored)
    }

    @Test func hugeObject() {
        let size = Int.max
        #expect(HTTPRange.parse("bytes=0-", size: size) == .satisfiable(0..<Int.max))
        #expect(HTTPRange.parse("bytes=-1", size: size) == .satisfiable((Int.max - 1)..<Int.max))
        #expect(HTTPRange.parse("bytes=9223372036854775806-99999999999999999999", size: size) == .satisfiable((Int.max - 1)..<Int.max))
        #expect(HTTPRange.parse("bytes=9223372036854775807-", size: size) == .unsatisfiable)
        #expect(HTTPRange.parse("bytes=0-1", size: -5) == .unsatisfiable)
    }

    @Test func contentRange() {
        #expect(HTTPRange.contentRange(0..<10, size: 100) == "bytes 0-9/100")
        #expect(HTTPRange.contentRange(99..<100, size: 100) == "bytes 99-99/100")
        #expect(HTTPRange.contentRange(5..<5, size: 100) == "bytes */100")
        #expect(HTTPRange.unsatisfiedContentRange(size: 7) == "bytes */7")
        if case .satisfiable(let range) = HTTPRange.parse("bytes=-10", size: 100) {
            #expect(HTTPRange.contentRange(range, size: 100) == "bytes 90-99/100")
        } else {
            Issue.record("expected a satisfiable range")
        }
    }

    @Test func randomHeadersNeverTrap() {
        var rng = SplitMix64(state: 3)
        let pieces = ["bytes", "=", "-", ",", " ", "0", "1", "9", "99999999999999999999", "a", "Bytes", "\t"]
        for _ in 0..<20_000 {
            let header = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? "" }.joined()
            let size = Int.random(in: 0...1000, using: &rng)
            if case .satisfiable(let range) = HTTPRange.parse(header, size: size) {
                #expect(range.lowerBound >= 0 && range.upperBound <= size && !range.isEmpty)
            }
        }
    }
}
