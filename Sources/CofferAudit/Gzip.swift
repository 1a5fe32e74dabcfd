import CompressNIO
import NIOCore

/// gzip through compress-nio (zlib), with a hard bound on decompressed size for hostile input.
enum Gzip {
    /// gzip-compresses `bytes` at `level` (0 = stored, 1 fastest ... 9 smallest).
    static func compress(_ bytes: [UInt8], level: Int) throws -> [UInt8] {
        let clamped = Int32(min(max(level, 0), 9))
        let compressor = try ZlibCompressor(algorithm: .gzip, configuration: ZlibConfiguration(compressionLevel: clamped))
        // A one-byte buffer with its reader index moved past the byte gives zlib a valid pointer for empty input.
        var input = ByteBuffer(bytes: bytes.isEmpty ? [0] : bytes)
        if bytes.isEmpty { input.moveReaderIndex(forwardBy: 1) }
        var output = ByteBufferAllocator().buffer(capacity: max(compressor.maxSize(from: input), 64))
        while true {
            do {
                try compressor.deflate(from: &input, to: &output, flush: .finish)
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                output.reserveCapacity(minimumWritableBytes: max(output.capacity, 64))
            }
        }
        return Array(output.readableBytesView)
    }

    /// Decompresses one complete gzip member of at most `maxSize` bytes; throws on truncation,
    /// corruption, trailing bytes or oversize.
    static func decompress(_ bytes: [UInt8], maxSize: Int) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw AuditError(.corrupt, "empty gzip data") }
        let decompressor = try ZlibDecompressor(algorithm: .gzip)
        var input = ByteBuffer(bytes: bytes)
        var output = ByteBufferAllocator().buffer(capacity: min(max(bytes.count * 4, 4096), max(maxSize, 1)))
        do {
            while true {
                do {
                    try decompressor.inflate(from: &input, to: &output)
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    guard output.readableBytes < maxSize else { throw AuditError(.corrupt, "gzip data expands beyond \(maxSize) bytes") }
                    output.reserveCapacity(minimumWritableBytes: min(max(output.readableBytes, 4096), maxSize - output.readableBytes + 1))
                    continue
                }
                if input.readableBytes > 0 { throw AuditError(.corrupt, "trailing bytes after gzip data") }
                // All input consumed: probe with empty input; zlib reports Z_STREAM_END only for a complete stream.
                var empty = ByteBuffer(bytes: [0])
                empty.moveReaderIndex(forwardBy: 1)
                output.reserveCapacity(minimumWritableBytes: 1)
                try decompressor.inflate(from: &empty, to: &output)
                break
            }
        } catch let error as CompressNIOError {
            if error == .inputBufferOverflow { throw AuditError(.corrupt, "truncated gzip data") }
            throw AuditError(.corrupt, "invalid gzip data (\(error.description))")
        }
        guard output.readableBytes <= maxSize else { throw AuditError(.corrupt, "gzip data expands beyond \(maxSize) bytes") }
        return Array(output.readableBytesView)
    }
}
