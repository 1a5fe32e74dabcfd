// HMAC-SHA-224 through BoringSSL's one-shot HMAC (symbols prefixed CCryptoBoringSSL_, as swift-crypto
// vendors them). No cryptography is implemented here.
#include "coffer_hmac.h"

typedef struct env_md_st EVP_MD;

extern const EVP_MD *CCryptoBoringSSL_EVP_sha224(void);
extern uint8_t *CCryptoBoringSSL_HMAC(const EVP_MD *evp_md, const void *key, size_t key_len, const uint8_t *data,
                                      size_t data_len, uint8_t *out, unsigned int *out_len);
extern void CCryptoBoringSSL_ERR_clear_error(void);

int coffer_hmac_sha224(const uint8_t *key, size_t key_len, const uint8_t *data, size_t data_len, uint8_t *out) {
    static const uint8_t empty = 0;
    unsigned int out_len = 0;
    uint8_t *result = CCryptoBoringSSL_HMAC(CCryptoBoringSSL_EVP_sha224(), key_len ? key : &empty, key_len,
                                            data_len ? data : &empty, data_len, out, &out_len);
    if (result == NULL) {
        CCryptoBoringSSL_ERR_clear_error();
        return 0;
    }
    return out_len == 28;
}
