/// The two URL encodings S3 uses for keys: the `encoding-type=url` form of list responses, and
/// the percent-encoding of request paths.
public enum S3URLEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Encodes a key, prefix, delimiter or marker for a list response sent with
    /// `encoding-type=url`. `A–Z a–z 0–9 - _ . ~` and `/` stay as they are, a space becomes `+`
    /// (so a literal `+` becomes `%2B`), and every other UTF-8 byte becomes `%XX`.
    /// This is the form S3 answers and that botocore undoes with `unquote_plus`.
    public static func encodeForListing(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || byte == UInt8(ascii: "/") {
                out.append(byte)
            } else if byte == UInt8(ascii: " ") {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks a request's `encoding-type` parameter: nil when absent, true for `url`; any other
    /// value is `InvalidArgument`.
    public static func wantsURLEncoding(_ encodingType: String?) throws(S3WireError) -> Bool {
        guard let encodingType else { return false }
        guard encodingType == "url" else { throw .invalidEncodingType }
        return true
    }

    /// Decodes a percent-encoded request path (or one segment of it) into the key it names.
    /// `+` stays a literal plus. A `%` not followed by two hex digits, or bytes that are not
    /// UTF-8, are `InvalidURI`.
    public static func decodePath(_ path: some StringProtocol) throws(S3WireError) -> String {
        guard let bytes = percentDecode(path.utf8, plusIsSpace: false),
              let text = String(validating: bytes, as: UTF8.self)
        else { throw .invalidURI }
        return text
    }

    /// Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`); nil on a bad escape.
    static func percentDecode(_ input: some Collection<UInt8>, plusIsSpace: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var index = input.startIndex
        while index != input.endIndex {
            let byte = input[index]
            input.formIndex(after: &index)
            if byte == UInt8(ascii: "%") {
                guard index != input.endIndex, let high = hexValue(input[index]) else { return nil }
                input.formIndex(after: &index)
                guard index != input.endIndex, let low = hexValue(input[index]) else { return nil }
                input.formIndex(after: &index)
                out.append(high << 4 | low)
            } else if byte == UInt8(ascii: "+"), plusIsSpace {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
        return out
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
