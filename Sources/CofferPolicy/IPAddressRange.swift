/// An IPv4 or IPv6 network in CIDR notation, as used by the `IpAddress` and `NotIpAddress` condition operators.
/// A bare address is a one-address network (/32 or /128). Host bits below the prefix are ignored.
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    public let isIPv6: Bool
    /// The network address with host bits cleared (IPv4 uses the low 32 bits).
    let network: UInt128
    public let prefixLength: Int

    /// Parses `10.0.0.0/8`, `203.0.113.7`, `2001:db8::/32` or `::1`; nil if malformed.
    public init?(_ text: String) {
        let address: Substring
        let prefix: Int?
        if let slash = text.firstIndex(of: "/") {
            address = text[..<slash]
            let digits = text[text.index(after: slash)...]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits) else {
                return nil
            }
            prefix = value
        } else {
            address = text[...]
            prefix = nil
        }
        guard let parsed = IPAddressRange.parseAddress(address) else { return nil }
        let width = parsed.isIPv6 ? 128 : 32
        let length = prefix ?? width
        guard length <= width else { return nil }
        isIPv6 = parsed.isIPv6
        prefixLength = length
        network = parsed.value & IPAddressRange.mask(prefix: length, width: width)
    }

    /// Whether `address` (a bare IPv4 or IPv6 address) lies in this network. An IPv4-mapped IPv6 address
    /// (`::ffff:192.0.2.1`) is compared as the IPv4 address it carries.
    public func contains(_ address: String) -> Bool {
        guard !address.contains("/"), var parsed = IPAddressRange.parseAddress(address[...]) else { return false }
        if parsed.isIPv6, !isIPv6, parsed.value >> 32 == 0xFFFF {
            parsed = (false, parsed.value & 0xFFFF_FFFF)
        }
        guard parsed.isIPv6 == isIPv6 else { return false }
        let mask = IPAddressRange.mask(prefix: prefixLength, width: isIPv6 ? 128 : 32)
        return parsed.value & mask == network
    }

    public var description: String {
        if isIPv6 {
            let groups = (0..<8).map { String(UInt16(truncatingIfNeeded: network >> (112 - 16 * $0)), radix: 16) }
            return groups.joined(separator: ":") + "/\(prefixLength)"
        }
        let octets = (0..<4).map { String(UInt8(truncatingIfNeeded: network >> (24 - 8 * $0))) }
        return octets.joined(separator: ".") + "/\(prefixLength)"
    }

    private static func mask(prefix: Int, width: Int) -> UInt128 {
        guard prefix > 0 else { return 0 }
        let all: UInt128 = width == 128 ? .max : 0xFFFF_FFFF
        return all & ~((1 << UInt128(width - prefix)) &- 1)
    }

    static func parseAddress(_ text: Substring) -> (isIPv6: Bool, value: UInt128)? {
        if text.contains(":") {
            return parseIPv6(text).map { (true, $0) }
        }
        return parseIPv4(text).map { (false, UInt128($0)) }
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let octet = UInt32(part), octet <= 255 else {
                return nil
            }
            value = value << 8 | octet
        }
        return value
    }

    private static func parseIPv6(_ text: Substring) -> UInt128? {
        let halves = text.splitting(onLiteral: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            var result: [UInt16] = []
            for (offset, piece) in pieces.enumerated() {
                if allowIPv4Tail, offset == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    result += [UInt16(v4 >> 16), UInt16(truncatingIfNeeded: v4)]
                    continue
                }
                guard (1...4).contains(piece.count), piece.allSatisfy(\.isHexDigit), let group = UInt16(piece, radix: 16) else {
                    return nil
                }
                result.append(group)
            }
            return result
        }
        let all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowIPv4Tail: false), let tail = groups(halves[1], allowIPv4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0], allowIPv4Tail: true), only.count == 8 else { return nil }
            all = only
        }
        return all.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }
}

extension Substring {
    /// Splits on every occurrence of `separator` (kept out of Foundation's `components(separatedBy:)` namespace).
    func splitting(onLiteral separator: String) -> [Substring] {
        var result: [Substring] = []
        var rest = self
        while let range = rest.firstRange(of: separator) {
            result.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        result.append(rest)
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
