// AES-GCM into caller buffers through BoringSSL's EVP_AEAD interface (symbols prefixed CCryptoBoringSSL_,
// as swift-crypto vendors them). No cryptography is implemented here.
#include "coffer_aes_gcm.h"

typedef struct evp_aead_st EVP_AEAD;
typedef struct evp_aead_ctx_st EVP_AEAD_CTX;

extern const EVP_AEAD *CCryptoBoringSSL_EVP_aead_aes_128_gcm(void);
extern const EVP_AEAD *CCryptoBoringSSL_EVP_aead_aes_192_gcm(void);
extern const EVP_AEAD *CCryptoBoringSSL_EVP_aead_aes_256_gcm(void);
extern EVP_AEAD_CTX *CCryptoBoringSSL_EVP_AEAD_CTX_new(const EVP_AEAD *aead, const uint8_t *key, size_t key_len, size_t tag_len);
extern void CCryptoBoringSSL_EVP_AEAD_CTX_free(EVP_AEAD_CTX *ctx);
extern int CCryptoBoringSSL_EVP_AEAD_CTX_seal_scatter(
    const EVP_AEAD_CTX *ctx, uint8_t *out, uint8_t *out_tag, size_t *out_tag_len, size_t max_out_tag_len,
    const uint8_t *nonce, size_t nonce_len, const uint8_t *in, size_t in_len, const uint8_t *extra_in,
    size_t extra_in_len, const uint8_t *ad, size_t ad_len);
extern int CCryptoBoringSSL_EVP_AEAD_CTX_open_gather(
    const EVP_AEAD_CTX *ctx, uint8_t *out, const uint8_t *nonce, size_t nonce_len, const uint8_t *in,
    size_t in_len, const uint8_t *in_tag, size_t in_tag_len, const uint8_t *ad, size_t ad_len);
extern void CCryptoBoringSSL_ERR_clear_error(void);

enum { COFFER_GCM_IV = 12, COFFER_GCM_TAG = 16 };

void *coffer_aes_gcm_new(const uint8_t *key, size_t key_len) {
    const EVP_AEAD *aead;
    switch (key_len) {
    case 16: aead = CCryptoBoringSSL_EVP_aead_aes_128_gcm(); break;
    case 24: aead = CCryptoBoringSSL_EVP_aead_aes_192_gcm(); break;
    case 32: aead = CCryptoBoringSSL_EVP_aead_aes_256_gcm(); break;
    default: return NULL;
    }
    EVP_AEAD_CTX *context = CCryptoBoringSSL_EVP_AEAD_CTX_new(aead, key, key_len, COFFER_GCM_TAG);
    if (context == NULL) CCryptoBoringSSL_ERR_clear_error();
    return context;
}

void coffer_aes_gcm_free(void *context) {
    if (context != NULL) CCryptoBoringSSL_EVP_AEAD_CTX_free((EVP_AEAD_CTX *)context);
}

int coffer_aes_gcm_seal(const void *context, const uint8_t *iv, const uint8_t *aad, size_t aad_len,
                        const uint8_t *in, size_t in_len, uint8_t *out, uint8_t *tag) {
    size_t tag_len = 0;
    int ok = CCryptoBoringSSL_EVP_AEAD_CTX_seal_scatter((const EVP_AEAD_CTX *)context, out, tag, &tag_len, COFFER_GCM_TAG,
                                                        iv, COFFER_GCM_IV, in, in_len, NULL, 0, aad, aad_len);
    if (!ok) CCryptoBoringSSL_ERR_clear_error();
    return ok == 1 && tag_len == COFFER_GCM_TAG;
}

int coffer_aes_gcm_open(const void *context, const uint8_t *iv, const uint8_t *aad, size_t aad_len,
                        const uint8_t *in, size_t in_len, const uint8_t *tag, uint8_t *out) {
    int ok = CCryptoBoringSSL_EVP_AEAD_CTX_open_gather((const EVP_AEAD_CTX *)context, out, iv, COFFER_GCM_IV, in, in_len,
                                                       tag, COFFER_GCM_TAG, aad, aad_len);
    if (!ok) CCryptoBoringSSL_ERR_clear_error();
    return ok == 1;
}
