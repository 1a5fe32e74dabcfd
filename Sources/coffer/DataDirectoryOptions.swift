import ArgumentParser
import CofferServer
import Foundation

/// The options every command that opens a data directory shares.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (default: $COFFER_DATA_DIR or ./coffer-data).")
    var dataDirectory: String?

    @Option(name: .customLong("root-key-file"), help: "Read the root key (base64 of 32 bytes) from this file instead of DIR/root.key (also $COFFER_ROOT_KEY_FILE; $COFFER_ROOT_KEY gives the key itself).")
    var rootKeyFile: String?

    var resolvedDataDirectory: DataDirectory {
        DataDirectory(path: dataDirectory ?? ProcessInfo.processInfo.environment["COFFER_DATA_DIR"] ?? "coffer-data")
    }

    var rootKeySource: RootKeySource {
        let environment = ProcessInfo.processInfo.environment
        if let rootKeyFile { return .file(rootKeyFile) }
        if let key = environment["COFFER_ROOT_KEY"] { return .environment(key) }
        if let file = environment["COFFER_ROOT_KEY_FILE"] { return .file(file) }
        return .dataDirectory
    }
}
