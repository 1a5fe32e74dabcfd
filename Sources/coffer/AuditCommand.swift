import ArgumentParser
import CofferAudit
import CofferCore
import CofferIdentity
import CofferServer
import CofferStorageSQLite
import Crypto
import Foundation
import Logging

/// `coffer audit verify|search|tail|public-key`: the audit trail from the command line (works
/// while the server runs).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, search and follow the audit trail.",
        subcommands: [Verify.self, Search.self, Tail.self, PublicKey.self]
    )

    /// ISO 8601 (`2026-11-24T10:00:00Z`) or epoch seconds.
    static func parseTime(_ text: String) throws -> Date {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        throw ValidationError("'\(text)' is not an ISO 8601 time (2026-11-24T10:00:00Z) or epoch seconds")
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate digests, log files and the event hash chain; exits 1 and names every problem if anything was tampered with."
        )
        @OptionGroup var data: DataDirectoryOptions
        @Option(help: "Only digests from this time on (ISO 8601 or epoch seconds).") var start: String?
        @Option(help: "Only digests up to this time.") var end: String?
        @Option(help: "The digest public key (base64 raw Ed25519); default: DIR/audit/signing-public-key.") var publicKey: String?

        func run() async throws {
            let directory = data.resolvedDataDirectory
            let keyPath = publicKey ?? directory.auditPublicKeyPath
            guard let text = FileManager.default.contents(atPath: keyPath).map({ String(decoding: $0, as: UTF8.self) }),
                let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { throw ValidationError("cannot read a base64 Ed25519 public key from \(keyPath)") }
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
            let report = try AuditVerifier.verify(
                directory: directory.auditDirectory, publicKey: key, start: try start.map(AuditCommand.parseTime), end: try end.map(AuditCommand.parseTime)
            )
            print(report.description)
            if !report.isValid { throw ExitCode(1) }
        }
    }

    /// The lookup filters LookupEvents has.
    struct Filters: ParsableArguments {
        @Option(help: "The account whose events to show (default: the first account).") var account: String?
        @Option var eventID: String?
        @Option var eventName: String?
        @Option var eventSource: String?
        @Option var username: String?
        @Option var resourceName: String?
        @Option var resourceType: String?
        @Option var accessKeyID: String?
        @Option(help: "true or false.") var readOnly: String?
        @Option(help: "From this time (ISO 8601 or epoch seconds).") var start: String?
        @Option(help: "Up to this time.") var end: String?
        @Flag(help: "One JSON record per line instead of a table.") var json = false

        func attribute() throws -> AuditQuery.Attribute? {
            var chosen: [AuditQuery.Attribute] = []
            if let eventID { chosen.append(.eventID(eventID)) }
            if let eventName { chosen.append(.eventName(eventName)) }
            if let eventSource { chosen.append(.eventSource(eventSource)) }
            if let username { chosen.append(.username(username)) }
            if let resourceName { chosen.append(.resourceName(resourceName)) }
            if let resourceType { chosen.append(.resourceType(resourceType)) }
            if let accessKeyID { chosen.append(.accessKeyID(accessKeyID)) }
            if let readOnly {
                guard readOnly == "true" || readOnly == "false" else { throw ValidationError("--read-only is true or false") }
                chosen.append(.readOnly(readOnly == "true"))
            }
            guard chosen.count <= 1 else { throw ValidationError("give at most one lookup filter, as LookupEvents takes one attribute") }
            return chosen.first
        }

        func query(_ stores: CofferStores, maxResults: Int, nextToken: String? = nil) async throws -> AuditQuery {
            let recipient: String
            if let account {
                guard AccountID(account) != nil else { throw ValidationError("--account is 12 digits") }
                recipient = account
            } else {
                guard let first = try await stores.identity.accounts().first else { throw ValidationError("the data directory has no account yet") }
                recipient = first.id.rawValue
            }
            return AuditQuery(
                recipientAccount: recipient, attribute: try attribute(), startTime: try start.map(AuditCommand.parseTime),
                endTime: try end.map(AuditCommand.parseTime), maxResults: maxResults, nextToken: nextToken
            )
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Events matching one filter, newest first (as LookupEvents).")
        @OptionGroup var data: DataDirectoryOptions
        @OptionGroup var filters: Filters
        @Option(help: "At most this many events.") var max: Int = 50

        func run() async throws {
            guard max >= 1 else { throw ValidationError("--max must be at least 1") }
            let stores = try CofferStores.open(dataDirectory: data.resolvedDataDirectory, rootKeySource: data.rootKeySource, logger: Logger(label: "coffer"))
            let search = AuditSearch(directory: data.resolvedDataDirectory.auditDirectory)
            var printed = 0
            var token: String?
            if !filters.json { print(AuditTable.header) }
            repeat {
                let page = try search.lookup(try await filters.query(stores, maxResults: Swift.min(AuditSearch.maxPageSize, max - printed), nextToken: token))
                for record in page.records { print(filters.json ? String(decoding: record.json, as: UTF8.self) : AuditTable.row(record)) }
                printed += page.records.count
                token = page.nextToken
            } while token != nil && printed < max
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest events, oldest first; with --follow, keep printing new ones.")
        @OptionGroup var data: DataDirectoryOptions
        @OptionGroup var filters: Filters
        @Option(name: [.customShort("n"), .long], help: "How many recent events to show first.") var lines: Int = 20
        @Flag(name: .shortAndLong, help: "Keep watching for new events (Ctrl-C stops).") var follow = false

        func run() async throws {
            guard lines >= 0 else { throw ValidationError("--lines must not be negative") }
            let stores = try CofferStores.open(dataDirectory: data.resolvedDataDirectory, rootKeySource: data.rootKeySource, logger: Logger(label: "coffer"))
            let search = AuditSearch(directory: data.resolvedDataDirectory.auditDirectory)
            if !filters.json { FileHandle.standardOutput.write(Data((AuditTable.header + "\n").utf8)) }
            var seen = Set<String>()
            var first = true
            repeat {
                let page = try search.lookup(try await filters.query(stores, maxResults: first ? Swift.min(Swift.max(lines, 1), AuditSearch.maxPageSize) : AuditSearch.maxPageSize))
                let fresh = page.records.filter { !seen.contains($0.eventID) }
                for record in (first ? Array(fresh.prefix(lines)) : fresh).reversed() {
                    // Unbuffered, so a pipe sees each event as it comes.
                    let line = filters.json ? String(decoding: record.json, as: UTF8.self) : AuditTable.row(record)
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                }
                seen.formUnion(page.records.map(\.eventID))
                first = false
                if follow { try await Task.sleep(for: .seconds(1)) }
            } while follow
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "public-key", abstract: "Print the digest signing public key (base64 raw Ed25519).")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let path = data.resolvedDataDirectory.auditPublicKeyPath
            guard let bytes = FileManager.default.contents(atPath: path) else { throw ValidationError("no audit public key at \(path) yet; start the server once") }
            print(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}

/// The human-readable form of events.
enum AuditTable {
    static let header = "TIME                  EVENT                           SOURCE                 USER              ERROR                    RESOURCES"

    static func row(_ record: AuditRecord) -> String {
        let error = (try? JSONSerialization.jsonObject(with: Data(record.json)) as? [String: Any])?["errorCode"] as? String ?? "-"
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? String(text.prefix(width - 1)) + " " : text + String(repeating: " ", count: width - text.count) }
        return pad(record.eventTime.iso8601Seconds, 22) + pad(record.eventName, 32) + pad(record.eventSource, 23) + pad(record.username ?? "-", 18)
            + pad(error, 25) + (record.resources.isEmpty ? "-" : record.resources.map(\.name).joined(separator: ","))
    }
}
