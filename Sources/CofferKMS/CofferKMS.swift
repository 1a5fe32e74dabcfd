// CofferKMS: the KMS key ring: keys and their versions, the key-state machine, aliases, tags, and
// the cryptographic operations (Encrypt, Decrypt, ReEncrypt, data keys), all over a ``KeyStore``.
//
// It knows nothing of HTTP or JSON; it must not import the wire or server modules. Key material is
// sealed under the root key before a store ever sees it.
