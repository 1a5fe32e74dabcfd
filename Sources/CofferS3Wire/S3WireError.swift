/// An S3 error for the pure wire helpers of this module: the S3 error `Code` and a message
/// worded like S3's. The HTTP layer maps the code to a status.
public struct S3WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The S3 error code, e.g. `MalformedXML`.
    public var code: String
    /// The human-readable message S3 would send with the code.
    public var message: String

    /// An error with any S3 code and message.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension S3WireError {
    /// `MalformedXML` (400): the body is not well-formed XML or does not fit the expected shape.
    public static let malformedXML = S3WireError(
        code: "MalformedXML",
        message: "The XML you provided was not well-formed or did not validate against our published schema")

    /// `InvalidArgument` (400) with a specific message.
    public static func invalidArgument(_ message: String) -> S3WireError {
        S3WireError(code: "InvalidArgument", message: message)
    }

    /// `InvalidTag` (400) with a specific message.
    public static func invalidTag(_ message: String) -> S3WireError {
        S3WireError(code: "InvalidTag", message: message)
    }

    /// `BadRequest` (400) with a specific message.
    public static func badRequest(_ message: String) -> S3WireError {
        S3WireError(code: "BadRequest", message: message)
    }

    /// `InvalidBucketName` (400).
    public static let invalidBucketName = S3WireError(
        code: "InvalidBucketName", message: "The specified bucket is not valid.")

    /// `KeyTooLongError` (400): the key is longer than 1024 UTF-8 bytes.
    public static let keyTooLong = S3WireError(code: "KeyTooLongError", message: "Your key is too long")

    /// `InvalidRange` (416): the range does not overlap the object.
    public static let invalidRange = S3WireError(
        code: "InvalidRange", message: "The requested range is not satisfiable")

    /// `InvalidURI` (400): the request path is not valid percent-encoded UTF-8.
    public static let invalidURI = S3WireError(code: "InvalidURI", message: "Couldn't parse the specified URI.")

    /// `InvalidArgument` for a continuation token this server did not issue.
    public static let invalidContinuationToken = invalidArgument("The continuation token provided is incorrect")

    /// `InvalidArgument` for an `encoding-type` other than `url`.
    public static let invalidEncodingType = invalidArgument("Invalid Encoding Method specified in Request")

    /// `InvalidArgument` for a `max-keys` that is not a non-negative integer.
    public static let invalidMaxKeys = invalidArgument("Provided max-keys not an integer or within integer range")
}
