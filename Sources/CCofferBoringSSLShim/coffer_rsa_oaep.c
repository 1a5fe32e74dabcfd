// Calls into the BoringSSL that swift-crypto vendors and links (its symbols carry the
// CCryptoBoringSSL_ prefix). swift-crypto 4.5.2 exposes OAEP only with SHA-1 and SHA-256;
// this file adds SHA-384 and SHA-512 without implementing any RSA itself.
#include "coffer_rsa_oaep.h"

typedef struct rsa_st RSA;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_pkey_ctx_st EVP_PKEY_CTX;
typedef struct env_md_st EVP_MD;
typedef struct engine_st ENGINE;

extern RSA *CCryptoBoringSSL_RSA_public_key_from_bytes(const uint8_t *in, size_t in_len);
extern RSA *CCryptoBoringSSL_RSA_private_key_from_bytes(const uint8_t *in, size_t in_len);
extern void CCryptoBoringSSL_RSA_free(RSA *rsa);
extern EVP_PKEY *CCryptoBoringSSL_EVP_PKEY_new(void);
extern int CCryptoBoringSSL_EVP_PKEY_assign_RSA(EVP_PKEY *pkey, RSA *key);
extern void CCryptoBoringSSL_EVP_PKEY_free(EVP_PKEY *pkey);
extern EVP_PKEY_CTX *CCryptoBoringSSL_EVP_PKEY_CTX_new(EVP_PKEY *pkey, ENGINE *e);
extern void CCryptoBoringSSL_EVP_PKEY_CTX_free(EVP_PKEY_CTX *ctx);
extern int CCryptoBoringSSL_EVP_PKEY_encrypt_init(EVP_PKEY_CTX *ctx);
extern int CCryptoBoringSSL_EVP_PKEY_decrypt_init(EVP_PKEY_CTX *ctx);
extern int CCryptoBoringSSL_EVP_PKEY_encrypt(EVP_PKEY_CTX *ctx, uint8_t *out, size_t *out_len, const uint8_t *in, size_t in_len);
extern int CCryptoBoringSSL_EVP_PKEY_decrypt(EVP_PKEY_CTX *ctx, uint8_t *out, size_t *out_len, const uint8_t *in, size_t in_len);
extern int CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *ctx, int padding);
extern int CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_oaep_md(EVP_PKEY_CTX *ctx, const EVP_MD *md);
extern int CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_mgf1_md(EVP_PKEY_CTX *ctx, const EVP_MD *md);
extern const EVP_MD *CCryptoBoringSSL_EVP_sha384(void);
extern const EVP_MD *CCryptoBoringSSL_EVP_sha512(void);
extern void CCryptoBoringSSL_ERR_clear_error(void);

#define COFFER_RSA_PKCS1_OAEP_PADDING 4

static EVP_PKEY_CTX *coffer_context(RSA *rsa, int hash_bits, int encrypt) {
    if (rsa == NULL) return NULL;
    const EVP_MD *md = hash_bits == 384 ? CCryptoBoringSSL_EVP_sha384() : hash_bits == 512 ? CCryptoBoringSSL_EVP_sha512() : NULL;
    if (md == NULL) { CCryptoBoringSSL_RSA_free(rsa); return NULL; }
    EVP_PKEY *pkey = CCryptoBoringSSL_EVP_PKEY_new();
    if (pkey == NULL) { CCryptoBoringSSL_RSA_free(rsa); return NULL; }
    if (!CCryptoBoringSSL_EVP_PKEY_assign_RSA(pkey, rsa)) {
        CCryptoBoringSSL_RSA_free(rsa);
        CCryptoBoringSSL_EVP_PKEY_free(pkey);
        return NULL;
    }
    EVP_PKEY_CTX *ctx = CCryptoBoringSSL_EVP_PKEY_CTX_new(pkey, NULL);
    CCryptoBoringSSL_EVP_PKEY_free(pkey);  // the context holds its own reference
    if (ctx == NULL) return NULL;
    int ok = (encrypt ? CCryptoBoringSSL_EVP_PKEY_encrypt_init(ctx) : CCryptoBoringSSL_EVP_PKEY_decrypt_init(ctx))
        && CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_padding(ctx, COFFER_RSA_PKCS1_OAEP_PADDING)
        && CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md)
        && CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md);
    if (!ok) { CCryptoBoringSSL_EVP_PKEY_CTX_free(ctx); return NULL; }
    return ctx;
}

int coffer_rsa_oaep_encrypt(const uint8_t *public_key_der, size_t public_key_len, int hash_bits,
                            const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len) {
    EVP_PKEY_CTX *ctx = coffer_context(CCryptoBoringSSL_RSA_public_key_from_bytes(public_key_der, public_key_len), hash_bits, 1);
    if (ctx == NULL) { CCryptoBoringSSL_ERR_clear_error(); return 0; }
    int ok = CCryptoBoringSSL_EVP_PKEY_encrypt(ctx, out, out_len, in, in_len);
    CCryptoBoringSSL_EVP_PKEY_CTX_free(ctx);
    CCryptoBoringSSL_ERR_clear_error();
    return ok == 1;
}

int coffer_rsa_oaep_decrypt(const uint8_t *private_key_der, size_t private_key_len, int hash_bits,
                            const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len) {
    EVP_PKEY_CTX *ctx = coffer_context(CCryptoBoringSSL_RSA_private_key_from_bytes(private_key_der, private_key_len), hash_bits, 0);
    if (ctx == NULL) { CCryptoBoringSSL_ERR_clear_error(); return 0; }
    int ok = CCryptoBoringSSL_EVP_PKEY_decrypt(ctx, out, out_len, in, in_len);
    CCryptoBoringSSL_EVP_PKEY_CTX_free(ctx);
    CCryptoBoringSSL_ERR_clear_error();
    return ok == 1;
}
