import Foundation

/// The segment file line format (see `AuditTrail` for the full description).
///
/// ```
/// #coffer-audit-segment<TAB>1<TAB><sequence><TAB><previous chain hex><TAB><opened ms>
/// <chain hex><TAB><eventID><TAB><eventTime ms><TAB><account><TAB><region><TAB><eventSource><TAB><eventName>
///     <TAB><readOnly 0|1><TAB><username><TAB><accessKeyID><TAB><resources><TAB><event JSON>
/// #end<TAB><closed ms><TAB><event count><TAB><last chain hex>
/// ```
/// Every line ends in LF. chain = SHA-256(previous chain's 32 bytes ‖ the line's bytes after the first TAB, LF excluded).
enum SegmentCodec {
    static let headerTag = Array("#coffer-audit-segment".utf8)
    static let trailerTag = Array("#end".utf8)
    static let version = 1
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    /// Meta fields between the chain and the JSON.
    static let metaFieldCount = 10
    /// `%-`: an absent optional field.
    static let absent: [UInt8] = [0x25, 0x2D]
    /// The largest event JSON the trail accepts.
    static let maxEventBytes = 1 << 20

    // MARK: Encoding

    static func header(sequence: UInt64, previous: ChainValue, openedMilliseconds: Int64) -> [UInt8] {
        Array("\(String(decoding: headerTag, as: UTF8.self))\t\(version)\t\(sequence)\t\(previous)\t\(openedMilliseconds)\n".utf8)
    }

    static func trailer(closedMilliseconds: Int64, eventCount: Int, last: ChainValue) -> [UInt8] {
        Array("\(String(decoding: trailerTag, as: UTF8.self))\t\(closedMilliseconds)\t\(eventCount)\t\(last)\n".utf8)
    }

    /// Milliseconds since 1970 for a record time, or nil if it is not representable.
    static func milliseconds(_ date: Date) -> Int64? {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite, abs(value) < 9.0e15 else { return nil }
        return Int64(value)
    }

