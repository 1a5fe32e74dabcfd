import Crypto
import Foundation
import Testing

@testable import CofferObjectStore

@Suite("Sealed object format")
struct SealedObjectTests {
    let key = SymmetricKey(size: .bits256)
    let binding = Array("bucket/photos/key/cat.jpg".utf8)

    func plaintext(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }

    /// Seals `bytes` fed in pieces of `piece` bytes.
    func seal(_ bytes: [UInt8], chunkSize: Int = 1024, piece: Int = 700, binding: [UInt8]? = nil) throws -> [UInt8] {
        var sealer = try ObjectSealer(dataKey: key, binding: binding ?? self.binding, chunkSize: chunkSize)
        var output: [UInt8] = []
        var start = 0
        repeat {
            let end = min(start + piece, bytes.count)
            output += try sealer.seal(bytes[start..<end])
            start = end
        } while start < bytes.count
        output += try sealer.finish()
        #expect(sealer.plaintextLength == bytes.count)
        return output
    }

    @Test("round trips at every size around chunk boundaries, in any piece size", arguments: [0, 1, 1023, 1024, 1025, 2048, 5000])
    func roundTrip(length: Int) throws {
        let bytes = plaintext(length)
        for piece in [1, 333, 1024, 4096] {
            let sealed = try seal(bytes, piece: piece)
            #expect(sealed.count == SealedObjectFormat.sealedSize(plaintextLength: length, chunkSize: 1024))
            #expect(SealedObjectFormat.plaintextLength(sealedSize: sealed.count, chunkSize: 1024) == length)
            #expect(try ObjectOpener.open(sealed, dataKey: key, binding: binding) == bytes)
        }
    }

    @Test("no plaintext is stored and two seals of the same bytes differ")
    func ciphertextHidesPlaintext() throws {
        let bytes = Array(repeating: UInt8(ascii: "A"), count: 4096)
        let first = try seal(bytes)
        let second = try seal(bytes)
        #expect(first != second)
        #expect(!first.windows(ofCount: 16).contains { $0.allSatisfy { $0 == UInt8(ascii: "A") } })
    }

    @Test("ranged reads decrypt only the chunks they touch and match the plaintext")
    func rangedReads() throws {
        let bytes = plaintext(5000)
        let sealed = try seal(bytes)
        let header = sealed[..<SealedObjectFormat.headerSize]
        let opener = try ObjectOpener(dataKey: key, header: header, binding: binding)
        for range in [0..<1, 1023..<1025, 1000..<3100, 4999..<5000, 0..<5000, 2048..<4096] {
            #expect(try opener.openRange(range, of: sealed, plaintextLength: 5000) == Array(bytes[range]))
        }
        let span = try #require(SealedObjectFormat.chunkSpan(of: 1023..<1025, plaintextLength: 5000, chunkSize: 1024))
        #expect(span.chunks == 0..<2)
        #expect(span.skip == 1023)
        #expect(span.sealedBytes == 48..<(48 + 2 * 1040))
        // Damage outside the touched chunks does not matter to the range; damage inside does.
        var damaged = sealed
        damaged[48 + 4 * 1040 + 5] ^= 1
        #expect(try opener.openRange(0..<2048, of: damaged, plaintextLength: 5000) == Array(bytes[0..<2048]))
        #expect(throws: SealedObjectError.self) { try opener.openRange(4000..<4100, of: damaged, plaintextLength: 5000) }
        #expect(throws: SealedObjectError.self) { try opener.openRange(4990..<5001, of: sealed, plaintextLength: 5000) }
    }

    @Test("a flipped bit anywhere is detected")
    func bitFlips() throws {
        let sealed = try seal(plaintext(2500))
        for position in stride(from: 0, to: sealed.count, by: 97) {
            var damaged = sealed
            damaged[position] ^= 0x10
            #expect(throws: SealedObjectError.self) { try ObjectOpener.open(damaged, dataKey: self.key, binding: self.binding) }
        }
    }

