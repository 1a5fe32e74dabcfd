import CofferCrypto
import Testing

struct SecureRandomTests {
    @Test(arguments: [1, 12, 32, 1024, 1025, 5000])
    func returnsTheRequestedNumberOfBytes(_ count: Int) {
        #expect(SecureRandom.bytes(count).count == count)
    }

    @Test func neverRepeatsAcrossPoolRefills() {
        // 2,000 draws of 16 bytes cross several 4 KiB refills; any repeat means bytes were reused.
        var seen = Set<[UInt8]>()
        for _ in 0..<2000 { seen.insert(SecureRandom.bytes(16)) }
        #expect(seen.count == 2000)
    }

    @Test func bytesLookUniform() {
        // A crude check that the pool is not handing out zeroed (already consumed) bytes.
        let sample = SecureRandom.bytes(1 << 16)
        var counts = [Int](repeating: 0, count: 256)
        for byte in sample { counts[Int(byte)] += 1 }
        #expect(counts.allSatisfy { (150...370).contains($0) })
    }

    @Test func noncesAreDistinct() throws {
        var seen = Set<[UInt8]>()
        for _ in 0..<1000 { seen.insert(Array(try SecureRandom.nonce())) }
        #expect(seen.count == 1000)
    }
}
