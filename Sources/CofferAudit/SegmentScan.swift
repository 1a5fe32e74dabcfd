#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The delivery-time view of a closed segment: for each event only its routing, JSON and time, found without
/// decoding the other fields (delivery runs at the append rate, so it avoids per-field allocation).
struct SegmentScan {
    struct Event {
        /// Offset of the line (its chain hex is the first 64 bytes).
        var line: Int
        /// `<account>\t<region>` on the line.
        var route: Range<Int>
        var account: Range<Int>
        var region: Range<Int>
        var json: Range<Int>
        var milliseconds: Int64
    }

    var header: SegmentCodec.Header
    var trailer: SegmentCodec.Trailer?
    var events: [Event]

    /// Scans a segment; nil if any line is damaged or an event's account or region is not valid.
    init?(_ bytes: [UInt8]) {
        var header: SegmentCodec.Header?
        var trailer: SegmentCodec.Trailer?
        var events: [Event] = []
        let ok = bytes.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            var start = 0
            while start < buffer.count {
                guard let found = memchr(base + start, Int32(SegmentCodec.newline), buffer.count - start) else { return false }
                let end = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                if buffer[start] == UInt8(ascii: "#") {
                    switch SegmentCodec.parseLine(bytes, start..<end) {
                    case .header(let parsed) where header == nil && start == 0: header = parsed
                    case .trailer(let parsed) where trailer == nil: trailer = parsed
                    default: return false
                    }
                } else {
                    guard header != nil, trailer == nil, let event = Self.event(buffer, base, start, end) else { return false }
                    events.append(event)
                }
                start = end + 1
            }
            return true
        }
        guard ok, let header else { return nil }
        self.header = header
        self.trailer = trailer
        self.events = events
    }

    private static func event(_ buffer: UnsafeBufferPointer<UInt8>, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Event? {
        guard end - start > 65, buffer[start + 64] == SegmentCodec.tab else { return nil }
        var fieldStart = start + 65
        // The TABs ending meta fields 0 (eventID), 1 (time), 2 (account) and 3 (region); fields 4...9 are skipped.
        var ends: (Int, Int, Int, Int) = (0, 0, 0, 0)
        for field in 0..<SegmentCodec.metaFieldCount {
            guard fieldStart < end, let found = memchr(base + fieldStart, Int32(SegmentCodec.tab), end - fieldStart) else { return nil }
            let tab = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            switch field {
            case 0: ends.0 = tab
            case 1: ends.1 = tab
            case 2: ends.2 = tab
            case 3: ends.3 = tab
            default: break
            }
            fieldStart = tab + 1
        }
        let account = (ends.1 + 1)..<ends.2
        let region = (ends.2 + 1)..<ends.3
        guard account.count == 12, buffer[account].allSatisfy({ (0x30...0x39).contains($0) }), (1...32).contains(region.count),
            buffer[region].allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D })
        else { return nil }
        var milliseconds: Int64 = 0
        var negative = false
        let time = (ends.0 + 1)..<ends.1
        guard !time.isEmpty, time.count <= 19 else { return nil }
        for index in time {
            let byte = buffer[index]
            if index == time.lowerBound, byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard (0x30...0x39).contains(byte) else { return nil }
            milliseconds = milliseconds * 10 + Int64(byte - 0x30)
        }
        return Event(
            line: start, route: account.lowerBound..<region.upperBound, account: account, region: region,
            json: fieldStart..<end, milliseconds: negative ? -milliseconds : milliseconds)
    }
}