    @Test("truncation, extension, reordering, splicing, another binding or key all fail")
    func structuralTampering() throws {
        let bytes = plaintext(3 * 1024)
        let sealed = try seal(bytes)
        let chunk = 1024 + 16
        let h = SealedObjectFormat.headerSize
        func fails(_ candidate: [UInt8], key: SymmetricKey? = nil, binding: [UInt8]? = nil) {
            #expect(throws: SealedObjectError.self) {
                try ObjectOpener.open(candidate, dataKey: key ?? self.key, binding: binding ?? self.binding)
            }
        }
        // Dropping the final chunk leaves a last chunk without the final mark.
        fails(Array(sealed[..<(h + 2 * chunk)]))
        // Cutting inside a chunk.
        fails(Array(sealed.dropLast(5)))
        // Swapping chunks 0 and 1.
        fails(Array(sealed[..<h] + sealed[(h + chunk)..<(h + 2 * chunk)] + sealed[h..<(h + chunk)] + sealed[(h + 2 * chunk)...]))
        // Appending a chunk copied from the middle.
        fails(sealed + Array(sealed[h..<(h + chunk)]))
        // A chunk from another object under the same data key and binding (another salt).
        let other = try seal(bytes)
        fails(Array(sealed[..<h] + other[h..<(h + chunk)] + sealed[(h + chunk)...]))
        // The whole stream opened as another object's, or with another key.
        fails(sealed, binding: Array("bucket/photos/key/dog.jpg".utf8))
        fails(sealed, key: SymmetricKey(size: .bits256))
        // A header declaring another chunk size.
        var header = sealed
        header[8] = 0x08
        fails(header)
    }

    @Test("each multipart upload of a part gets its own key: two uploads of the same bytes never share a keystream")
    func partsNeverRepeatKeyNonce() throws {
        let bytes = plaintext(2048)
        let partBinding = Array("bucket/b/key/k/upload/u1/part/1".utf8)
        let first = try seal(bytes, binding: partBinding)
        let second = try seal(bytes, binding: partBinding)
        #expect(first[10..<42] != second[10..<42])  // salts
        // XOR of the two ciphertexts is not the XOR of the plaintexts (which is zero): different keystreams.
        let h = SealedObjectFormat.headerSize
        #expect(zip(first[h..<(h + 1024)], second[h..<(h + 1024)]).contains { $0 != $1 })
    }

    @Test("bad arguments are refused")
    func arguments() throws {
        #expect(throws: SealedObjectError.self) { try ObjectSealer(dataKey: SymmetricKey(size: .bits128), binding: [], chunkSize: 1024) }
        #expect(throws: SealedObjectError.self) { try ObjectSealer(dataKey: key, binding: [], chunkSize: 100) }
        #expect(throws: SealedObjectError.self) { try ObjectSealer(dataKey: key, binding: [], chunkSize: 65 * 1024) }
        var sealer = try ObjectSealer(dataKey: key, binding: [])
        _ = try sealer.finish()
        #expect(throws: SealedObjectError.self) { _ = try sealer.finish() }
        #expect(SealedObjectFormat.plaintextLength(sealedSize: 48 + 15, chunkSize: 1024) == nil)
        #expect(SealedObjectFormat.plaintextLength(sealedSize: 48 + 1040 + 10, chunkSize: 1024) == nil)
        #expect(SealedObjectFormat.plaintextLength(sealedSize: 48 + 1040, chunkSize: 1024) == 1024)
        #expect(SealedObjectFormat.plaintextLength(sealedSize: 48 + 1040 + 16, chunkSize: 1024) == nil)  // an empty extra chunk
    }
}

extension Array where Element == UInt8 {
    func windows(ofCount count: Int) -> [ArraySlice<UInt8>] {
        guard self.count >= count else { return [] }
        return (0...(self.count - count)).map { self[$0..<($0 + count)] }
    }
}
