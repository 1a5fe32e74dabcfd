#ifndef COFFER_RSA_OAEP_H
#define COFFER_RSA_OAEP_H

#include <stddef.h>
#include <stdint.h>

/// RSA-OAEP with MGF1, through the BoringSSL copy that swift-crypto links in.
/// hash_bits is 384 or 512. Keys are PKCS#1 DER. Returns 1 on success, 0 on failure.
int coffer_rsa_oaep_encrypt(const uint8_t *public_key_der, size_t public_key_len, int hash_bits,
                            const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len);
int coffer_rsa_oaep_decrypt(const uint8_t *private_key_der, size_t private_key_len, int hash_bits,
                            const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len);

#endif
