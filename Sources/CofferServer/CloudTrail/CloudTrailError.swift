/// A CloudTrail request the service refuses; AWSErrorTable names it `<code>Exception`.
struct CloudTrailError: Error, Sendable {
    enum Code: String, Sendable {
        case invalidLookupAttributes = "InvalidLookupAttributesException"
        case invalidTimeRange = "InvalidTimeRangeException"
        case invalidMaxResults = "InvalidMaxResultsException"
        case invalidNextToken = "InvalidNextTokenException"
        case invalidEventCategory = "InvalidEventCategoryException"
        case unsupportedOperation = "UnsupportedOperationException"
    }

    var code: Code
    var message: String
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
