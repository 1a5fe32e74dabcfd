#ifndef COFFER_MLDSA_H
#define COFFER_MLDSA_H

#include <stddef.h>
#include <stdint.h>

/// ML-DSA (FIPS 204) through the BoringSSL copy that swift-crypto links in, for what swift-crypto's Swift API
/// lacks: ML-DSA-44, and signing a caller's 64-byte message representative µ (KMS MessageType EXTERNAL_MU).
/// `level` is 44, 65 or 87. Keys are given as their 32-byte seed. Signatures are pure ML-DSA with an empty
/// context (what KMS's ML_DSA_SHAKE_256 signs). Functions return 1 on success and 0 on failure.

/// Encoded public key and signature sizes (FIPS 204); 0 for an unknown level.
size_t coffer_mldsa_public_key_bytes(int level);
size_t coffer_mldsa_signature_bytes(int level);

/// A fresh key: its seed (32 bytes) and encoded public key.
int coffer_mldsa_generate(int level, uint8_t *out_seed, uint8_t *out_public_key);
/// Signs `message` (randomized signing).
int coffer_mldsa_sign(int level, const uint8_t *seed, const uint8_t *message, size_t message_len, uint8_t *out_signature);
/// Signs a message representative µ (64 bytes).
int coffer_mldsa_sign_mu(int level, const uint8_t *seed, const uint8_t *mu, uint8_t *out_signature);
/// Verifies a signature of `message` under the key with this seed.
int coffer_mldsa_verify(int level, const uint8_t *seed, const uint8_t *signature, size_t signature_len,
                        const uint8_t *message, size_t message_len);

#endif
