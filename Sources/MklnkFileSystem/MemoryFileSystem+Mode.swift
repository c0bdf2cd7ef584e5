#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MemoryFileSystem {
    /// As `LocalFileSystem.setMode`: a directory beneath root only, never through a symlink
    /// in the last name (that opens with O_DIRECTORY | O_NOFOLLOW, then fchmod).
    public func setMode(_ path: Path, _ mode: UInt32) throws(FileSystemError) {
        let (directory, name) = try confinedParent(path, "chmod")
        guard let inode = disk.step(directory, name) else { throw FileSystemError(errno: ENOENT, "chmod", path) }
        // The kernel answers ENOTDIR for a symlink too: O_DIRECTORY is checked before O_NOFOLLOW.
        guard disk.nodes[inode]!.kind == .directory else { throw FileSystemError(errno: ENOTDIR, "chmod", path) }
        disk.nodes[inode]!.permissions = mode & 0o7777
    }
}
