import Synchronization

/// Request ids in UUID form, unique per process: a random 64-bit prefix chosen at start-up and
/// a counter. Cheaper than a random UUID per request, which would read the system's random source
/// on every call.
final class RequestIDGenerator: Sendable {
    private let prefix: UInt64
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        prefix = generator.next()
    }

    func next() -> String {
        let value = counter.add(1, ordering: .relaxed).newValue
        var out = [UInt8]()
        out.reserveCapacity(36)
        Self.appendHex(prefix >> 32, digits: 8, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(prefix >> 16, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(prefix, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(value >> 48, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.appendHex(value, digits: 12, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendHex(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0x0f
            out.append(nibble < 10 ? 0x30 + nibble : 0x57 + nibble)
        }
    }
}
