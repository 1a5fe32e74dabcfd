import CofferWire
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Rendering of Query-protocol (IAM, STS) answers and errors as XML.
extension CofferResponder {
    static let iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
    static let stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

    /// The XML namespace of a Query-protocol request (from its credential scope), or nil when the
    /// request is not one (it has an `X-Amz-Target`, or is not form-encoded).
    static func queryNamespace(_ request: Request) -> String? {
        let contentType = request.headers[.contentType] ?? ""
        let isForm = contentType.hasPrefix("application/x-www-form-urlencoded") || (request.method == .get && (request.uri.query ?? "").contains("Action="))
        guard isForm else { return nil }
        let authorization = request.headers[.authorization] ?? (request.uri.query ?? "")
        return authorization.contains("/sts/aws4_request") || authorization.contains("%2Fsts%2Faws4_request") ? stsNamespace : iamNamespace
    }

    static func queryResponse(action: String, namespace: String, result: XMLWriter, requestID: String) -> Response {
        var xml = XMLWriter()
        xml.open("\(action)Response", namespace: namespace)
        if !result.bytes.isEmpty {
            xml.open("\(action)Result")
            xml.append(result)
            xml.close("\(action)Result")
        }
        xml.element("ResponseMetadata") { $0.element("RequestId", requestID) }
        xml.close("\(action)Response")
        return xmlResponse(status: 200, body: xml.bytes, requestID: requestID)
    }

    func renderQueryError(_ error: any Error, namespace: String, requestID: String, operation: String) -> Response {
        let description = AWSErrorTable.describeQuery(error, sts: namespace == Self.stsNamespace)
        logFailure(error, description, requestID: requestID, operation: operation, logger: logger)
        var xml = XMLWriter()
        xml.open("ErrorResponse", namespace: namespace)
        xml.element("Error") { xml in
            xml.element("Type", description.isServerFault ? "Receiver" : "Sender")
            xml.element("Code", description.name)
            xml.element("Message", description.message)
        }
        xml.element("RequestId", requestID)
        xml.close("ErrorResponse")
        return Self.xmlResponse(status: description.status, body: xml.bytes, requestID: requestID)
    }

    static func xmlResponse(status: Int, body: [UInt8], requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/xml"
        headers[requestIDField] = requestID
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
