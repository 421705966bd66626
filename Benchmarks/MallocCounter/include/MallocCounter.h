#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H
#include <stdint.h>

/// Number of malloc/calloc/realloc/posix_memalign/aligned_alloc calls since the process started.
uint64_t malloc_counter_allocations(void);

/// True when the interposed allocator is active (glibc's __libc_* entry points were found).
int malloc_counter_active(void);

#endif
