import Foundation

/// Streaming encryption and decryption from an `AsyncSequence` of byte chunks or a `FileHandle`,
/// in memory bounded by the chunk and frame sizes.
extension EncryptionSDK {
    /// What a streaming decryption returns besides the plaintext it wrote.
    public struct StreamDecryptResult: Sendable {
        public var header: MessageHeader
        public var encryptionContext: EncryptionContext
    }

    /// Encrypts the chunks of `source`, handing ciphertext to `sink` as it is produced.
    public func encrypt<Source: AsyncSequence>(
        from source: Source, to sink: ([UInt8]) async throws -> Void, materialsManager: any CryptographicMaterialsManager,
        encryptionContext: EncryptionContext = [:], algorithmSuite: AlgorithmSuite? = nil, frameLength: Int = defaultFrameLength
    ) async throws -> MessageHeader where Source.Element: ContiguousBytes {
        var encryptor = try await makeEncryptor(
            materialsManager: materialsManager, encryptionContext: encryptionContext,
            algorithmSuite: algorithmSuite, frameLength: frameLength)
        var output: [UInt8] = []
        for try await chunk in source {
            try chunk.withUnsafeBytes { try encryptor.update($0, into: &output) }
            if !output.isEmpty {
                try await sink(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        try encryptor.finish(into: &output)
        try await sink(output)
        return encryptor.header
    }

    /// Decrypts the chunks of `source`, handing plaintext to `sink` as frames authenticate.
    ///
    /// With signing suites the final frame's plaintext reaches `sink` only after the signature
    /// verifies; earlier plaintext must not be trusted until this function returns.
    public func decrypt<Source: AsyncSequence>(
        from source: Source, to sink: ([UInt8]) async throws -> Void, materialsManager: any CryptographicMaterialsManager,
        encryptionContext: EncryptionContext? = nil
    ) async throws -> StreamDecryptResult where Source.Element: ContiguousBytes {
        var decryptor = makeDecryptor(materialsManager: materialsManager, encryptionContext: encryptionContext)
        var output: [UInt8] = []
        for try await chunk in source {
            chunk.withUnsafeBytes { decryptor.append($0) }
            try await decryptor.drain(into: &output)
            if !output.isEmpty {
                try await sink(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        try await decryptor.finish(into: &output)
        if !output.isEmpty { try await sink(output) }
        guard let header = decryptor.header else { throw ESDKError.truncated("header") }
        return StreamDecryptResult(header: header, encryptionContext: decryptor.encryptionContext)
    }

    /// Encrypts the rest of `input` into `output`, reading `chunkSize` bytes at a time into one
    /// reused buffer. Writing runs on a `BackgroundFileWriter`, overlapped with encryption.
    public func encrypt(file input: FileHandle, to output: FileHandle, materialsManager: any CryptographicMaterialsManager,
                        encryptionContext: EncryptionContext = [:], algorithmSuite: AlgorithmSuite? = nil,
                        frameLength: Int = defaultFrameLength, chunkSize: Int = 1 << 20) async throws -> MessageHeader {
        var encryptor = try await makeEncryptor(
            materialsManager: materialsManager, encryptionContext: encryptionContext,
            algorithmSuite: algorithmSuite, frameLength: frameLength)
        var reader = FileDescriptorIO(handle: input, chunkSize: chunkSize)
        let writer = BackgroundFileWriter(
            descriptor: output.fileDescriptor, capacity: chunkSize + chunkSize / Swift.max(frameLength, 1) * 40 + 4096)
        do {
            while try reader.readChunk() {
                var ciphertext = try await writer.buffer()
                try reader.withChunk { try encryptor.update($0, into: &ciphertext) }
                writer.submit(consume ciphertext)
            }
            var ciphertext = try await writer.buffer()
            try encryptor.finish(into: &ciphertext)
            writer.submit(consume ciphertext)
            try await writer.finish()
        } catch {
            await writer.abandon()
            throw error
        }
        return encryptor.header
    }

    /// Decrypts the rest of `input` into `output`, reading `chunkSize` bytes at a time into one
    /// reused buffer. Writing runs on a `BackgroundFileWriter`, overlapped with decryption.
    public func decrypt(file input: FileHandle, to output: FileHandle, materialsManager: any CryptographicMaterialsManager,
                        encryptionContext: EncryptionContext? = nil, chunkSize: Int = 1 << 20) async throws -> StreamDecryptResult {
        var decryptor = makeDecryptor(materialsManager: materialsManager, encryptionContext: encryptionContext)
        var reader = FileDescriptorIO(handle: input, chunkSize: chunkSize)
        let writer = BackgroundFileWriter(descriptor: output.fileDescriptor, capacity: chunkSize + 4096)
        do {
            while try reader.readChunk() {
                reader.withChunk { decryptor.append($0) }
                var plaintext = try await writer.buffer()
                try await decryptor.drain(into: &plaintext)
                writer.submit(consume plaintext)
            }
            var plaintext = try await writer.buffer()
            try await decryptor.finish(into: &plaintext)
            writer.submit(consume plaintext)
            try await writer.finish()
        } catch {
            await writer.abandon()
            throw error
        }
        guard let header = decryptor.header else { throw ESDKError.truncated("header") }
        return StreamDecryptResult(header: header, encryptionContext: decryptor.encryptionContext)
    }
}

/// Reads a file handle in fixed-size chunks.
public struct FileHandleChunks: AsyncSequence, Sendable {
    public typealias Element = Data

    public let handle: FileHandle
    public let chunkSize: Int

    public init(handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.chunkSize = Swift.max(chunkSize, 1)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle
        let chunkSize: Int

        public mutating func next() async throws -> Data? {
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { return nil }
            return data
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: handle, chunkSize: chunkSize) }
}
