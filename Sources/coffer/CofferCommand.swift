import ArgumentParser
import CofferEncryptCLI
import CofferCore

/// `coffer`: the server and its administration.
struct CofferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coffer",
        abstract: "A self-hosted data-protection server that speaks the AWS KMS API.",
        version: CofferVersion.current,
        subcommands: [ServeCommand.self, AccountsCommand.self, AccessKeysCommand.self, AuditCommand.self, EncryptCommand.self, DecryptCommand.self, ESDKVectorsCommand.self, VersionCommand.self]
    )
}

/// `coffer version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() { print("coffer \(CofferVersion.current)") }
}
