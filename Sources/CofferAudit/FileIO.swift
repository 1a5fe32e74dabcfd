#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
        var failure: AuditError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let count = read(fd, buffer.baseAddress.map { $0 + done }, size - done)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = FileIO.failure("read", path)
                    break
                }
                if count == 0 { break }
                done += count
            }
            initialized = done
        }
        if let failure { throw failure }
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
        let temporary = temporaryDirectory + "/" + UUID().uuidString + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw failure("create", temporary) }
        do {
            try bytes.withUnsafeBytes { try writeAll(fd, $0, at: 0, path: temporary) }
            try sync(fd, path: temporary)
        } catch {
            _ = close(fd)
            _ = unlink(temporary)
            throw error
        }
        _ = close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            _ = unlink(temporary)
            throw failure("rename to", path, code)
        }
        try syncDirectory(parent(of: path))
    }

    /// fsyncs a directory so renames and creations in it are durable.
    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open directory", path) }
        defer { _ = close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync directory", path) }
    }

    /// Creates `path` and any missing parents, fsyncing each parent that gained an entry.
    static func ensureDirectory(_ path: String) throws {
        if isDirectory(path) { return }
        let parentPath = parent(of: path)
        if parentPath != path, !parentPath.isEmpty { try ensureDirectory(parentPath) }
        if mkdir(path, 0o750) != 0, errno != EEXIST { throw failure("mkdir", path) }
        try syncDirectory(parentPath.isEmpty ? "/" : parentPath)
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
        var done = 0
        while done < bytes.count {
            let count = pwrite(fd, bytes.baseAddress.map { $0 + done }, bytes.count - done, off_t(offset + done))
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            done += count
        }
    }

    /// Makes a file's data (and the size needed to read it) durable.
    static func sync(_ fd: Int32, path: String) throws {
        #if os(Linux)
        let result = fdatasync(fd)
        #else
        let result = fsync(fd)
        #endif
        guard result == 0 else { throw failure("fsync", path) }
    }

    /// Truncates an open file; false if that failed.
    static func truncate(_ fd: Int32, to length: Int) -> Bool {
        ftruncate(fd, off_t(length)) == 0
    }

    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }

    /// The directory part of a path.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
