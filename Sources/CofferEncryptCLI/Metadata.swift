import CofferEncryptionSDK
import Foundation

/// A JSON value written the way Python's `json.dumps(…, sort_keys=True)` writes it
/// (`", "` and `": "` separators, non-ASCII escaped), as aws-encryption-cli's metadata lines are.
public indirect enum MetadataJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([MetadataJSON])
    case object([String: MetadataJSON])

    public var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += ", " }
                value.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out += ", " }
                Self.writeString(member.key, into: &out)
                out += ": "
                member.value.write(into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for unit in value.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}

/// Builds aws-encryption-cli-compatible metadata records.
public enum MetadataRecord {
    static func b64(_ bytes: [UInt8]) -> MetadataJSON { .string(Data(bytes).base64EncodedString()) }

    /// The `header` object, with the same fields as aws-encryption-cli's `json_ready_header`.
    public static func header(_ header: MessageHeader) -> MetadataJSON {
        let keys = header.encryptedDataKeys.sorted { a, b in
            (Array(a.providerID.utf8) + a.providerInfo).lexicographicallyPrecedes(Array(b.providerID.utf8) + b.providerInfo)
        }.map { key -> MetadataJSON in
            .object([
                "encrypted_data_key": b64(key.ciphertext),
                "key_provider": .object(["key_info": b64(key.providerInfo), "provider_id": b64(Array(key.providerID.utf8))]),
            ])
        }
        return .object([
            "algorithm": .string(AlgorithmSuiteNames.name(of: header.algorithmSuite)),
            "commitment_key": header.commitmentKey.isEmpty ? .null : b64(header.commitmentKey),
            "content_type": .int(Int(header.contentType.rawValue)),
            "encrypted_data_keys": .array(keys),
            "encryption_context": .object(header.encryptionContext.mapValues { .string($0) }),
            "frame_length": .int(Int(header.frameLength)),
            "header_iv_length": header.version == 1 ? .int(header.algorithmSuite.ivLength) : .null,
            "message_id": b64(header.messageID),
            "type": header.version == 1 ? .int(128) : .null,
            "version": .string(header.version == 1 ? "1.0" : "2.0"),
        ])
    }

    /// The `header_auth` object of decrypt records.
    public static func headerAuth(_ header: MessageHeader) -> MetadataJSON {
        .object(["iv": b64(header.headerIV), "tag": b64(header.headerAuthTag)])
    }
}

/// Appends JSON lines to a file or stdout.
final class MetadataWriter: @unchecked Sendable {
    private let handle: FileHandle?
    private let toStdout: Bool

    init(destination: String, overwrite: Bool) throws(CLIError) {
        if destination == "-" {
            handle = nil
            toStdout = true
            return
        }
        toStdout = false
        let url = URL(fileURLWithPath: destination)
        var isDirectory: ObjCBool = false
        let parent = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.usage("the directory of the metadata output file \(destination) does not exist")
        }
        if overwrite || !FileManager.default.fileExists(atPath: destination) {
            guard FileManager.default.createFile(atPath: destination, contents: nil) else {
                throw CLIError.usage("cannot create the metadata output file \(destination)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: destination) else {
            throw CLIError.usage("cannot open the metadata output file \(destination)")
        }
        _ = try? handle.seekToEnd()
        self.handle = handle
    }

    func write(_ record: [String: MetadataJSON]) throws(CLIError) {
        let line = Array((MetadataJSON.object(record).serialized + "\n").utf8)
        do {
            if toStdout {
                try writeAll(fd: 1, line)
            } else if let handle {
                try handle.write(contentsOf: line)
            }
        } catch {
            throw CLIError("writing metadata failed")
        }
    }

    func close() {
        try? handle?.close()
    }
}
