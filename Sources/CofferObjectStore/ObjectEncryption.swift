/// How an object's data key is kept; the key itself is never stored in the clear.
public enum ObjectEncryption: Sendable, Hashable {
    /// SSE-S3: the data key sealed under the service's own key.
    case s3(sealedDataKey: [UInt8])
    /// SSE-KMS: the data key as the KMS ciphertext blob of `keyARN`, under `context`.
    case kms(keyARN: String, ciphertextBlob: [UInt8], context: [String: String], bucketKey: Bool)
    /// SSE-C: nothing of the key is stored but a salted MAC to recognise it.
    case customer(keyMAC: [UInt8], salt: [UInt8])
}
