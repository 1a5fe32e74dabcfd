// CofferCrypto: thin wrappers over swift-crypto and the byte formats built on them: the sealed-key
// format (secrets at rest under the root key) and the versioned KMS ciphertext blob.
//
// Pure functions over bytes; no storage, no HTTP.
