#ifndef COFFER_HMAC_H
#define COFFER_HMAC_H

#include <stddef.h>
#include <stdint.h>

/// HMAC-SHA-224 (RFC 4231) through the BoringSSL copy that swift-crypto links in: swift-crypto has no
/// SHA-224, and KMS keys of spec HMAC_224 need it. Writes 28 bytes to `out`; returns 1 on success.
int coffer_hmac_sha224(const uint8_t *key, size_t key_len, const uint8_t *data, size_t data_len, uint8_t *out);

#endif
