import CofferEncryptionSDK
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Encrypt or decrypt.
public enum OperationMode: String, Sendable {
    case encrypt
    case decrypt

    var defaultSuffix: String { self == .encrypt ? ".encrypted" : ".decrypted" }
}

/// A validated configuration for one CLI invocation.
public struct OperationPlan: Sendable {
    public var mode: OperationMode
    public var input: String
    public var output: String
    public var recursive: Bool
    public var suffix: String?
    public var noOverwrite: Bool
    public var sdk: EncryptionSDK
    public var encryptionContext: EncryptionContextArguments
    public var algorithmSuite: AlgorithmSuite?
    public var frameLength: Int
    public var metadataOutput: String?
    public var overwriteMetadata: Bool
    public var progress: Bool

    public init(mode: OperationMode, input: String, output: String, recursive: Bool = false, suffix: String? = nil,
                noOverwrite: Bool = false, sdk: EncryptionSDK = EncryptionSDK(), encryptionContext: EncryptionContextArguments = .init(),
                algorithmSuite: AlgorithmSuite? = nil, frameLength: Int = EncryptionSDK.defaultFrameLength,
                metadataOutput: String? = nil, overwriteMetadata: Bool = false, progress: Bool = true) {
        self.mode = mode
        self.input = input
        self.output = output
        self.recursive = recursive
        self.suffix = suffix
        self.noOverwrite = noOverwrite
        self.sdk = sdk
        self.encryptionContext = encryptionContext
        self.algorithmSuite = algorithmSuite
        self.frameLength = frameLength
        self.metadataOutput = metadataOutput
        self.overwriteMetadata = overwriteMetadata
        self.progress = progress
    }
}

/// One source → destination pair.
struct Job {
    var source: String       // path or "-"
    var destination: String  // path or "-"
}

