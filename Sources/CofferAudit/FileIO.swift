#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CofferCore
import Foundation

/// The POSIX file operations the trail needs, with durable (fsync'ed) atomic replacement.
enum FileIO {
    static func failure(_ operation: String, _ path: String, _ code: Int32 = errno) -> AuditError {
        AuditError(.io, "\(operation) \(path) failed: \(String(cString: strerror(code)))")
    }

    /// Reads a whole file, refusing files larger than `maxBytes`. Returns nil when the file does not exist.
    static func readIfPresent(_ path: String, maxBytes: Int) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure("open", path)
        }
        defer { _ = close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw failure("stat", path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw AuditError(.io, "\(path) is not a regular file") }
        let size = Int(status.st_size)
        guard size <= maxBytes else { throw AuditError(.io, "\(path) is larger than \(maxBytes) bytes") }
        let bytes: [UInt8]
        do {
            bytes = try DurableFiles.read(fd, count: size, at: 0, path: path)
        } catch {
            throw AuditError(.io, error.description)
        }
        return bytes
    }

    /// Reads a whole file that must exist.
    static func readFile(_ path: String, maxBytes: Int) throws -> [UInt8] {
        guard let bytes = try readIfPresent(path, maxBytes: maxBytes) else {
            throw AuditError(.io, "\(path) does not exist")
        }
        return bytes
    }

    /// The size of a regular file, or nil.
    static func size(_ path: String) -> Int? {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Writes `bytes` to a temporary file in `temporaryDirectory`, fsyncs it, renames it over `path`
    /// and fsyncs `path`'s directory, so `path` holds either the old or the complete new content.
    static func writeAtomically(_ bytes: [UInt8], to path: String, temporaryDirectory: String) throws {
        try mapped {
            try DurableFiles.writeAtomically(bytes, to: path, temporary: temporaryDirectory + "/" + UUID().uuidString + ".tmp", mode: 0o640)
        }
    }

    /// fsyncs a directory so renames and creations in it are durable.
    static func syncDirectory(_ path: String) throws {
        try mapped { try DurableFiles.syncDirectory(path) }
    }

    /// Creates `path` and any missing parents, fsyncing each parent that gained an entry.
    static func ensureDirectory(_ path: String) throws {
        try mapped { try DurableFiles.ensureDirectory(path, mode: 0o750) }
    }

    /// Runs a `DurableFiles` step, reporting its failure as an I/O `AuditError`.
    private static func mapped(_ body: () throws -> Void) throws(AuditError) {
        do {
            try body()
        } catch {
            throw AuditError(.io, (error as? DurableFiles.Failure)?.description ?? "\(error)")
        }
    }

    /// Removes a file; a missing file is not an error.
    static func remove(_ path: String) throws {
        if unlink(path) != 0, errno != ENOENT { throw failure("unlink", path) }
    }

    static func move(_ from: String, to: String) throws {
        guard rename(from, to) == 0 else { throw failure("rename", from) }
    }

    /// The names in a directory (empty if it does not exist).
    static func list(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// Regular files below `directory` whose names end in `suffix`, as paths relative to `directory`.
    /// Symbolic links are not followed; depth and count are bounded.
    static func listRecursively(_ directory: String, suffix: String, maxDepth: Int = 8, maxFiles: Int = 10_000_000) -> [String] {
        var found: [String] = []
        var pending: [(relative: String, depth: Int)] = [("", 0)]
        while let (relative, depth) = pending.popLast(), found.count < maxFiles {
            let absolute = relative.isEmpty ? directory : directory + "/" + relative
            for name in list(absolute).sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                let childPath = directory + "/" + child
                var status = stat()
                guard lstat(childPath, &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFDIR where depth < maxDepth: pending.append((child, depth + 1))
                case S_IFREG where name.hasSuffix(suffix): found.append(child)
                default: break
                }
            }
        }
        return found.sorted()
    }

    /// Opens an existing file for positional writes.
    static func openForWriting(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        return fd
    }

    /// `pwrite`s all of `bytes` at `offset`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws {
        try mapped { try DurableFiles.writeAll(fd, bytes, at: offset, path: path) }
    }

    /// Zeros for `writeZeros`.
    private static let zeros = [UInt8](repeating: 0, count: 64 << 10)

    /// `pwrite`s `count` zero bytes at `offset`.
    static func writeZeros(_ fd: Int32, at offset: Int, count: Int, path: String) throws {
        var written = 0
        while written < count {
            let chunk = min(count - written, zeros.count)
            try zeros.withUnsafeBytes { try writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[0..<chunk]), at: offset + written, path: path) }
            written += chunk
        }
    }

    /// Makes a file's data (and the size needed to read it) durable.
    static func sync(_ fd: Int32, path: String) throws {
        try mapped { try DurableFiles.syncData(fd, path: path) }
    }

    /// Truncates an open file; false if that failed.
    static func truncate(_ fd: Int32, to length: Int) -> Bool {
        ftruncate(fd, off_t(length)) == 0
    }

    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    /// The directory part of a path.
    static func parent(of path: String) -> String { DurableFiles.parent(of: path) }
}
