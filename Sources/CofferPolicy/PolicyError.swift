/// A policy document that could not be parsed or failed validation.
///
/// `message` reads like the text of an AWS `MalformedPolicyDocument` error.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    /// An error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static let syntax = PolicyError("Syntax errors in policy.")
}
