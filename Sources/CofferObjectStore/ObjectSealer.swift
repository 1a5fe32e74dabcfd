import Crypto
import Foundation

/// Seals one stream (an object, or one upload of a multipart part) chunk by chunk, in constant memory.
///
/// Feed plaintext with `seal(_:)` in pieces of any size and write out what each call returns; `finish()`
/// returns the last chunk. The header comes out with the first output. A full chunk is held back until
/// more bytes arrive, so that the last chunk can carry the final mark.
public struct ObjectSealer: Sendable {
    /// The 48-byte header (already part of the first output).
    public let header: [UInt8]
    /// Plaintext bytes per chunk.
    public let chunkSize: Int
    private let key: SymmetricKey
    private var pending: [UInt8] = []
    private var index: UInt64 = 0
    private var headerWritten = false
    private var finished = false
    /// Plaintext bytes sealed so far (including those still held back).
    public private(set) var plaintextLength = 0

    /// A sealer with a fresh random salt and nonce prefix. `binding` names what the stream belongs to
    /// (bucket, key, upload, part): opening with another binding fails.
    public init(dataKey: SymmetricKey, binding: [UInt8], chunkSize: Int = SealedObjectFormat.maxChunkSize) throws(SealedObjectError) {
        guard dataKey.bitCount == 256 else { throw SealedObjectError(.invalidArgument, "the data key must be 256 bits") }
        guard (SealedObjectFormat.minChunkSize...SealedObjectFormat.maxChunkSize).contains(chunkSize) else {
            throw SealedObjectError(.invalidArgument, "chunk size must be between 1 KiB and 64 KiB")
        }
        var salt = [UInt8](repeating: 0, count: SealedObjectFormat.saltSize)
        var prefix = [UInt8](repeating: 0, count: SealedObjectFormat.noncePrefixSize)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        for index in prefix.indices { prefix[index] = generator.next() }
        var header = SealedObjectFormat.magic
        header.append(SealedObjectFormat.version)
        header.append(0)
        withUnsafeBytes(of: UInt32(chunkSize).bigEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: salt)
        header.append(contentsOf: prefix)
        header.append(contentsOf: [0, 0])
        self.header = header
        self.chunkSize = chunkSize
        self.key = SealedObjectFormat.streamKey(dataKey: dataKey, salt: salt, binding: binding)
        pending.reserveCapacity(chunkSize)
    }

    /// Seals what of `plaintext` completes chunks; returns the sealed bytes to append (possibly empty).
    public mutating func seal(_ plaintext: some Collection<UInt8>) throws(SealedObjectError) -> [UInt8] {
        guard !finished else { throw SealedObjectError(.invalidArgument, "the sealer is finished") }
        plaintextLength += plaintext.count
        var output: [UInt8] = []
        takeHeader(into: &output)
        var rest = plaintext[...]
        while !rest.isEmpty {
            if pending.count == chunkSize {
                // More bytes follow, so the held-back chunk is not the last one.
                try sealPending(final: false, into: &output)
            }
            let take = min(chunkSize - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        return output
    }

    /// Seals the held-back bytes as the final chunk; returns the last sealed bytes.
    public mutating func finish() throws(SealedObjectError) -> [UInt8] {
        guard !finished else { throw SealedObjectError(.invalidArgument, "the sealer is finished") }
        var output: [UInt8] = []
        takeHeader(into: &output)
        try sealPending(final: true, into: &output)
        finished = true
        return output
    }

    private mutating func takeHeader(into output: inout [UInt8]) {
        guard !headerWritten else { return }
        output.append(contentsOf: header)
        headerWritten = true
    }

    private mutating func sealPending(final: Bool, into output: inout [UInt8]) throws(SealedObjectError) {
        guard index < SealedObjectFormat.maxChunks else { throw SealedObjectError(.invalidArgument, "the object is too large") }
        let nonce = try SealedObjectFormat.nonce(prefix: header[42..<46], index: index, final: final)
        do {
            let box = try AES.GCM.seal(pending, using: key, nonce: nonce, authenticating: header)
            output.append(contentsOf: box.ciphertext)
            output.append(contentsOf: box.tag)
        } catch {
            throw SealedObjectError(.invalidArgument, "chunk sealing failed")
        }
        index += 1
        pending.removeAll(keepingCapacity: true)
    }
}
