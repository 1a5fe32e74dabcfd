/// CofferCore: identifiers (accounts, regions, ARNs, key ids), the encryption context and its
/// canonical byte form, and injectable clock and randomness.
///
/// This module has no dependencies and must not import crypto, storage or HTTP code.
public enum CofferCore {
    /// The version string reported by `coffer version` and the `Server` header.
    public static let version = "0.1.0"
}
