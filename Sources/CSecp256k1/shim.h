// libsecp256k1 (Bitcoin Core's secp256k1 library, Debian's libsecp256k1-dev): ECDSA on secp256k1 for
// KMS keys of spec ECC_SECG_P256K1.
#include <secp256k1.h>
