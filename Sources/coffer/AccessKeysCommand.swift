import ArgumentParser
import CofferCore
import CofferIdentity
import CofferServer
import Logging

/// `coffer access-keys list|create`: administer the first account's access keys.
struct AccessKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-keys",
        abstract: "List or create access keys of the first account (works while the server runs).",
        subcommands: [List.self, Create.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List access key ids, their status and creation date.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let stores = try CofferStores.open(dataDirectory: data.resolvedDataDirectory, rootKeySource: data.rootKeySource, logger: Logger(label: "coffer"))
            for account in try await stores.identity.accounts() {
                for key in try await stores.identity.accessKeys(account: account.id) {
                    print("\(key.accessKeyID)\t\(account.id.rawValue)\t\(key.status.rawValue)\t\(key.creationDate)")
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an access key for the first account's root principal; the secret is shown once.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let stores = try CofferStores.open(dataDirectory: data.resolvedDataDirectory, rootKeySource: data.rootKeySource, logger: Logger(label: "coffer"))
            guard let account = try await stores.identity.accounts().first else {
                throw ValidationError("the data directory has no account yet; start `coffer serve` once first")
            }
            let (key, secret) = try await stores.identity.createAccessKey(account: account.id)
            print("# account \(account.id.rawValue)")
            print("aws_access_key_id = \(key.accessKeyID)")
            print("aws_secret_access_key = \(secret)")
        }
    }
}
