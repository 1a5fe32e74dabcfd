#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CofferCore
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
        let bytes: [UInt8]
        do {
            bytes = try DurableFiles.read(fd, count: range.count, at: range.lowerBound, path: path)
        } catch {
            throw BlobStoreError(.io, error.description)
        }
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
        do {
            try DurableFiles.ensureDirectory(path, mode: 0o700)
        } catch {
            throw BlobStoreError(.io, error.description)
        }
    }

    static func syncDirectory(_ path: String) throws(BlobStoreError) {
        do {
            try DurableFiles.syncDirectory(path)
        } catch {
            throw BlobStoreError(.io, error.description)
        }
    }

    static func failure(_ operation: String, _ path: String, _ code: Int32 = errno) -> BlobStoreError {
        BlobStoreError(.io, DurableFiles.Failure(operation, path, code: code).description)
    }
}

/// One blob being written to its temporary file.
final class LocalBlobWriter: BlobWriter {
    private enum Phase { case open(Int32, written: Int), done }

    private let store: LocalBlobStore
    private let id: BlobID
    private let temporary: String
    private let phase: Mutex<Phase>

    init(store: LocalBlobStore, id: BlobID, fd: Int32, temporary: String) {
        self.store = store
        self.id = id
        self.temporary = temporary
        self.phase = Mutex(.open(fd, written: 0))
    }

    deinit {
        abort()
    }

    func append(_ bytes: [UInt8]) throws(BlobStoreError) {
        let result: BlobStoreError? = phase.withLock { phase in
            guard case .open(let fd, let written) = phase else { return BlobStoreError(.io, "the blob writer is closed") }
            return bytes.withUnsafeBytes { buffer -> BlobStoreError? in
                do throws(DurableFiles.Failure) {
                    try DurableFiles.writeAll(fd, buffer, at: written, path: temporary)
                    phase = .open(fd, written: written + buffer.count)
                    return nil
                } catch {
                    return BlobStoreError(.io, error.description)
                }
            }
        }
        if let result { throw result }
    }

    func commit() throws(BlobStoreError) -> BlobID {
        let fd: Int32? = phase.withLock { phase in
            guard case .open(let fd, _) = phase else { return nil }
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
            guard case .open(let fd, _) = phase else { return nil }
            phase = .done
            return fd
        }
        if let fd {
            close(fd)
            unlink(temporary)
        }
    }
}
