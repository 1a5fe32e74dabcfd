import CCofferSystem
import Crypto
import Synchronization

/// Cryptographically secure random bytes from the kernel's CSPRNG, read in 4 KiB batches.
///
/// swift-crypto on Linux draws randomness through `SystemRandomNumberGenerator`, which makes one
/// getrandom(2) system call per 8 bytes: seven calls for one data key and one nonce. This pool asks
/// the kernel once per 4 KiB and hands every byte out exactly once, zeroing it as it leaves, so the
/// output is the kernel's, just fetched in fewer calls. It is not a generator of its own.
public enum SecureRandom {
    static let poolSize = 4096

    private struct Pool {
        var bytes = [UInt8](repeating: 0, count: SecureRandom.poolSize)
        var offset = SecureRandom.poolSize
    }

    private static let pool = Mutex(Pool())

    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        guard count <= poolSize / 4 else {
            fill(&out)
            return out
        }
        pool.withLock { pool in
            if poolSize - pool.offset < count {
                fill(&pool.bytes)
                pool.offset = 0
            }
            let start = pool.offset
            pool.bytes.withUnsafeMutableBufferPointer { source in
                out.withUnsafeMutableBufferPointer { destination in
                    for index in 0..<count {
                        destination[index] = source[start + index]
                        source[start + index] = 0
                    }
                }
            }
            pool.offset += count
        }
        return out
    }

    /// A random 96-bit AES-GCM nonce.
    public static func nonce() throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: bytes(12))
    }

    /// A random symmetric key of `byteCount` bytes.
    public static func symmetricKey(byteCount: Int) -> SymmetricKey {
        SymmetricKey(data: bytes(byteCount))
    }

    private static func fill(_ buffer: inout [UInt8]) {
        let status = buffer.withUnsafeMutableBytes { coffer_fill_random($0.baseAddress, $0.count) }
        guard status != 0 else { return }
        // The kernel refused (it practically never does): fall back to the standard library's
        // generator, which itself stops the process rather than return weak randomness.
        var generator = SystemRandomNumberGenerator()
        for index in buffer.indices { buffer[index] = generator.next() }
    }
}
