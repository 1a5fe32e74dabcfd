import Crypto
import Foundation
import Testing
@testable import CofferS3Wire

@Suite("Checksums")
struct ChecksumTests {
    let check = Array("123456789".utf8)

    // Catalogue check values ("123456789"): CRC-32/ISO-HDLC 0xCBF43926,
    // CRC-32/ISCSI 0xE3069283, CRC-64/NVME 0xAE8B14860A799888.
    @Test func crcCheckValues() {
        var h = ChecksumHasher(.crc32)
        h.update(check)
        #expect(h.finalize() == [0xCB, 0xF4, 0x39, 0x26])
        #expect(h.finalizeBase64() == "y/Q5Jg==")

        var c = ChecksumHasher(.crc32c)
        c.update(check)
        #expect(c.finalize() == [0xE3, 0x06, 0x92, 0x83])
        #expect(c.finalizeBase64() == "4waSgw==")

        var n = ChecksumHasher(.crc64nvme)
        n.update(check)
        #expect(n.finalize() == [0xAE, 0x8B, 0x14, 0x86, 0x0A, 0x79, 0x98, 0x88])
        #expect(n.finalizeBase64() == "rosUhgp5mIg=")
    }

    // NVM Express command set spec, CRC-64 test vector: 32 bytes of 0x00.
    @Test func crc64nvmeZeros() {
        var n = ChecksumHasher(.crc64nvme)
        n.update([UInt8](repeating: 0, count: 32))
        #expect(n.finalize() == [0xCF, 0x34, 0x73, 0x43, 0x4D, 0x4E, 0xCF, 0x3B])
    }

    @Test func emptyInputs() {
        #expect(ChecksumAlgorithm.crc32.base64Checksum(of: []) == "AAAAAA==")
        #expect(ChecksumAlgorithm.crc32c.base64Checksum(of: []) == "AAAAAA==")
        #expect(ChecksumAlgorithm.crc64nvme.base64Checksum(of: []) == "AAAAAAAAAAA=")
        #expect(ChecksumAlgorithm.sha1.base64Checksum(of: []) == "2jmj7l5rSw0yVb/vlWAYkK/YBwk=")
        #expect(ChecksumAlgorithm.sha256.base64Checksum(of: []) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    // FIPS 180 "abc" vectors.
    @Test func shaVectors() {
        let abc = Array("abc".utf8)
        var s1 = ChecksumHasher(.sha1)
        s1.update(abc)
        #expect(SigV4.hex(s1.finalize()) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        var s2 = ChecksumHasher(.sha256)
        s2.update(abc)
        #expect(SigV4.hex(s2.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(s2.finalizeBase64() == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    // The AWS sigv4-streaming-trailers example sends x-amz-checksum-crc32c:sOO8/Q== for 66,560 'a'.
    @Test func awsTrailerExampleCRC32C() {
        #expect(ChecksumAlgorithm.crc32c.base64Checksum(of: [UInt8](repeating: 0x61, count: 66_560)) == "sOO8/Q==")
    }

    @Test(arguments: ChecksumAlgorithm.allCases)
    func incrementalMatchesOneShot(_ alg: ChecksumAlgorithm) {
        var rng = SplitMix64(state: 42)
        let data = (0..<100_003).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let whole = alg.base64Checksum(of: data)
        for step in [1, 3, 7, 8, 9, 64, 4095, 65_536] {
            var h = ChecksumHasher(alg)
            var i = 0
            while i < data.count {
                let j = min(data.count, i + step)
                h.update(Array(data[i..<j]))
                i = j
            }
            #expect(h.finalizeBase64() == whole, "step \(step)")
        }
    }

    /// Bit-at-a-time reference CRC, independent of the table code.
    func slowCRC(_ data: [UInt8], poly: UInt64, width: Int) -> UInt64 {
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        var c = mask
        for b in data {
            c ^= UInt64(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1 }
        }
        return ~c & mask
    }

    @Test func tableCRCsMatchBitwiseReference() {
        var rng = SplitMix64(state: 7)
        for len in [0, 1, 7, 8, 15, 16, 17, 1000] {
            let data = (0..<len).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let be = { (bytes: [UInt8]) in bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } }
            var a = ChecksumHasher(.crc32); a.update(data)
            var b = ChecksumHasher(.crc32c); b.update(data)
            var c = ChecksumHasher(.crc64nvme); c.update(data)
            #expect(be(a.finalize()) == slowCRC(data, poly: 0xEDB8_8320, width: 32))
            #expect(be(b.finalize()) == slowCRC(data, poly: 0x82F6_3B78, width: 32))
            #expect(be(c.finalize()) == slowCRC(data, poly: 0x9A6C_9329_AC4B_C9B5, width: 64))
        }
    }

    @Test(arguments: [ChecksumAlgorithm.crc32, .crc32c, .crc64nvme])
    func fullObjectCombination(_ alg: ChecksumAlgorithm) throws {
        var rng = SplitMix64(state: 99)
        let data = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let whole = alg.base64Checksum(of: data)
        for cuts in [[150_000], [0, 1, 65_536], [5_000_000 % 300_000, 200_000, 299_999], [300_000]] {
            var parts: [(checksum: String, length: UInt64)] = []
            var start = 0
            for end in cuts + [data.count] {
                let slice = Array(data[start..<end])
                parts.append((alg.base64Checksum(of: slice), UInt64(slice.count)))
                start = end
            }
            #expect(try MultipartChecksum.fullObject(algorithm: alg, parts: parts) == whole, "cuts \(cuts)")
        }
    }

    @Test func fullObjectRejectsSHA() {
        #expect(throws: ChecksumError.unsupported(algorithm: .sha256, operation: "full-object multipart checksum")) {
            try MultipartChecksum.fullObject(algorithm: .sha256, parts: [("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", 0)])
        }
    }

