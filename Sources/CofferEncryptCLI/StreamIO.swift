import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes all of `bytes` to a file descriptor, retrying on EINTR.
func writeAll(fd: Int32, _ bytes: [UInt8]) throws(CLIError) {
    var failure: Int32 = 0
    bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        var offset = 0
        while offset < raw.count {
            let count = write(fd, base + offset, raw.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += count
        }
    }
    if failure != 0 {
        throw CLIError("writing the output failed: \(String(cString: strerror(failure)))")
    }
}

/// Reads a file descriptor in chunks through one reused buffer.
struct ChunkReader {
    let fd: Int32
    private var buffer: [UInt8]
    private(set) var filled = 0

    init(fd: Int32, chunkSize: Int = 1 << 20) {
        self.fd = fd
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    /// Reads the next chunk; false at end of input.
    mutating func next() throws(CLIError) -> Bool {
        filled = 0
        var failure: Int32 = 0
        let fd = self.fd
        let capacity = buffer.count
        var total = 0
        buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            while total < capacity {
                let count = read(fd, base + total, capacity - total)
                if count == 0 { break }
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                total += count
            }
        }
        filled = total
        if failure != 0 { throw CLIError("reading the input failed: \(String(cString: strerror(failure)))") }
        return filled > 0
    }

    func withChunk<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(filled))) }
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal and the input is large.
struct ProgressBar {
    /// Inputs at least this large get a progress bar.
    static let threshold = 16 << 20

    let total: Int
    let label: String
    private(set) var enabled: Bool
    private var done = 0
    private var lastDraw = ContinuousClock.now

    init(total: Int?, label: String, allowed: Bool) {
        self.total = total ?? 0
        self.label = label
        enabled = allowed && (total ?? 0) >= Self.threshold && isatty(2) == 1
    }

    mutating func advance(_ count: Int) {
        guard enabled else { return }
        done += count
        let now = ContinuousClock.now
        guard now - lastDraw >= .milliseconds(200) || done >= total else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 30
        let filledCount = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filledCount) + String(repeating: " ", count: width - filledCount)
        let mib = { (bytes: Int) in String(format: "%.1f", Double(bytes) / 1_048_576) }
        let line = "\r\(label) [\(bar)] \(Int(fraction * 100))% \(mib(done))/\(mib(total)) MiB"
        try? writeAll(fd: 2, Array(line.utf8))
    }

    mutating func finish() {
        guard enabled else { return }
        try? writeAll(fd: 2, Array("\r\u{1B}[K".utf8))
        enabled = false
    }
}

/// Prints a line on stderr.
func printError(_ text: String) {
    try? writeAll(fd: 2, Array((text + "\n").utf8))
}
