// CofferCore: identifiers (accounts, regions, ARNs, key ids), the encryption context and its
// canonical byte form, and injectable clock and randomness.
//
// This module has no dependencies and must not import crypto, storage or HTTP code.
/// The release this build reports in `coffer version` and the start-up banner.
public enum CofferVersion {
    public static let current = "0.1.0"
}