    /// Appends one event line to `buffer` and advances `chain` to the event's chain value.
    /// `eventMilliseconds` is the record's validated time.
    static func appendEvent(_ record: AuditRecord, eventMilliseconds: Int64, chain: inout ChainValue, into buffer: inout [UInt8]) {
        let lineStart = buffer.count
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 64))
        buffer.append(tab)
        let payloadStart = buffer.count
        appendField(record.eventID, to: &buffer)
        buffer.append(tab)
        appendInteger(eventMilliseconds, to: &buffer)
        buffer.append(tab)
        appendField(record.recipientAccount, to: &buffer)
        buffer.append(tab)
        appendField(record.region, to: &buffer)
        buffer.append(tab)
        appendField(record.eventSource, to: &buffer)
        buffer.append(tab)
        appendField(record.eventName, to: &buffer)
        buffer.append(tab)
        buffer.append(record.readOnly ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        buffer.append(tab)
        appendOptional(record.username, to: &buffer)
        buffer.append(tab)
        appendOptional(record.accessKeyID, to: &buffer)
        buffer.append(tab)
        for (index, resource) in record.resources.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendField(resource.type, to: &buffer)
            buffer.append(UInt8(ascii: ";"))
            appendField(resource.name, to: &buffer)
        }
        buffer.append(tab)
        buffer.append(contentsOf: record.json)
        let payloadEnd = buffer.count
        buffer.append(newline)
        chain = buffer.withUnsafeBytes { chain.next(UnsafeRawBufferPointer(rebasing: $0[payloadStart..<payloadEnd])) }
        chain.writeHex(into: &buffer, at: lineStart)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0x25 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x2C || byte == 0x3B
    }

    /// Appends a field, percent-escaping `%`, TAB, LF, CR, `,` and `;`.
    private static func appendField(_ text: String, to buffer: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: needsEscape) else {
                buffer.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                if needsEscape(byte) {
                    buffer.append(0x25)
                    buffer.append(Hex.digits[Int(byte >> 4)])
                    buffer.append(Hex.digits[Int(byte & 0x0F)])
                } else {
                    buffer.append(byte)
                }
            }
        }
    }

    private static func appendOptional(_ text: String?, to buffer: inout [UInt8]) {
        if let text { appendField(text, to: &buffer) } else { buffer.append(contentsOf: absent) }
    }

    private static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        var magnitude = value.magnitude
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { storage in
            repeat {
                storage[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(storage[index]) }
        }
    }

    // MARK: Decoding

    /// A segment's first line.
    struct Header: Equatable {
        var sequence: UInt64
        var previous: ChainValue
        var openedMilliseconds: Int64
    }

    /// A segment's closing line.
    struct Trailer: Equatable {
        var closedMilliseconds: Int64
        var eventCount: Int
        var last: ChainValue
        /// The whole line including its LF.
        var line: Range<Int>
    }

    /// One event line, split.
    struct Event {
        /// The chain value stored on the line.
        var chain: ChainValue
        /// The bytes the chain covers (after the first TAB, LF excluded).
        var payload: Range<Int>
        /// The event JSON.
        var json: Range<Int>
        /// The whole line including its LF.
        var line: Range<Int>
        var eventID: String
        var eventMilliseconds: Int64
        var account: String
        var region: String
        var eventSource: String
        var eventName: String
        var readOnly: Bool
        var username: String?
        var accessKeyID: String?
        var resources: [AuditResource]

        func record(in bytes: [UInt8]) -> AuditRecord {
            AuditRecord(
                eventID: eventID,
                eventTime: Date(timeIntervalSince1970: TimeInterval(eventMilliseconds) / 1000),
                eventSource: eventSource,
                eventName: eventName,
                recipientAccount: account,
                region: region,
                username: username,
                accessKeyID: accessKeyID,
                readOnly: readOnly,
                resources: resources,
                json: Array(bytes[json])
            )
        }
    }

    /// A line of a segment file.
    enum Line {
        case header(Header)
        case event(Event)
        case trailer(Trailer)
        /// A complete line that does not parse.
        case malformed(Range<Int>)
        /// Bytes after the last LF.
        case partial(Range<Int>)
    }

    /// Splits a segment file into lines (no chain checking).
    static func lines(_ bytes: [UInt8]) -> [Line] {
        var result: [Line] = []
        var start = 0
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: newline) else {
                result.append(.partial(start..<bytes.count))
                break
            }
            result.append(parseLine(bytes, start..<end))
            start = end + 1
        }
        return result
    }

    /// Parses the line `bytes[content]` (its LF at `content.upperBound`).
    static func parseLine(_ bytes: [UInt8], _ content: Range<Int>) -> Line {
        let line = content.lowerBound..<(content.upperBound + 1)
        let text = bytes[content]
        if text.starts(with: headerTag) {
            let fields = text.split(separator: tab, omittingEmptySubsequences: false)
            guard fields.count == 5, fields[0].elementsEqual(headerTag), number(fields[1]) == Int64(version),
                let sequence = number(fields[2]), sequence >= 0, let previous = ChainValue(hex: fields[3]),
                let opened = number(fields[4])
            else { return .malformed(line) }
            return .header(Header(sequence: UInt64(sequence), previous: previous, openedMilliseconds: opened))
        }
        if text.starts(with: trailerTag) {
            let fields = text.split(separator: tab, omittingEmptySubsequences: false)
            guard fields.count == 4, fields[0].elementsEqual(trailerTag), let closed = number(fields[1]),
                let count = number(fields[2]), count >= 0, let last = ChainValue(hex: fields[3])
            else { return .malformed(line) }
            return .trailer(Trailer(closedMilliseconds: closed, eventCount: Int(count), last: last, line: line))
        }
        // Event: 64 hex, TAB, ten meta fields each followed by TAB, then the JSON (which may contain TABs).
        guard content.count > 65, bytes[content.lowerBound + 64] == tab,
            let chain = ChainValue(hex: bytes[content.lowerBound..<(content.lowerBound + 64)])
        else { return .malformed(line) }
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(metaFieldCount)
        var fieldStart = content.lowerBound + 65
        while fields.count < metaFieldCount {
            guard let tabIndex = bytes[fieldStart..<content.upperBound].firstIndex(of: tab) else { return .malformed(line) }
            fields.append(bytes[fieldStart..<tabIndex])
            fieldStart = tabIndex + 1
        }
        let json = fieldStart..<content.upperBound
        guard let eventID = unescape(fields[0]), let milliseconds = number(fields[1]), let account = unescape(fields[2]),
            let region = unescape(fields[3]), let source = unescape(fields[4]), let name = unescape(fields[5]),
            fields[6].count == 1, let readOnlyByte = fields[6].first, readOnlyByte == UInt8(ascii: "0") || readOnlyByte == UInt8(ascii: "1"),
            let username = optional(fields[7]), let accessKeyID = optional(fields[8]), let resources = resources(fields[9])
        else { return .malformed(line) }
        return .event(
            Event(
                chain: chain,
                payload: (content.lowerBound + 65)..<content.upperBound,
                json: json,
                line: line,
                eventID: eventID,
                eventMilliseconds: milliseconds,
                account: account,
                region: region,
                eventSource: source,
                eventName: name,
                readOnly: readOnlyByte == UInt8(ascii: "1"),
                username: username,
                accessKeyID: accessKeyID,
                resources: resources
            )
        )
    }

    private static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard field.count <= 20, !field.isEmpty else { return nil }
        return Int64(String(decoding: field, as: UTF8.self))
    }

    /// Reverses `appendField`; nil if an escape is malformed.
    private static func unescape(_ field: ArraySlice<UInt8>) -> String? {
        guard field.contains(0x25) else { return String(validating: field, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            let byte = field[index]
            if byte == 0x25 {
                guard index + 2 < field.endIndex,
                    let high = Hex.value(of: field[index + 1]), let low = Hex.value(of: field[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func optional(_ field: ArraySlice<UInt8>) -> String?? {
        if field.elementsEqual(absent) { return .some(nil) }
        guard let value = unescape(field) else { return nil }
        return .some(value)
    }

    private static func resources(_ field: ArraySlice<UInt8>) -> [AuditResource]? {
        guard !field.isEmpty else { return [] }
        var result: [AuditResource] = []
        for entry in field.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let parts = entry.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
            guard parts.count == 2, let type = unescape(parts[0]), let name = unescape(parts[1]) else { return nil }
            result.append(AuditResource(type: type, name: name))
        }
        return result
    }
}
