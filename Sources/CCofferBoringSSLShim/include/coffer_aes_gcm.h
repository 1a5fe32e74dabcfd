#ifndef COFFER_AES_GCM_H
#define COFFER_AES_GCM_H

#include <stddef.h>
#include <stdint.h>

/// AES-GCM (12-byte IV, 16-byte tag) through the BoringSSL copy that swift-crypto links in, writing into
/// the caller's buffer: swift-crypto's AES.GCM returns every result in a new buffer, which for the
/// Encryption SDK's frames costs an allocation and a copy per frame.
/// A context holds one expanded key (16, 24 or 32 bytes); NULL for any other length or on allocation
/// failure. Seal and open may run concurrently on one context. `out` may equal `in`.
void *coffer_aes_gcm_new(const uint8_t *key, size_t key_len);
void coffer_aes_gcm_free(void *context);
/// Encrypts `in_len` bytes of `in` into `out` and writes the 16-byte tag to `tag`. Returns 1 on success.
int coffer_aes_gcm_seal(const void *context, const uint8_t *iv, const uint8_t *aad, size_t aad_len,
                        const uint8_t *in, size_t in_len, uint8_t *out, uint8_t *tag);
/// Decrypts and authenticates; returns 1 on success, 0 if the tag does not match (then `out` is zeroed).
int coffer_aes_gcm_open(const void *context, const uint8_t *iv, const uint8_t *aad, size_t aad_len,
                        const uint8_t *in, size_t in_len, const uint8_t *tag, uint8_t *out);

#endif
