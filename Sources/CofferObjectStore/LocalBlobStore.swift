#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Blobs as files under a directory: `tmp/` for blobs being written, `blobs/<first 2 hex>/<id>` once
/// committed. Commit is fsync of the file, rename into place, fsync of the directory, so a committed blob
/// survives a crash and an uncommitted one never appears. Opening the store empties `tmp/`.
public final class LocalBlobStore: BlobStore {
    private let root: String

    /// Opens (creating) the store in `directory` and removes leftovers of interrupted writes.
    public init(directory: URL) throws(BlobStoreError) {
        var path = directory.standardizedFileURL.path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        root = path
        for sub in ["", "/tmp", "/blobs"] { try Self.ensureDirectory(root + sub) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/tmp")) ?? [] {
            unlink(root + "/tmp/" + name)
        }
    }

    public func makeWriter() throws(BlobStoreError) -> any BlobWriter {
        let id = BlobID.random()
        let temporary = root + "/tmp/" + id.rawValue
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("create", temporary) }
        return LocalBlobWriter(store: self, id: id, fd: fd, temporary: temporary)
    }

    public func read(_ id: BlobID, range: Range<Int>) throws(BlobStoreError) -> [UInt8] {
        let path = self.path(of: id)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw BlobStoreError(.notFound, "blob \(id) does not exist") }
            throw Self.failure("open", path)
        }
        defer { close(fd) }
        guard range.lowerBound >= 0 else { throw BlobStoreError(.invalidRange, "negative offset") }
        var failure: BlobStoreError?
        let bytes = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            var done = 0
            while done < range.count {
                let count = pread(fd, buffer.baseAddress.map { $0 + done }, range.count - done, off_t(range.lowerBound + done))
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = Self.failure("read", path)
                    break
                }
                if count == 0 { break }
                done += count
            }
            initialized = done
        }
        if let failure { throw failure }
        guard bytes.count == range.count else { throw BlobStoreError(.invalidRange, "blob \(id) is shorter than the range read") }
        return bytes
    }

    public func size(of id: BlobID) throws(BlobStoreError) -> Int {
        var status = stat()
        guard lstat(path(of: id), &status) == 0 else {
            if errno == ENOENT { throw BlobStoreError(.notFound, "blob \(id) does not exist") }
            throw Self.failure("stat", path(of: id))
        }
        return Int(status.st_size)
    }

    public func remove(_ id: BlobID) throws(BlobStoreError) {
        let path = self.path(of: id)
        guard unlink(path) == 0 || errno == ENOENT else { throw Self.failure("remove", path) }
    }

    public func allBlobs() throws(BlobStoreError) -> [BlobID] {
        let shards = (try? FileManager.default.contentsOfDirectory(atPath: root + "/blobs")) ?? []
        return shards.flatMap { shard in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/blobs/" + shard)) ?? []).compactMap(BlobID.init)
        }
    }

    func path(of id: BlobID) -> String {
        root + "/blobs/" + id.rawValue.prefix(2) + "/" + id.rawValue
    }

    /// Moves a written, fsync'ed temporary file into place durably.
    func publish(_ temporary: String, as id: BlobID) throws(BlobStoreError) {
        let shard = root + "/blobs/" + id.rawValue.prefix(2)
        try Self.ensureDirectory(shard)
        let target = path(of: id)
        guard rename(temporary, target) == 0 else { throw Self.failure("rename", target) }
        try Self.syncDirectory(shard)
    }

    static func ensureDirectory(_ path: String) throws(BlobStoreError) {
        if mkdir(path, 0o700) == 0 {
            let parent = (path as NSString).deletingLastPathComponent
            try syncDirectory(parent.isEmpty ? "/" : parent)
            return
        }
        guard errno == EEXIST else { throw failure("create directory", path) }
    }

    static func syncDirectory(_ path: String) throws(BlobStoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open directory", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", path) }
    }

    static func failure(_ operation: String, _ path: String, _ code: Int32 = errno) -> BlobStoreError {
        BlobStoreError(.io, "\(operation) \(path) failed: \(String(cString: strerror(code)))")
    }
}

/// One blob being written to its temporary file.
final class LocalBlobWriter: BlobWriter {
    private enum Phase { case open(Int32), done }

    private let store: LocalBlobStore
    private let id: BlobID
    private let temporary: String
    private let phase: Mutex<Phase>

    init(store: LocalBlobStore, id: BlobID, fd: Int32, temporary: String) {
        self.store = store
        self.id = id
        self.temporary = temporary
        self.phase = Mutex(.open(fd))
    }

    deinit {
        abort()
    }

    func append(_ bytes: [UInt8]) throws(BlobStoreError) {
        let result: BlobStoreError? = phase.withLock { phase in
            guard case .open(let fd) = phase else { return BlobStoreError(.io, "the blob writer is closed") }
            return bytes.withUnsafeBytes { buffer -> BlobStoreError? in
                var done = 0
                while done < buffer.count {
                    let count = write(fd, buffer.baseAddress.map { $0 + done }, buffer.count - done)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return LocalBlobStore.failure("write", temporary)
                    }
                    done += count
                }
                return nil
            }
        }
        if let result { throw result }
    }

    func commit() throws(BlobStoreError) -> BlobID {
        let fd: Int32? = phase.withLock { phase in
            guard case .open(let fd) = phase else { return nil }
            phase = .done
            return fd
        }
        guard let fd else { throw BlobStoreError(.io, "the blob writer is closed") }
        let synced = fsync(fd) == 0
        let syncError = errno
        close(fd)
        guard synced else {
            unlink(temporary)
            throw LocalBlobStore.failure("fsync", temporary, syncError)
        }
        do {
            try store.publish(temporary, as: id)
        } catch {
            unlink(temporary)
            throw error
        }
        return id
    }

    func abort() {
        let fd: Int32? = phase.withLock { phase in
            guard case .open(let fd) = phase else { return nil }
            phase = .done
            return fd
        }
        if let fd {
            close(fd)
            unlink(temporary)
        }
    }
}