/// Runs a plan: resolves inputs and outputs, then streams each job.
struct OperationRunner {
    let plan: OperationPlan
    let materialsManager: any CryptographicMaterialsManager

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Resolves the jobs of `plan` (validates the input/output combination).
    static func jobs(for plan: OperationPlan) throws(CLIError) -> [Job] {
        let suffix = plan.suffix ?? plan.mode.defaultSuffix
        if plan.input == "-" {
            if plan.recursive { throw .usage("-r/--recursive cannot be used with standard input") }
            if plan.output != "-" && isDirectory(plan.output) {
                throw .usage("when the input is standard input, the output must be a file or '-', not a directory")
            }
            return [Job(source: "-", destination: plan.output)]
        }
        guard FileManager.default.fileExists(atPath: plan.input) else { throw .usage("input \(plan.input) does not exist") }
        if isDirectory(plan.input) {
            guard plan.recursive else { throw .usage("input \(plan.input) is a directory; use -r/--recursive") }
            guard plan.output != "-", isDirectory(plan.output) else {
                throw .usage("when the input is a directory, the output must be an existing directory")
            }
            let root = URL(fileURLWithPath: plan.input).standardizedFileURL
            let outRoot = URL(fileURLWithPath: plan.output).standardizedFileURL
            if outRoot.path == root.path || outRoot.path.hasPrefix(root.path + "/") {
                throw .usage("the output directory may not be inside the input directory")
            }
            var jobs: [Job] = []
            guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
                throw .usage("cannot list directory \(plan.input)")
            }
            for case let url as URL in enumerator {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
                jobs.append(Job(source: url.path, destination: outRoot.appendingPathComponent(relative).path + suffix))
            }
            return jobs.sorted { $0.source < $1.source }
        }
        if plan.output == "-" { return [Job(source: plan.input, destination: "-")] }
        if isDirectory(plan.output) {
            let name = URL(fileURLWithPath: plan.input).lastPathComponent
            return [Job(source: plan.input, destination: URL(fileURLWithPath: plan.output).appendingPathComponent(name).path + suffix)]
        }
        return [Job(source: plan.input, destination: plan.output)]
    }

    /// Runs every job; returns the number of failures (errors are reported on stderr as they occur).
    func run() async throws(CLIError) -> Int {
        let jobs = try Self.jobs(for: plan)
        if plan.metadataOutput == "-" && jobs.contains(where: { $0.destination == "-" }) {
            throw .usage("--metadata-output - and -o - cannot both use standard output")
        }
        let metadata = try plan.metadataOutput.map { (path) throws(CLIError) -> MetadataWriter in
            try MetadataWriter(destination: path, overwrite: plan.overwriteMetadata)
        }
        defer { metadata?.close() }
        var failures = 0
        for job in jobs {
            do {
                try await runJob(job, metadata: metadata)
            } catch {
                failures += 1
                let name = job.source == "-" ? "standard input" : job.source
                printError("error: \(plan.mode.rawValue) of \(name) failed: \(error.message)")
            }
        }
        return failures
    }

    private func runJob(_ job: Job, metadata: MetadataWriter?) async throws(CLIError) {
        if job.source != "-", job.destination != "-",
           URL(fileURLWithPath: job.source).resolvingSymlinksInPath().path == URL(fileURLWithPath: job.destination).resolvingSymlinksInPath().path {
            throw CLIError("the input and the output are the same file")
        }
        if plan.noOverwrite, job.destination != "-", FileManager.default.fileExists(atPath: job.destination) {
            printError("warning: skipping \(job.destination): it exists and --no-overwrite is set")
            return
        }
        // Input.
        let inputFD: Int32
        var inputSize: Int?
        if job.source == "-" {
            inputFD = 0
        } else {
            inputFD = open(job.source, O_RDONLY)
            guard inputFD >= 0 else { throw CLIError("cannot open \(job.source): \(String(cString: strerror(errno)))") }
            var info = stat()
            if fstat(inputFD, &info) == 0 { inputSize = Int(info.st_size) }
        }
        defer { if inputFD != 0 { close(inputFD) } }
        // Output: a temporary file beside the destination, renamed on success.
        var outputFD: Int32 = 1
        var temporary: String?
        if job.destination != "-" {
            let destination = URL(fileURLWithPath: job.destination)
            let directory = destination.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw CLIError("cannot create directory \(directory.path)")
            }
            let path = directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.prefix(8)).partial").path
            outputFD = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard outputFD >= 0 else { throw CLIError("cannot create output file in \(directory.path): \(String(cString: strerror(errno)))") }
            temporary = path
        }
        var succeeded = false
        defer {
            if let temporary {
                close(outputFD)
                if !succeeded { unlink(temporary) }
            }
        }
        let names = (input: job.source == "-" ? "<stdin>" : URL(fileURLWithPath: job.source).standardizedFileURL.path,
                     output: job.destination == "-" ? "<stdout>" : URL(fileURLWithPath: job.destination).standardizedFileURL.path)
        var progress = ProgressBar(total: inputSize, label: plan.mode.rawValue, allowed: plan.progress)
        defer { progress.finish() }
        switch plan.mode {
        case .encrypt:
            try await encrypt(inputFD: inputFD, outputFD: outputFD, size: inputSize, names: names, metadata: metadata, progress: &progress)
        case .decrypt:
            try await decrypt(inputFD: inputFD, outputFD: outputFD, names: names, metadata: metadata, progress: &progress)
        }
        if let temporary {
            // Keep the permissions a new file would get, not the temporary's 0600.
            let mask = umask(0)
            umask(mask)
            fchmod(outputFD, 0o666 & ~mask)
            guard rename(temporary, job.destination) == 0 else {
                throw CLIError("cannot move the output into place at \(job.destination): \(String(cString: strerror(errno)))")
            }
        }
        succeeded = true
    }

    private func encrypt(inputFD: Int32, outputFD: Int32, size: Int?, names: (input: String, output: String),
                         metadata: MetadataWriter?, progress: inout ProgressBar) async throws(CLIError) {
        var encryptor: MessageEncryptor
        do {
            encryptor = try await plan.sdk.makeEncryptor(
                materialsManager: materialsManager, encryptionContext: plan.encryptionContext.pairs,
                algorithmSuite: plan.algorithmSuite, frameLength: plan.frameLength, plaintextLength: size)
        } catch {
            throw CLIError(describe(error))
        }
        try metadata?.write([
            "mode": .string("encrypt"), "input": .string(names.input), "output": .string(names.output),
            "header": MetadataRecord.header(encryptor.header),
        ])
        var reader = ChunkReader(fd: inputFD)
        let writer = BackgroundFileWriter(
            descriptor: outputFD, capacity: (1 << 20) + (1 << 20) / max(plan.frameLength, 1) * 40 + 4096)
        do {
            while try reader.next() {
                var ciphertext = try await writer.buffer()
                try reader.withChunk { try encryptor.update($0, into: &ciphertext) }
                writer.submit(consume ciphertext)
                progress.advance(reader.filled)
            }
            var ciphertext = try await writer.buffer()
            try encryptor.finish(into: &ciphertext)
            writer.submit(consume ciphertext)
            try await writer.finish()
        } catch let error as CLIError {
            await writer.abandon()
            throw error
        } catch {
            await writer.abandon()
            throw CLIError(describe(error))
        }
    }

    private func decrypt(inputFD: Int32, outputFD: Int32, names: (input: String, output: String),
                         metadata: MetadataWriter?, progress: inout ProgressBar) async throws(CLIError) {
        let reproduced = plan.encryptionContext.pairs.isEmpty ? nil : plan.encryptionContext.pairs
        var decryptor = plan.sdk.makeDecryptor(materialsManager: materialsManager, encryptionContext: reproduced)
        var reader = ChunkReader(fd: inputFD)
        let writer = BackgroundFileWriter(descriptor: outputFD, capacity: (1 << 20) + 4096)
        var headerChecked = false
        do {
            while try reader.next() {
                reader.withChunk { decryptor.append($0) }
                var plaintext = try await writer.buffer()
                try await decryptor.drain(into: &plaintext)
                if !headerChecked, let header = decryptor.header {
                    try checkHeader(header, decryptor.encryptionContext, names: names, metadata: metadata)
                    headerChecked = true
                }
                writer.submit(consume plaintext)
                progress.advance(reader.filled)
            }
            var plaintext = try await writer.buffer()
            try await decryptor.finish(into: &plaintext)
            if !headerChecked, let header = decryptor.header {
                try checkHeader(header, decryptor.encryptionContext, names: names, metadata: metadata)
            }
            writer.submit(consume plaintext)
            try await writer.finish()
        } catch let error as CLIError {
            await writer.abandon()
            throw error
        } catch {
            await writer.abandon()
            var text = describe(error)
            if let esdk = error as? ESDKError, [.headerAuthenticationFailed, .unableToDecryptDataKey].contains(esdk.code), let reproduced {
                let stored = decryptor.header?.encryptionContext
                let extra = stored.map { stored in reproduced.keys.filter { stored[$0] == nil } } ?? Array(reproduced.keys)
                if !extra.isEmpty {
                    text += " (note: -c pairs that are not stored in the message are used as encryption context the message " +
                        "was bound to without storing it; if it was not encrypted with them, decryption fails)"
                }
            }
            throw CLIError(text)
        }
    }

    private func checkHeader(_ header: MessageHeader, _ context: EncryptionContext, names: (input: String, output: String),
                             metadata: MetadataWriter?) throws(CLIError) {
        var record: [String: MetadataJSON] = [
            "mode": .string("decrypt"), "input": .string(names.input), "output": .string(names.output),
            "header": MetadataRecord.header(header), "header_auth": MetadataRecord.headerAuth(header),
        ]
        let missing = plan.encryptionContext.requiredKeys.filter { context[$0] == nil }.sorted()
        if !missing.isEmpty {
            record["skipped"] = .bool(true)
            record["reason"] = .string("Missing encryption context key or value")
            record["missing_encryption_context_keys"] = .array(missing.map { .string($0) })
            record["missing_encryption_context_pairs"] = .array([])
            try metadata?.write(record)
            throw CLIError("encryption context mismatch: the message's encryption context lacks required key(s) \(missing.map { "'\($0)'" }.joined(separator: ", "))")
        }
        try metadata?.write(record)
    }
}
