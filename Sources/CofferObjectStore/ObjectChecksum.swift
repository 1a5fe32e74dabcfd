/// An object's checksum as S3 reports it.
public struct ObjectChecksum: Sendable, Hashable {
    /// "CRC32", "CRC32C", "CRC64NVME", "SHA1" or "SHA256".
    public var algorithm: String
    /// Base64, as S3 returns it (a composite value ends in `-<part count>`).
    public var value: String
    /// "FULL_OBJECT" or "COMPOSITE".
    public var type: String

    public init(algorithm: String, value: String, type: String) {
        self.algorithm = algorithm
        self.value = value
        self.type = type
    }
}
