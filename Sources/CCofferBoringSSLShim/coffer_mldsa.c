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

/// The BoringSSL functions of one ML-DSA level.
struct coffer_mldsa_level {
    int (*generate_key)(uint8_t *, uint8_t *, void *);
    int (*private_key_from_seed)(void *, const uint8_t *, size_t);
    int (*public_from_private)(void *, const void *);
    int (*sign)(uint8_t *, const void *, const uint8_t *, size_t, const uint8_t *, size_t);
    int (*verify)(const void *, const uint8_t *, size_t, const uint8_t *, size_t, const uint8_t *, size_t);
    int (*sign_mu)(uint8_t *, const void *, const uint8_t *);
};

#define COFFER_MLDSA_LEVEL(N)                                                                                     \
    {CCryptoBoringSSL_MLDSA##N##_generate_key, CCryptoBoringSSL_MLDSA##N##_private_key_from_seed,                 \
     CCryptoBoringSSL_MLDSA##N##_public_from_private, CCryptoBoringSSL_MLDSA##N##_sign,                           \
     CCryptoBoringSSL_MLDSA##N##_verify, CCryptoBoringSSL_MLDSA##N##_sign_message_representative}

static const struct coffer_mldsa_level coffer_mldsa44 = COFFER_MLDSA_LEVEL(44);
static const struct coffer_mldsa_level coffer_mldsa65 = COFFER_MLDSA_LEVEL(65);
static const struct coffer_mldsa_level coffer_mldsa87 = COFFER_MLDSA_LEVEL(87);

static const struct coffer_mldsa_level *coffer_level(int level) {
    switch (level) {
    case 44: return &coffer_mldsa44;
    case 65: return &coffer_mldsa65;
    case 87: return &coffer_mldsa87;
    default: return NULL;
    }
}

static void *coffer_key_block(void) { return calloc(1, COFFER_MLDSA_KEY_STORAGE); }

static void coffer_free_private(void *block) {
    if (block == NULL) return;
    CCryptoBoringSSL_OPENSSL_cleanse(block, COFFER_MLDSA_KEY_STORAGE);
    free(block);
}

static int coffer_finish(int ok) {
    if (ok != 1) CCryptoBoringSSL_ERR_clear_error();
    return ok == 1;
}

int coffer_mldsa_generate(int level, uint8_t *out_seed, uint8_t *out_public_key) {
    const struct coffer_mldsa_level *functions = coffer_level(level);
    void *private_key = functions ? coffer_key_block() : NULL;
    if (private_key == NULL) return 0;
    int ok = functions->generate_key(out_public_key, out_seed, private_key);
    coffer_free_private(private_key);
    return coffer_finish(ok);
}

int coffer_mldsa_sign(int level, const uint8_t *seed, const uint8_t *message, size_t message_len, uint8_t *out_signature) {
    const struct coffer_mldsa_level *functions = coffer_level(level);
    void *private_key = functions ? coffer_key_block() : NULL;
    if (private_key == NULL) return 0;
    int ok = functions->private_key_from_seed(private_key, seed, COFFER_MLDSA_SEED) == 1 &&
             functions->sign(out_signature, private_key, message, message_len, NULL, 0) == 1;
    coffer_free_private(private_key);
    return coffer_finish(ok);
}

int coffer_mldsa_sign_mu(int level, const uint8_t *seed, const uint8_t *mu, uint8_t *out_signature) {
    const struct coffer_mldsa_level *functions = coffer_level(level);
    void *private_key = functions ? coffer_key_block() : NULL;
    if (private_key == NULL) return 0;
    int ok = functions->private_key_from_seed(private_key, seed, COFFER_MLDSA_SEED) == 1 &&
             functions->sign_mu(out_signature, private_key, mu) == 1;
    coffer_free_private(private_key);
    return coffer_finish(ok);
}

int coffer_mldsa_verify(int level, const uint8_t *seed, const uint8_t *signature, size_t signature_len,
                        const uint8_t *message, size_t message_len) {
    const struct coffer_mldsa_level *functions = coffer_level(level);
    if (functions == NULL) return 0;
    void *private_key = coffer_key_block();
    void *public_key = coffer_key_block();
    int ok = private_key != NULL && public_key != NULL &&
             functions->private_key_from_seed(private_key, seed, COFFER_MLDSA_SEED) == 1 &&
             functions->public_from_private(public_key, private_key) == 1 &&
             functions->verify(public_key, signature, signature_len, message, message_len, NULL, 0) == 1;
    coffer_free_private(private_key);
    free(public_key);
    return coffer_finish(ok);
}
