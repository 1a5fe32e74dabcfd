import ArgumentParser
import CofferESDKVectors

/// `coffer esdk-vectors decrypt|encrypt ...`: the AWS Encryption SDK test-vector runner.
struct ESDKVectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "esdk-vectors",
        abstract: "Run AWS Encryption SDK test vectors (awses-decrypt / awses-encrypt manifests) with the Swift SDK.",
        discussion: VectorCommand.usage
    )

    @Argument(parsing: .captureForPassthrough, help: "decrypt MANIFEST | encrypt MANIFEST OUTPUT_DIR, then optionally --verbose")
    var arguments: [String] = []

    func run() async throws {
        let status = await VectorCommand.main(["esdk-vectors"] + arguments)
        if status != 0 { throw ExitCode(status) }
    }
}
