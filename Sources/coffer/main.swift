import ArgumentParser
import Foundation
import CCofferSystem
import CofferEncryptCLI
import NIOCore
import NIOPosix

// Size NIO's event loop group before anything uses it, then make it Swift concurrency's global
// executor so request handling never hops between NIO's threads and the cooperative pool. This has
// to happen on the main thread before any task runs, hence here and not inside a command.
if let threads = ServeCommand.requestedEventLoopThreads(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment) {
    NIOSingletons.groupLoopCountSuggestion = threads
}
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

coffer_tune_allocator()
/// Parses the command line and runs the command (explicitly async, so the async `run()` is chosen).
func runCommand() async {
    do {
        // Each `-w` occurrence of encrypt/decrypt is one wrapping-key spec whose tokens may come in any order.
        var command = try CofferCommand.parseAsRoot(WrappingKeySpec.joiningOccurrences(Array(CommandLine.arguments.dropFirst())))
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        CofferCommand.exit(withError: error)
    }
}

await runCommand()
