#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "coffer_system.h"

#include <errno.h>
#include <stdint.h>

#if defined(__linux__)
#include <sched.h>
#include <sys/random.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__APPLE__)
#include <stdlib.h>
#endif

void coffer_tune_allocator(void) {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
}

int coffer_fill_random(void *buffer, size_t length) {
#if defined(__linux__)
    uint8_t *cursor = buffer;
    while (length > 0) {
        ssize_t got = getrandom(cursor, length, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        cursor += got;
        length -= (size_t)got;
    }
    return 0;
#elif defined(__APPLE__)
    arc4random_buf(buffer, length);
    return 0;
#else
    return -1;
#endif
}

int coffer_prefer_batch_scheduling(void) {
#if defined(__linux__)
    struct sched_param param = {0};
    return sched_setscheduler(0, SCHED_BATCH, &param) == 0 ? 0 : -1;
#else
    return -1;
#endif
}
