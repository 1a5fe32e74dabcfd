import CofferCrypto
import Foundation
import Logging

/// Where the root key comes from: `COFFER_ROOT_KEY` (base64 of 32 bytes), a key file given on the
/// command line, or, by default, `root.key` in the data directory (generated on first start).
public enum RootKeySource: Sendable {
    case environment(String)
    case file(String)
    case dataDirectory

    /// Loads (or for the embedded default, creates) the root key.
    func load(dataDirectory: DataDirectory, logger: Logger) throws -> RootKey {
        switch self {
        case .environment(let base64):
            return try Self.decode(base64, source: "COFFER_ROOT_KEY")
        case .file(let path):
            return try Self.read(path: path)
        case .dataDirectory:
            let path = dataDirectory.rootKeyPath
            if dataDirectory.exists(path) { return try Self.read(path: path) }
            let key = RootKey.generate()
            let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
            try dataDirectory.writeAtomically(Array(encoded.utf8), to: path, mode: 0o600)
            logger.warning(
                "Generated a new root key in the data directory. Anyone who can read it can decrypt every key; for production keep it elsewhere (COFFER_ROOT_KEY or --root-key-file).",
                metadata: ["path": "\(path)"]
            )
            return key
        }
    }

    private static func read(path: String) throws -> RootKey {
        guard let data = FileManager.default.contents(atPath: path) else { throw CofferStartupError("cannot read root key file \(path)") }
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if permissions & 0o077 != 0 {
            throw CofferStartupError("root key file \(path) is readable by group or others; chmod 600 it")
        }
        return try decode(String(decoding: data, as: UTF8.self), source: "root key file \(path)")
    }

    /// A root key from its base64 text (surrounding whitespace ignored); exactly 32 bytes.
    private static func decode(_ text: String, source: String) throws -> RootKey {
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw CofferStartupError("\(source) must hold the base64 encoding of exactly 32 bytes")
        }
        return try RootKey(bytes: bytes)
    }
}
