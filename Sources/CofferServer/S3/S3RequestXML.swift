import Foundation
import CofferS3

/// Request bodies in S3's XML.
enum S3RequestXML {
    static func createBucketConfiguration(_ body: [UInt8]) throws -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard text.contains("CreateBucketConfiguration") else {
            throw S3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
        }
        guard let open = text.range(of: "<LocationConstraint>"), let close = text.range(of: "</LocationConstraint>") else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
