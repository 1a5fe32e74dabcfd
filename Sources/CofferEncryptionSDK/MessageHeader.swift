/// Body content type.
public enum ContentType: UInt8, Sendable {
    case nonFramed = 1
    case framed = 2
}

/// A parsed or to-be-written message header (spec: data-format/message-header).
public struct MessageHeader: Sendable {
    /// Format version, 1 or 2.
    public var version: UInt8
    public var algorithmSuite: AlgorithmSuite
    public var messageID: [UInt8]
    /// The encryption context stored in the header.
    public var encryptionContext: EncryptionContext
    public var encryptedDataKeys: [EncryptedDataKey]
    public var contentType: ContentType
    /// Frame length; 0 for non-framed bodies.
    public var frameLength: UInt32
    /// Commitment key (v2, committing suites).
    public var commitmentKey: [UInt8]
    /// Header authentication IV (v1 stores it; v2 uses zeros).
    public var headerIV: [UInt8]
    public var headerAuthTag: [UInt8]

    /// The maximum frame length the other SDKs accept.
    public static let maximumFrameLength = 2_147_483_647

    static let typeCustomerAuthenticatedEncryptedData: UInt8 = 0x80
}

extension MessageHeader {
    /// Serializes the header body (everything before the authentication fields).
    func serializeBody() throws(ESDKError) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.write(version)
        if version == 1 { writer.write(Self.typeCustomerAuthenticatedEncryptedData) }
        writer.write(algorithmSuite.id)
        writer.write(messageID)
        let context = try EncryptionContextCodec.serialize(encryptionContext)
        writer.write(UInt16(context.count))
        writer.write(context)
        guard encryptedDataKeys.count <= Int(UInt16.max) else {
            throw ESDKError(.tooManyEncryptedDataKeys, "more than 65535 encrypted data keys")
        }
        writer.write(UInt16(encryptedDataKeys.count))
        for key in encryptedDataKeys {
            try writer.writeShortLengthPrefixed(Array(key.providerID.utf8), field: "key provider ID")
            try writer.writeShortLengthPrefixed(key.providerInfo, field: "key provider info")
            try writer.writeShortLengthPrefixed(key.ciphertext, field: "encrypted data key")
        }
        writer.write(contentType.rawValue)
        if version == 1 {
            writer.write(UInt32(0))
            writer.write(UInt8(algorithmSuite.ivLength))
            writer.write(frameLength)
        } else {
            writer.write(frameLength)
            writer.write(commitmentKey)
        }
        return writer.bytes
    }

    /// Serializes the authentication fields.
    func serializeAuthentication() -> [UInt8] {
        version == 1 ? headerIV + headerAuthTag : headerAuthTag
    }

    /// The result of parsing: the header, the length of its body, and the total length with authentication.
    struct Parsed {
        var header: MessageHeader
        var bodyLength: Int
        var totalLength: Int
    }

    /// Parses a header from the start of `bytes`. Throws `.truncatedMessage` when more bytes are needed.
    static func parse(_ bytes: UnsafeRawBufferPointer, maxEncryptedDataKeys: Int?) throws(ESDKError) -> Parsed {
        var reader = ByteReader(bytes)
        let version = try reader.readUInt8("header version")
        guard version == 1 || version == 2 else {
            if let looksBase64 = Base64Detection.message(for: bytes) { throw looksBase64 }
            throw ESDKError(.unsupportedMessageVersion, "unsupported message format version \(version)")
        }
        if version == 1 {
            let type = try reader.readUInt8("header type")
            guard type == typeCustomerAuthenticatedEncryptedData else {
                throw ESDKError.malformed("unsupported message type \(type)")
            }
        }
        let suiteID = try reader.readUInt16("algorithm suite ID")
        guard let suite = AlgorithmSuite.suite(id: suiteID) else {
            throw ESDKError(.unsupportedAlgorithmSuite, "unknown algorithm suite 0x\(String(format4Hex: suiteID))")
        }
        guard suite.messageFormatVersion == version else {
            throw ESDKError(.unsupportedAlgorithmSuite, "algorithm suite \(suite) cannot appear in a version \(version) header")
        }
        let messageID = try reader.readBytes(suite.messageIDLength, "message ID")
        let contextLength = try reader.readUInt16("encryption context length")
        let contextBytes = try reader.readView(Int(contextLength), "encryption context")
        let context = try EncryptionContextCodec.deserialize(contextBytes)

        let keyCount = try reader.readUInt16("encrypted data key count")
        guard keyCount > 0 else { throw ESDKError.malformed("header has no encrypted data keys") }
        if let maxEncryptedDataKeys, Int(keyCount) > maxEncryptedDataKeys {
            throw ESDKError(.tooManyEncryptedDataKeys, "message has \(keyCount) encrypted data keys; the limit is \(maxEncryptedDataKeys)")
        }
        var keys: [EncryptedDataKey] = []
        keys.reserveCapacity(Int(keyCount))
        for _ in 0..<keyCount {
            let providerIDBytes = try reader.readShortLengthPrefixed("key provider ID")
            guard let providerID = String(validating: providerIDBytes, as: UTF8.self) else {
                throw ESDKError.malformed("key provider ID is not valid UTF-8")
            }
            let providerInfo = try reader.readShortLengthPrefixed("key provider info")
            let ciphertext = try reader.readShortLengthPrefixed("encrypted data key")
            keys.append(EncryptedDataKey(providerID: providerID, providerInfo: providerInfo, ciphertext: ciphertext))
        }
        let contentTypeByte = try reader.readUInt8("content type")
        guard let contentType = ContentType(rawValue: contentTypeByte) else {
            throw ESDKError.malformed("unknown content type \(contentTypeByte)")
        }
        let frameLength: UInt32
        var commitmentKey: [UInt8] = []
        if version == 1 {
            let reserved = try reader.readUInt32("reserved field")
            guard reserved == 0 else { throw ESDKError.malformed("reserved header field is not zero") }
            let ivLength = try reader.readUInt8("IV length")
            guard Int(ivLength) == suite.ivLength else {
                throw ESDKError.malformed("IV length \(ivLength) does not match the algorithm suite")
            }
            frameLength = try reader.readUInt32("frame length")
        } else {
            frameLength = try reader.readUInt32("frame length")
            commitmentKey = try reader.readBytes(suite.suiteDataLength, "algorithm suite data")
        }
        switch contentType {
        case .nonFramed:
            guard frameLength == 0 else { throw ESDKError.malformed("non-framed message has a non-zero frame length") }
        case .framed:
            guard frameLength > 0, Int(frameLength) <= maximumFrameLength else {
                throw ESDKError(.invalidFrameLength, "frame length \(frameLength) is out of range")
            }
        }
        let bodyLength = reader.offset
        let headerIV = version == 1 ? try reader.readBytes(suite.ivLength, "header IV") : [UInt8](repeating: 0, count: suite.ivLength)
        let tag = try reader.readBytes(suite.tagLength, "header authentication tag")
        let header = MessageHeader(
            version: version, algorithmSuite: suite, messageID: messageID, encryptionContext: context,
            encryptedDataKeys: keys, contentType: contentType, frameLength: frameLength,
            commitmentKey: commitmentKey, headerIV: headerIV, headerAuthTag: tag)
        return Parsed(header: header, bodyLength: bodyLength, totalLength: reader.offset)
    }
}

/// Spots messages that were base64-encoded before being handed to decrypt.
enum Base64Detection {
    /// Base64 of a v1 header start (0x01 0x80) begins "AY"; of a v2 header (0x02 0x04/0x05 ...) "AgQ"/"AgU".
    static func message(for bytes: UnsafeRawBufferPointer) -> ESDKError? {
        guard bytes.count >= 2 else { return nil }
        let first = bytes[0], second = bytes[1]
        let looksV1 = first == UInt8(ascii: "A") && second == UInt8(ascii: "Y")
        let looksV2 = first == UInt8(ascii: "A") && second == UInt8(ascii: "g")
        guard looksV1 || looksV2 else { return nil }
        return ESDKError(.base64EncodedMessage, "the input looks base64-encoded; decode it to raw bytes before decrypting")
    }
}