    @Test(arguments: [ChecksumAlgorithm.crc32, .crc32c, .sha1, .sha256])
    func compositeIsChecksumOfRawPartChecksums(_ alg: ChecksumAlgorithm) throws {
        let parts: [[UInt8]] = [Array(repeating: 1, count: 5 * 1024 * 1024), Array("tail".utf8), []]
        let partValues = parts.map { alg.base64Checksum(of: $0) }
        var concatenated: [UInt8] = []
        for v in partValues { concatenated += Array(Data(base64Encoded: v)!) }
        // Independent computation of the outer digest straight from swift-crypto / the CRC reference.
        let outer: String
        switch alg {
        case .sha1: outer = Data(Insecure.SHA1.hash(data: concatenated)).base64EncodedString()
        case .sha256: outer = Data(SHA256.hash(data: concatenated)).base64EncodedString()
        case .crc32:
            let v = UInt32(slowCRC(concatenated, poly: 0xEDB8_8320, width: 32))
            outer = Data(withUnsafeBytes(of: v.bigEndian, Array.init)).base64EncodedString()
        default:
            let v = UInt32(slowCRC(concatenated, poly: 0x82F6_3B78, width: 32))
            outer = Data(withUnsafeBytes(of: v.bigEndian, Array.init)).base64EncodedString()
        }
        #expect(try MultipartChecksum.composite(algorithm: alg, partChecksums: partValues) == outer + "-3")
    }

    @Test func compositeRejectsCRC64AndBadInput() {
        #expect(throws: ChecksumError.unsupported(algorithm: .crc64nvme, operation: "composite multipart checksum")) {
            try MultipartChecksum.composite(algorithm: .crc64nvme, partChecksums: ["AAAAAAAAAAA="])
        }
        #expect(throws: ChecksumError.noParts) { try MultipartChecksum.composite(algorithm: .crc32, partChecksums: []) }
        for bad in ["", "AAAA", "AAAAAA=", "AAAAAAA=", "!!!!!!==", "AAAAAAAAAAA=", "AAAAAB=="] {
            #expect(throws: ChecksumError.malformedChecksum(algorithm: .crc32, value: bad)) {
                try MultipartChecksum.composite(algorithm: .crc32, partChecksums: [bad])
            }
        }
    }

    @Test func algorithmNames() {
        #expect(ChecksumAlgorithm(headerName: "X-Amz-Checksum-CRC64NVME") == .crc64nvme)
        #expect(ChecksumAlgorithm(headerName: "x-amz-checksum-md5") == nil)
        #expect(ChecksumAlgorithm(s3Name: "crc32c") == .crc32c)
        #expect(ChecksumAlgorithm.sha1.headerName == "x-amz-checksum-sha1")
    }
}

@Suite("Content-MD5")
struct ContentMD5Tests {
    @Test func knownAnswers() throws {
        #expect(ContentMD5Verifier.base64MD5(of: []) == "1B2M2Y8AsgTpgAmY7PhCfg==")
        let fox = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(ContentMD5Verifier.base64MD5(of: fox) == "nhB9nTcrtoJr2B01QqQZ1g==")
        try ContentMD5Verifier.verify(headerValue: "nhB9nTcrtoJr2B01QqQZ1g==", body: fox)
    }

    @Test func incremental() throws {
        let fox = Array("The quick brown fox jumps over the lazy dog".utf8)
        var v = try ContentMD5Verifier(headerValue: "nhB9nTcrtoJr2B01QqQZ1g==")
        for b in fox { v.update([b]) }
        try v.verify()
    }

    @Test func mismatchAndMalformed() {
        #expect(throws: ContentMD5Error.badDigest(expected: "1B2M2Y8AsgTpgAmY7PhCfg==", computed: "DMF1ucDxtqgxw5niaXcmYQ==")) {
            try ContentMD5Verifier.verify(headerValue: "1B2M2Y8AsgTpgAmY7PhCfg==", body: Array("a".utf8))
        }
        for bad in ["", "abc", "1B2M2Y8AsgTpgAmY7PhCfg", "1B2M2Y8AsgTpgAmY7PhCfg=!", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="] {
            #expect(throws: ContentMD5Error.invalidDigest(bad)) { try ContentMD5Verifier(headerValue: bad) }
        }
    }
}
