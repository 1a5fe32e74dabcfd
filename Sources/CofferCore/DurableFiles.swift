#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX steps every durable write in Coffer is made of (trail segments, object blobs, data
/// directory files): full positional reads and writes that retry short transfers and EINTR, data
/// syncs, directory syncs, directory creation that makes each new entry durable, and atomic
/// replacement (temp file, fsync, rename, fsync of the directory).
public enum DurableFiles {
    /// A failed system call: `"<operation> <path> failed: <strerror>"`.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let operation: String
        public let path: String
        public let code: Int32

        public init(_ operation: String, _ path: String, code: Int32 = errno) {
            self.operation = operation
            self.path = path
            self.code = code
        }

        public var description: String { "\(operation) \(path) failed: \(String(cString: strerror(code)))" }
    }

    /// `pwrite`s all of `bytes` at `offset`.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let count = pwrite(fd, bytes.baseAddress.map { $0 + done }, bytes.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure("write", path)
            }
            done += count
        }
    }

    /// `pread`s up to `count` bytes at `offset`; fewer only at the end of the file.
    public static func read(_ fd: Int32, count: Int, at offset: Int, path: String) throws(Failure) -> [UInt8] {
        var failure: Failure?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(fd, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = Failure("read", path)
                    break
                }
                if got == 0 { break }
                done += got
            }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }

    /// Makes a file's data (and the size needed to read it) durable.
    public static func syncData(_ fd: Int32, path: String) throws(Failure) {
        #if os(Linux)
        let result = fdatasync(fd)
        #else
        let result = fsync(fd)
        #endif
        guard result == 0 else { throw Failure("fsync", path) }
    }

    /// fsyncs a directory so renames and creations in it are durable.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("open directory", path) }
        defer { _ = close(fd) }
        guard fsync(fd) == 0 else { throw Failure("fsync directory", path) }
    }

    /// Creates `path` and any missing parents with `mode`, fsyncing each parent that gained an entry.
    public static func ensureDirectory(_ path: String, mode: mode_t) throws(Failure) {
        var status = stat()
        if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { return }
        let parentPath = parent(of: path)
        if parentPath != path, !parentPath.isEmpty { try ensureDirectory(parentPath, mode: mode) }
        if mkdir(path, mode) != 0, errno != EEXIST { throw Failure("mkdir", path) }
        try syncDirectory(parentPath.isEmpty ? "/" : parentPath)
    }

    /// Writes `bytes` to `temporary` (created with exactly `mode`), fsyncs it, renames it over `path` and
    /// fsyncs `path`'s directory, so `path` holds either the old or the complete new content.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, temporary: String, mode: mode_t) throws(Failure) {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure("create", temporary) }
        do throws(Failure) {
            var written: Failure?
            bytes.withUnsafeBytes { buffer in
                do throws(Failure) { try writeAll(fd, buffer, at: 0, path: temporary) } catch { written = error }
            }
            if let written { throw written }
            guard fchmod(fd, mode) == 0 else { throw Failure("chmod", temporary) }
            guard fsync(fd) == 0 else { throw Failure("fsync", temporary) }
        } catch {
            _ = close(fd)
            _ = unlink(temporary)
            throw error
        }
        _ = close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            _ = unlink(temporary)
            throw Failure("rename to", path, code: code)
        }
        try syncDirectory(parent(of: path))
    }

    /// The directory part of a path.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
