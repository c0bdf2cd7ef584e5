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

/// syncfs(2): flushes the whole filesystem holding `fd` in one call (Linux); elsewhere
/// falls back to fsync of `fd`.
int mklnk_syncfs(int fd);

/// flock(LOCK_EX | LOCK_NB) on `fd`: 0 when taken, -1 with errno (EWOULDBLOCK when held).
int mklnk_try_lock(int fd);

#endif
