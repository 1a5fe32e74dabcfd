import Foundation

/// The command-line entry: `decrypt MANIFEST` or `encrypt MANIFEST OUTPUT_DIR`.
public enum VectorCommand {
    public static let usage = """
    usage: esdk-vectors decrypt <awses-decrypt manifest.json> [--verbose]
           esdk-vectors encrypt <awses-encrypt manifest.json> <output directory> [--verbose]
    """

    /// Runs the command and returns the process exit code.
    public static func main(_ arguments: [String]) async -> Int32 {
        let verbose = arguments.contains("--verbose")
        let positional = arguments.dropFirst().filter { !$0.hasPrefix("--") }
        guard let mode = positional.first else {
            print(usage)
            return 2
        }
        let rest = Array(positional.dropFirst())
        do {
            switch mode {
            case "decrypt" where rest.count == 1:
                let runner = DecryptManifestRunner(manifestURL: URL(fileURLWithPath: rest[0]), rsaProvider: defaultRSAProvider, verbose: verbose)
                let summary = try await runner.run()
                for failure in summary.failures.prefix(50) { print("FAILED \(failure)") }
                print(summary)
                return summary.failed == 0 ? 0 : 1
            case "encrypt" where rest.count == 2:
                let runner = EncryptManifestRunner(
                    manifestURL: URL(fileURLWithPath: rest[0]), outputDirectory: URL(fileURLWithPath: rest[1]),
                    rsaProvider: defaultRSAProvider, verbose: verbose)
                let summary = try await runner.run()
                for failure in summary.failures.prefix(50) { print("FAILED \(failure)") }
                print(summary)
                return summary.failed == 0 ? 0 : 1
            default:
                print(usage)
                return 2
            }
        } catch {
            print("error: \(error)")
            return 2
        }
    }
}
