import Crypto

/// The message body AAD (spec: data-format/message-body-aad), kept in one reusable buffer.
struct BodyAAD {
    enum Content {
        case frame, finalFrame, singleBlock

        var label: [UInt8] {
            switch self {
            case .frame: return Array("AWSKMSEncryptionClient Frame".utf8)
            case .finalFrame: return Array("AWSKMSEncryptionClient Final Frame".utf8)
            case .singleBlock: return Array("AWSKMSEncryptionClient Single Block".utf8)
            }
        }
    }

    private let messageID: [UInt8]
    private var buffers: [[UInt8]]

    init(messageID: [UInt8]) {
        self.messageID = messageID
        let contents: [Content] = [.frame, .finalFrame, .singleBlock]
        buffers = contents.map { messageID + $0.label + [UInt8](repeating: 0, count: 12) }
    }

    /// Calls `body` with the AAD for a frame; the buffer is reused between frames.
    mutating func withAAD<R>(_ content: Content, sequenceNumber: UInt32, length: UInt64, _ body: ([UInt8]) throws -> R) rethrows -> R {
        let index: Int
        switch content {
        case .frame: index = 0
        case .finalFrame: index = 1
        case .singleBlock: index = 2
        }
        let end = buffers[index].count
        buffers[index].withUnsafeMutableBufferPointer { buffer in
            var value = UInt64(sequenceNumber)
            for position in stride(from: end - 9, through: end - 12, by: -1) {
                buffer[position] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
            value = length
            for position in stride(from: end - 1, through: end - 8, by: -1) {
                buffer[position] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
        }
        return try body(buffers[index])
    }
}

/// IV of frame `sequenceNumber`: zeros then the big-endian sequence number.
func frameIV(_ sequenceNumber: UInt32) -> [UInt8] {
    [0, 0, 0, 0, 0, 0, 0, 0,
     UInt8(truncatingIfNeeded: sequenceNumber >> 24), UInt8(truncatingIfNeeded: sequenceNumber >> 16),
     UInt8(truncatingIfNeeded: sequenceNumber >> 8), UInt8(truncatingIfNeeded: sequenceNumber)]
}

/// The AAD of the header authentication tag: header body, then the serialized context that is
/// authenticated but not stored.
func headerAuthenticationAAD(headerBody: [UInt8], encryptionContext: EncryptionContext, requiredKeys: Set<String>) throws(ESDKError) -> [UInt8] {
    guard !requiredKeys.isEmpty else { return headerBody }
    let onlyAuthenticated = encryptionContext.filter { requiredKeys.contains($0.key) }
    return headerBody + (try EncryptionContextCodec.serialize(onlyAuthenticated))
}
