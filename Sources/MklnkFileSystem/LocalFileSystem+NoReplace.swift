#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rename that never replaces its destination, where `renameat2(RENAME_NOREPLACE)` is not
/// supported (EINVAL or ENOSYS: NFS, CIFS, some FUSE filesystems, old kernels). A plain
/// `renameat` would overwrite whatever appeared at the destination since it was checked
/// (AUDIT3 F8), so what is moved gets its new name by `linkat`, which fails with EEXIST
/// instead of replacing, and only then loses its old one.
extension LocalFileSystem {
    enum NoReplaceFallback {
        /// 0, or -1 with `errno` set. `noHardLinks` is set when the filesystem has no hard links
        /// either: then nothing was moved, and nothing can be moved here safely.
        static func move(_ fromDir: Int32, _ fromName: UnsafePointer<CChar>, _ toDir: Int32,
                         _ toName: UnsafePointer<CChar>, noHardLinks: inout Bool) -> Int32 {
            var source = stat(), existing = stat()
            if fstatat(fromDir, fromName, &source, AT_SYMLINK_NOFOLLOW) != 0 { return -1 }
            if fstatat(toDir, toName, &existing, AT_SYMLINK_NOFOLLOW) == 0 {
                errno = EEXIST
                return -1
            }
            if source.st_mode & S_IFMT == S_IFDIR {
                // A directory has no second name. rename(2) puts a directory only over an empty
                // directory (ENOTEMPTY or ENOTDIR otherwise): at worst an empty directory made
                // since the check above is replaced; no file can be.
                return renameat(fromDir, fromName, toDir, toName)
            }
            // AT_SYMLINK_FOLLOW is not given: a symlink gets a second name itself.
            if linkat(fromDir, fromName, toDir, toName, 0) != 0 {
                noHardLinks = errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == ENOSYS
                return -1
            }
            // The old name goes only while it names that same file: it is first taken to a
            // fresh private name (which replaces nothing), compared there, and unlinked; an
            // entry someone put at the old name since the link is returned to it.
            let aside = ".mklnk-moved-\(getpid())-\(UInt64.random(in: 0 ... .max))"
            guard renameat(fromDir, fromName, fromDir, aside) == 0 else {
                // Gone already (moved or deleted by someone else): the new name holds the file.
                return 0
            }
            var taken = stat(), moved = stat()
            let same = fstatat(fromDir, aside, &taken, AT_SYMLINK_NOFOLLOW) == 0
                && fstatat(toDir, toName, &moved, AT_SYMLINK_NOFOLLOW) == 0
                && taken.st_dev == moved.st_dev && taken.st_ino == moved.st_ino
            if same || linkat(fromDir, aside, fromDir, fromName, 0) == 0 {
                unlinkat(fromDir, aside, 0)
            }
            return 0
        }
    }
}
