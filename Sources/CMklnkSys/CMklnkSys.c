#define _GNU_SOURCE
#if defined(__linux__)
#include <malloc.h>
#endif
#include "CMklnkSys.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/file.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <linux/fs.h>
#endif

int mklnk_rename_exchange(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, RENAME_EXCHANGE);
#elif defined(__APPLE__)
    return renameatx_np(olddirfd, oldpath, newdirfd, newpath, RENAME_SWAP);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int mklnk_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, RENAME_NOREPLACE);
#elif defined(__APPLE__)
    return renameatx_np(olddirfd, oldpath, newdirfd, newpath, RENAME_EXCL);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int mklnk_open_directory(int dirfd, const char *name) {
#if defined(O_PATH)
    return openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
#else
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
#endif
}

int mklnk_open_search_directory(const char *path) {
#if defined(O_PATH)
    return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
#else
    return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#endif
}

void mklnk_tune_memory(void) {
#if defined(__linux__)
    // Large arrays (a 100,000-link plan's entries, links, actions) from the heap instead of
    // fresh mmaps: freed, their pages are reused rather than faulted in again (a fifth fewer
    // page faults), and the heap grows in steps large enough to need few brk calls.
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 32 << 20);
#endif
}

unsigned long mklnk_resident_bytes(void) {
    unsigned long size = 0, resident = 0;
#if defined(__linux__)
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &resident) != 2) resident = 0;
        fclose(f);
    }
#endif
    return resident * (unsigned long)sysconf(_SC_PAGESIZE);
}

unsigned long mklnk_heap_in_use(void) {
#if defined(__linux__)
    struct mallinfo2 m = mallinfo2();
    return m.uordblks;
#else
    return 0;
#endif
}

void mklnk_start_writeback(int fd) {
#if defined(__linux__)
    sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
#endif
}

void mklnk_release_free_memory(void) {
#if defined(__linux__)
    malloc_trim(0);
#endif
}

int mklnk_syncfs(int fd) {
#if defined(__linux__)
    return syncfs(fd);
#else
    return fsync(fd);
#endif
}

int mklnk_try_lock(int fd) {
    return flock(fd, LOCK_EX | LOCK_NB);
}
