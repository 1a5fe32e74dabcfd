#ifndef COFFER_SYSTEM_H
#define COFFER_SYSTEM_H

#include <stddef.h>

/// Keeps glibc's heap from being trimmed and regrown on every request: each KMS request allocates
/// and frees buffers of a few KiB, and with the defaults that costs about 8% of throughput.
/// Does nothing on other C libraries.
void coffer_tune_allocator(void);

/// Fills `buffer` with `length` bytes from the kernel's CSPRNG (getrandom(2) on Linux,
/// arc4random_buf elsewhere). Returns 0 on success, -1 if the kernel refused.
int coffer_fill_random(void *buffer, size_t length);

/// Puts the calling thread under SCHED_BATCH on Linux: a waking batch thread does not preempt a running
/// one, so a group-commit writer lets the request threads finish what they are doing (and queue more work
/// for its next batch) before it runs. Returns 0 on success; -1 elsewhere or if the kernel refused.
int coffer_prefer_batch_scheduling(void);

#endif
