#ifndef CMKLNKSYS_H
#define CMKLNKSYS_H

/// renameat2(RENAME_EXCHANGE): swaps two names atomically. Returns -1 with errno
/// (ENOSYS/EINVAL where the kernel or filesystem lacks it).
int mklnk_rename_exchange(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);

/// renameat2(RENAME_NOREPLACE): fails with EEXIST instead of replacing.
int mklnk_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);

/// Opens directory `name` beneath `dirfd` without following a symlink, for use as the
/// directory of *at() calls (O_PATH on Linux, so search permission is enough).
int mklnk_open_directory(int dirfd, const char *name);

/// Opens directory `path` (following symlinks) for use as the directory of *at() calls.
int mklnk_open_search_directory(const char *path);

/// Returns freed heap pages to the system (glibc's malloc_trim); elsewhere does nothing.
void mklnk_release_free_memory(void);

/// Starts writing `fd`'s dirty pages to disk without waiting (Linux: sync_file_range); elsewhere
/// does nothing. Not a sync: nothing is promised about when they are written.
void mklnk_start_writeback(int fd);

/// Bytes the heap has handed out and not had back (glibc's mallinfo2); elsewhere 0.
unsigned long mklnk_heap_in_use(void);

/// Resident memory now (Linux: /proc/self/statm); elsewhere 0.
unsigned long mklnk_resident_bytes(void);

/// Tunes malloc for a process that builds a few very large arrays (glibc; elsewhere nothing).
void mklnk_tune_memory(void);

/// syncfs(2): flushes the whole filesystem holding `fd` in one call (Linux); elsewhere
/// falls back to fsync of `fd`.
int mklnk_syncfs(int fd);

/// flock(LOCK_EX | LOCK_NB) on `fd`: 0 when taken, -1 with errno (EWOULDBLOCK when held).
int mklnk_try_lock(int fd);

/* The GNU build ID of the running executable into `out`; its length, 0 when there is none. */
unsigned long mklnk_build_id(unsigned char *out, unsigned long capacity);

#endif
