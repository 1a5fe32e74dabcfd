import Crypto

/// One 32-byte link of the trail's hash chain, stored inline so the append path does not allocate for it.
struct ChainValue: Hashable, Sendable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The chain value before the trail's first event: 32 zero bytes.
    static let genesis = ChainValue(words: (0, 0, 0, 0))

    private init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// The value of a finished SHA-256.
    init(_ digest: SHA256Digest) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &words) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source.prefix(32)))
            }
        }
        self.words = words
    }

    /// Parses 64 hex characters.
    init?(hex: some Collection<UInt8>) {
        guard hex.count == 64, let bytes = Hex.decode(hex) else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { target in
            bytes.withUnsafeBytes { target.copyMemory(from: $0) }
        }
        self.words = words
    }

    /// Parses 64 hex characters.
    init?(hex: String) {
        self.init(hex: Array(hex.utf8))
    }

    /// The next link: SHA-256 of this value's 32 bytes followed by `payload`.
    func next(_ payload: UnsafeRawBufferPointer) -> ChainValue {
        var hasher = SHA256()
        withUnsafeBytes(of: words) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: payload)
        return ChainValue(hasher.finalize())
    }

    /// The next link over the bytes of `payload`.
    func next(_ payload: ArraySlice<UInt8>) -> ChainValue {
        payload.withUnsafeBytes { next($0) }
    }

    /// Writes the 64 lowercase hex characters into `buffer[offset..<offset+64]`.
    func writeHex(into buffer: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: words) { bytes in
            for (index, byte) in bytes.enumerated() {
                buffer[offset + 2 * index] = Hex.digits[Int(byte >> 4)]
                buffer[offset + 2 * index + 1] = Hex.digits[Int(byte & 0x0F)]
            }
        }
    }

    /// The 32 bytes.
    var bytes: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }

    /// 64 lowercase hex characters.
    var description: String { Hex.encode(bytes) }

    static func == (lhs: ChainValue, rhs: ChainValue) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
