#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMklnkSys

/// The walk from root to a directory beneath it: one `O_NOFOLLOW | O_DIRECTORY` open per
/// component, a symlinked component followed by hand only while it stays beneath root.
extension LocalFileSystem {
    /// Opens (or finds cached) the directory `dir`, which lies beneath or at root.
    func directory(_ dir: Path, operation: String, path: Path) throws(FileSystemError) -> Int32 {
        if let fd = directories[dir] { return fd }
        if !missingDirectories.isEmpty && isKnownMissing(dir) { throw FileSystemError(errno: ENOENT, operation, path) }
        if rootDescriptor < 0 {
            rootDescriptor = root.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            if rootDescriptor < 0 { throw FileSystemError(errno: errno, "open", root) }
        }
        if dir == root { return rootDescriptor }
        var pending = Array(componentsBelowRoot(dir).reversed())
        var current = rootDescriptor
        var logical = root
        var hops = 0
        // Where the walk physically went: each symlink it followed, then the directory itself.
        var through: [Path] = []
        func release(_ fd: Int32) { if fd != rootDescriptor { close(fd) } }
        while let name = pending.popLast() {
            // Never from the input (it is normal); only a symlink's destination could hold one.
            if name.isEmpty || name == "." || name == ".." {
                release(current)
                throw FileSystemError(.escapesRoot(via: logical), operation, path)
            }
            let next = name.withCString { mklnk_open_directory(current, $0) }
            if next >= 0 {
                release(current)
                current = next
                logical = Paths.join(logical, name)
                continue
            }
            let e = errno
            var st = stat()
            guard e == ELOOP || e == ENOTDIR, name.withCString({ fstatat(current, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0,
                  (st.st_mode & S_IFMT) == S_IFLNK
            else {
                release(current)
                if e == ENOENT { missingDirectories.insert(Paths.join(logical, name)) }
                throw FileSystemError(errno: e, operation, path)
            }
            let via = Paths.join(logical, name)
            through.append(via)
            hops += 1
            let read = name.withCString { cName in
                Result { () throws(FileSystemError) in try Self.readLink(current, cName, via) }
            }
            let stored: Path
            switch read {
            case .success(let s): stored = s
            case .failure(let error):
                release(current)
                throw error
            }
            var destination = Paths.absolute(stored, base: logical)
            if !Paths.isWithin(destination, root), let physical = physicalRoot(), Paths.isWithin(destination, physical) {
                // Points into root by its physical path (root itself is reached through a symlink).
                destination = root + destination.dropFirst(physical.count)
            }
            guard hops <= 40, Paths.isWithin(destination, root) else {
                release(current)
                if hops > 40 { throw FileSystemError(errno: ELOOP, operation, path) }
                throw FileSystemError(.escapesRoot(via: via), operation, path)
            }
            // Walk again from root along the symlink's destination, then the rest.
            release(current)
            current = rootDescriptor
            logical = root
            pending.append(contentsOf: componentsBelowRoot(destination).reversed())
        }
        if directories.count >= 256 { closeCachedDirectories() }
        directories[dir] = current
        walks[dir] = through + [logical]
        return current
    }

    /// Whether `dir` or a directory above it (beneath root) was found missing.
    private func isKnownMissing(_ dir: Path) -> Bool {
        var dir = dir
        while dir.count > root.count {
            if missingDirectories.contains(dir) { return true }
            dir = Paths.parent(dir)
        }
        return false
    }

    /// Called by every call that changes the filesystem: what was missing may exist now.
    func forgetMissing() {
        if !missingDirectories.isEmpty { missingDirectories.removeAll() }
    }

    /// The components of `path` (normal, within root) beneath root.
    private func componentsBelowRoot(_ path: Path) -> [Path] {
        let skip = root == "/" ? 1 : root.count + 1
        guard path.count > skip else { return [] }
        return path.bytes[skip...].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { Path(bytes: $0) }
    }

    /// `realpath(root)` when it differs from root.
    private func physicalRoot() -> Path? {
        if let cached = physicalRootCache { return cached }
        var physical: Path?
        if let resolved = root.withCString({ realpath($0, nil) }) {
            let p = Path(cString: resolved)
            free(resolved)
            physical = p == root ? nil : p
        }
        physicalRootCache = .some(physical)
        return physical
    }

    func forgetDirectories(under path: Path) {
        let normalized = Paths.normalize(path)
        if let last = lastParent, Paths.isWithin(last.path, normalized) { lastParent = nil }
        for (dir, fd) in directories where Paths.isWithin(dir, normalized) {
            close(fd)
            directories[dir] = nil
            walks[dir] = nil
        }
    }

    /// After a step that renamed, replaced or removed the name `path`: every cached directory
    /// whose walk went through it (reached through a symlinked parent, say) names something
    /// else now, so its descriptor is never reused.
    func forgetWalks(through path: Path) {
        let normalized = Paths.normalize(path)
        guard normalized != root, Paths.isWithin(normalized, root) else { return }
        let parent = Paths.parent(normalized)
        let physicalParent = parent == root ? root : walks[parent]?.last ?? parent
        let moved = Paths.join(physicalParent, Paths.name(normalized))
        for (dir, steps) in walks where steps.contains(where: { Paths.isWithin($0, moved) }) {
            if let fd = directories.removeValue(forKey: dir) { close(fd) }
            walks[dir] = nil
            lastParent = nil
        }
        forgetDirectories(under: normalized)
    }

    func closeCachedDirectories() {
        for fd in directories.values where fd != rootDescriptor { close(fd) }
        directories.removeAll()
        walks.removeAll()
        lastParent = nil
    }
}
