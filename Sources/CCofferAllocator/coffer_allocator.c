#include "coffer_allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void coffer_tune_allocator(void) {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}
