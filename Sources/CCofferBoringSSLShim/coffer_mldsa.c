// ML-DSA through BoringSSL's public ML-DSA interface (symbols prefixed CCryptoBoringSSL_, as swift-crypto
// vendors them). No cryptography is implemented here. BoringSSL's key structs are caller-allocated with
// layouts this file cannot see, so they live in zeroed heap blocks far larger than any of them (12 KiB to
// 24 KiB in the vendored version), and private keys are wiped before the block is freed.
#include "coffer_mldsa.h"

#include <stdlib.h>

enum { COFFER_MLDSA_KEY_STORAGE = 128 * 1024, COFFER_MLDSA_SEED = 32, COFFER_MLDSA_MU = 64 };

#define COFFER_MLDSA_DECLARE(N)                                                                                   \
    extern int CCryptoBoringSSL_MLDSA##N##_generate_key(uint8_t *out_public_key, uint8_t *out_seed, void *out_private); \
    extern int CCryptoBoringSSL_MLDSA##N##_private_key_from_seed(void *out_private, const uint8_t *seed, size_t len); \
    extern int CCryptoBoringSSL_MLDSA##N##_public_from_private(void *out_public, const void *private_key);         \
    extern int CCryptoBoringSSL_MLDSA##N##_sign(uint8_t *out_signature, const void *private_key, const uint8_t *msg, \
                                                size_t msg_len, const uint8_t *context, size_t context_len);      \
    extern int CCryptoBoringSSL_MLDSA##N##_verify(const void *public_key, const uint8_t *signature,                \
                                                  size_t signature_len, const uint8_t *msg, size_t msg_len,       \
                                                  const uint8_t *context, size_t context_len);                    \
    extern int CCryptoBoringSSL_MLDSA##N##_sign_message_representative(uint8_t *out_signature,                     \
                                                                       const void *private_key, const uint8_t *mu);

COFFER_MLDSA_DECLARE(44)
COFFER_MLDSA_DECLARE(65)
COFFER_MLDSA_DECLARE(87)
extern void CCryptoBoringSSL_OPENSSL_cleanse(void *ptr, size_t len);
extern void CCryptoBoringSSL_ERR_clear_error(void);

size_t coffer_mldsa_public_key_bytes(int level) {
    switch (level) {
    case 44: return 1312;
    case 65: return 1952;
    case 87: return 2592;
    default: return 0;
    }
}

size_t coffer_mldsa_signature_bytes(int level) {
    switch (level) {
    case 44: return 2420;
    case 65: return 3309;
    case 87: return 4627;
    default: return 0;
    }
}

static void *coffer_key_block(void) { return calloc(1, COFFER_MLDSA_KEY_STORAGE); }

static void coffer_free_private(void *block) {
    if (block == NULL) return;
    CCryptoBoringSSL_OPENSSL_cleanse(block, COFFER_MLDSA_KEY_STORAGE);
    free(block);
}

static int coffer_private_from_seed(int level, void *private_key, const uint8_t *seed) {
    switch (level) {
    case 44: return CCryptoBoringSSL_MLDSA44_private_key_from_seed(private_key, seed, COFFER_MLDSA_SEED);
    case 65: return CCryptoBoringSSL_MLDSA65_private_key_from_seed(private_key, seed, COFFER_MLDSA_SEED);
    case 87: return CCryptoBoringSSL_MLDSA87_private_key_from_seed(private_key, seed, COFFER_MLDSA_SEED);
    default: return 0;
    }
}

int coffer_mldsa_generate(int level, uint8_t *out_seed, uint8_t *out_public_key) {
    void *private_key = coffer_key_block();
    if (private_key == NULL) return 0;
    int ok = 0;
    switch (level) {
    case 44: ok = CCryptoBoringSSL_MLDSA44_generate_key(out_public_key, out_seed, private_key); break;
    case 65: ok = CCryptoBoringSSL_MLDSA65_generate_key(out_public_key, out_seed, private_key); break;
    case 87: ok = CCryptoBoringSSL_MLDSA87_generate_key(out_public_key, out_seed, private_key); break;
    default: break;
    }
    coffer_free_private(private_key);
    if (ok != 1) CCryptoBoringSSL_ERR_clear_error();
    return ok == 1;
}

int coffer_mldsa_sign(int level, const uint8_t *seed, const uint8_t *message, size_t message_len, uint8_t *out_signature) {
    void *private_key = coffer_key_block();
    if (private_key == NULL) return 0;
    int ok = coffer_private_from_seed(level, private_key, seed);
    if (ok == 1) {
        switch (level) {
        case 44: ok = CCryptoBoringSSL_MLDSA44_sign(out_signature, private_key, message, message_len, NULL, 0); break;
        case 65: ok = CCryptoBoringSSL_MLDSA65_sign(out_signature, private_key, message, message_len, NULL, 0); break;
        case 87: ok = CCryptoBoringSSL_MLDSA87_sign(out_signature, private_key, message, message_len, NULL, 0); break;
        default: ok = 0;
        }
    }
    coffer_free_private(private_key);
    if (ok != 1) CCryptoBoringSSL_ERR_clear_error();
    return ok == 1;
}

int coffer_mldsa_sign_mu(int level, const uint8_t *seed, const uint8_t *mu, uint8_t *out_signature) {
    void *private_key = coffer_key_block();
    if (private_key == NULL) return 0;
    int ok = coffer_private_from_seed(level, private_key, seed);
    if (ok == 1) {
        switch (level) {
        case 44: ok = CCryptoBoringSSL_MLDSA44_sign_message_representative(out_signature, private_key, mu); break;
        case 65: ok = CCryptoBoringSSL_MLDSA65_sign_message_representative(out_signature, private_key, mu); break;
        case 87: ok = CCryptoBoringSSL_MLDSA87_sign_message_representative(out_signature, private_key, mu); break;
        default: ok = 0;
        }
    }
    coffer_free_private(private_key);
    if (ok != 1) CCryptoBoringSSL_ERR_clear_error();
    return ok == 1;
}

int coffer_mldsa_verify(int level, const uint8_t *seed, const uint8_t *signature, size_t signature_len,
                        const uint8_t *message, size_t message_len) {
    void *private_key = coffer_key_block();
    void *public_key = coffer_key_block();
    int ok = private_key != NULL && public_key != NULL && coffer_private_from_seed(level, private_key, seed) == 1;
    if (ok) {
        switch (level) {
        case 44:
            ok = CCryptoBoringSSL_MLDSA44_public_from_private(public_key, private_key) == 1 &&
                 CCryptoBoringSSL_MLDSA44_verify(public_key, signature, signature_len, message, message_len, NULL, 0) == 1;
            break;
        case 65:
            ok = CCryptoBoringSSL_MLDSA65_public_from_private(public_key, private_key) == 1 &&
                 CCryptoBoringSSL_MLDSA65_verify(public_key, signature, signature_len, message, message_len, NULL, 0) == 1;
            break;
        case 87:
            ok = CCryptoBoringSSL_MLDSA87_public_from_private(public_key, private_key) == 1 &&
                 CCryptoBoringSSL_MLDSA87_verify(public_key, signature, signature_len, message, message_len, NULL, 0) == 1;
            break;
        default: ok = 0;
        }
    }
    coffer_free_private(private_key);
    free(public_key);
    if (!ok) CCryptoBoringSSL_ERR_clear_error();
    return ok;
}
