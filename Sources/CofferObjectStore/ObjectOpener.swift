import Crypto
import Foundation

/// Opens the chunks of one sealed stream: whole objects or only the chunks a ranged read touches.
public struct ObjectOpener: Sendable {
    /// Plaintext bytes per chunk, from the header.
    public let chunkSize: Int
    private let header: [UInt8]
    private let key: SymmetricKey

    /// Checks `header` (the first 48 stored bytes) and derives the stream key for `binding`.
    public init(dataKey: SymmetricKey, header: some Collection<UInt8>, binding: [UInt8]) throws(SealedObjectError) {
        let header = Array(header)
        guard dataKey.bitCount == 256 else { throw SealedObjectError(.invalidArgument, "the data key must be 256 bits") }
        guard header.count == SealedObjectFormat.headerSize, Array(header[0..<4]) == SealedObjectFormat.magic,
            header[4] == SealedObjectFormat.version, header[5] == 0, header[46] == 0, header[47] == 0
        else { throw SealedObjectError(.corrupt, "the stored object has no valid header") }
        let chunkSize = header[6..<10].reduce(0) { $0 << 8 | Int($1) }
        guard (SealedObjectFormat.minChunkSize...SealedObjectFormat.maxChunkSize).contains(chunkSize) else {
            throw SealedObjectError(.corrupt, "the stored object declares an invalid chunk size")
        }
        self.chunkSize = chunkSize
        self.header = header
        self.key = SealedObjectFormat.streamKey(dataKey: dataKey, salt: header[10..<42], binding: binding)
    }

    /// Decrypts chunk `index` (ciphertext followed by its tag); `final` says whether it is the object's last.
    /// Throws `.corrupt` unless it authenticates as exactly that chunk of exactly this stream.
    public func open(chunk sealed: some Collection<UInt8>, index: Int, final: Bool) throws(SealedObjectError) -> [UInt8] {
        let sealed = Array(sealed)
        guard index >= 0, UInt64(index) < SealedObjectFormat.maxChunks, sealed.count >= SealedObjectFormat.tagSize,
            sealed.count - SealedObjectFormat.tagSize <= chunkSize,
            final || sealed.count - SealedObjectFormat.tagSize == chunkSize
        else { throw SealedObjectError(.corrupt, "chunk \(index) has the wrong size") }
        let nonce = try SealedObjectFormat.nonce(prefix: header[42..<46], index: UInt64(index), final: final)
        let split = sealed.count - SealedObjectFormat.tagSize
        do {
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: sealed[..<split], tag: sealed[split...])
            return Array(try AES.GCM.open(box, using: key, authenticating: header))
        } catch {
            throw SealedObjectError(.corrupt, "chunk \(index) does not authenticate")
        }
    }

    /// Decrypts a whole sealed object held in memory (header included).
    public static func open(_ sealed: [UInt8], dataKey: SymmetricKey, binding: [UInt8]) throws(SealedObjectError) -> [UInt8] {
        guard sealed.count >= SealedObjectFormat.headerSize else { throw SealedObjectError(.corrupt, "the stored object is truncated") }
        let opener = try ObjectOpener(dataKey: dataKey, header: sealed[..<SealedObjectFormat.headerSize], binding: binding)
        guard let length = SealedObjectFormat.plaintextLength(sealedSize: sealed.count, chunkSize: opener.chunkSize) else {
            throw SealedObjectError(.corrupt, "the stored object has an impossible size")
        }
        guard length > 0 else {
            return try opener.open(chunk: sealed[SealedObjectFormat.headerSize...], index: 0, final: true)
        }
        return try opener.openRange(0..<length, of: sealed, plaintextLength: length)
    }

    /// Decrypts the plaintext bytes `range` from `sealed` (the whole stored object, or any collection indexed
    /// like it), touching only the chunks that hold them.
    public func openRange(_ range: Range<Int>, of sealed: [UInt8], plaintextLength length: Int) throws(SealedObjectError) -> [UInt8] {
        guard let span = SealedObjectFormat.chunkSpan(of: range, plaintextLength: length, chunkSize: chunkSize) else {
            throw SealedObjectError(.invalidArgument, "the range is outside the object")
        }
        guard sealed.count == SealedObjectFormat.sealedSize(plaintextLength: length, chunkSize: chunkSize) else {
            throw SealedObjectError(.corrupt, "the stored object has the wrong size")
        }
        var output: [UInt8] = []
        output.reserveCapacity(span.plaintextCount)
        var offset = span.sealedBytes.lowerBound
        for index in span.chunks {
            let final = index == span.finalChunk
            let end = final ? sealed.count : offset + chunkSize + SealedObjectFormat.tagSize
            let plaintext = try open(chunk: sealed[offset..<end], index: index, final: final)
            let from = index == span.chunks.lowerBound ? span.skip : 0
            let want = min(plaintext.count - from, span.plaintextCount - output.count)
            output.append(contentsOf: plaintext[from..<(from + want)])
            offset = end
        }
        return output
    }
}
