import ArgumentParser
import CofferCore
import CofferIdentity
import CofferServer
import Foundation
import Logging

/// `coffer accounts list|create`: administer accounts (works while the server runs).
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts",
        abstract: "List accounts, or create one with an access key for its root principal.",
        subcommands: [List.self, Create.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List account ids and their creation dates.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let stores = try CofferStores.open(dataDirectory: data.resolvedDataDirectory, rootKeySource: data.rootKeySource, logger: Logger(label: "coffer"))
            for account in try await stores.identity.accounts() {
                print("\(account.id.rawValue)\t\(account.creationDate)")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account (random 12-digit id unless --id is given) and an access key for its root; the secret is shown once."
        )
        @OptionGroup var data: DataDirectoryOptions
        @Option(help: "The 12-digit account id to create.") var id: String?
        @Flag(help: "Print {\"AccountId\", \"AccessKeyId\", \"SecretAccessKey\"} as JSON.") var json = false

        func run() async throws {
            let stores = try CofferStores.open(dataDirectory: data.resolvedDataDirectory, rootKeySource: data.rootKeySource, logger: Logger(label: "coffer"))
            let accountID: AccountID
            if let id {
                guard let parsed = AccountID(id) else { throw ValidationError("an account id is exactly 12 digits") }
                guard try await !stores.identity.accounts().contains(where: { $0.id == parsed }) else {
                    throw ValidationError("account \(id) already exists")
                }
                try await stores.identity.ensureAccount(parsed)
                accountID = parsed
            } else {
                accountID = try await stores.identity.createAccount().id
            }
            let (key, secret) = try await stores.identity.createAccessKey(account: accountID)
            if json {
                let object = ["AccountId": accountID.rawValue, "AccessKeyId": key.accessKeyID, "SecretAccessKey": secret]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("# account \(accountID.rawValue)")
                print("aws_access_key_id = \(key.accessKeyID)")
                print("aws_secret_access_key = \(secret)")
            }
        }
    }
}
