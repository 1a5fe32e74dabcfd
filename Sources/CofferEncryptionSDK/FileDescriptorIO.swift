import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file handle's descriptor through one reused buffer.
struct FileDescriptorIO {
    private let descriptor: Int32
    private var buffer: [UInt8]
    private var filled = 0

    init(handle: FileHandle, chunkSize: Int) {
        descriptor = handle.fileDescriptor
        buffer = [UInt8](repeating: 0, count: Swift.max(chunkSize, 0))
    }

    /// Fills the buffer (or reads to end of file); false when nothing was left.
    mutating func readChunk() throws -> Bool {
        filled = 0
        let descriptor = self.descriptor
        let capacity = buffer.count
        try buffer.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            while filled < capacity {
                let count = read(descriptor, base + filled, capacity - filled)
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw ESDKError(.invalidArgument, "reading the input failed (errno \(errno))")
                }
                filled += count
            }
        }
        return filled > 0
    }

    /// Calls `body` with the bytes last read.
    func withChunk<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(filled))) }
    }
}
