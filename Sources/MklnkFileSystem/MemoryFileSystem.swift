#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A filesystem in memory with the answers of `LocalFileSystem`: the same errnos, the same
/// confinement (a symlinked parent followed only while it stays beneath `root`, else
/// `.escapesRoot(via:)`), checked by one contract suite run against both. For fast tests: every
/// call is a dictionary look-up, nothing touches the disk. Single-threaded (`reader()` is nil).
public final class MemoryFileSystem: FileSystem {
    public let root: Path
    public let disk: MemoryDisk

    public init(root: Path, disk: MemoryDisk = MemoryDisk()) {
        self.root = Paths.normalize(root)
        self.disk = disk
    }

    // MARK: Unconfined

    public func status(_ path: Path, follow: Bool) throws(FileSystemError) -> FileStatus? {
        switch disk.lookup(path.bytes, follow: follow) {
        case .success(let inode): return disk.status(inode)
        case .failure(let e) where e.errno == ENOENT || e.errno == ENOTDIR: return nil
        case .failure(let e): throw FileSystemError(errno: e.errno, follow ? "stat" : "lstat", path)
        }
    }

    public func directoryEntries(_ path: Path) throws(FileSystemError) -> [DirectoryEntry] {
        let inode = try existing(path, "opendir")
        guard disk.nodes[inode]!.kind == .directory else { throw FileSystemError(errno: ENOTDIR, "opendir", path) }
        return disk.nodes[inode]!.entries.map { name, child in
            DirectoryEntry(name: Path(bytes: name), kind: disk.nodes[child]!.kind)
        }
    }

    public func readFile(_ path: Path) throws(FileSystemError) -> [UInt8]? {
        switch disk.lookup(path.bytes, follow: true) {
        case .failure(let e) where e.errno == ENOENT: return nil
        case .failure(let e): throw FileSystemError(errno: e.errno, "open", path)
        case .success(let inode):
            guard disk.nodes[inode]!.kind != .directory else { throw FileSystemError(errno: EISDIR, "read", path) }
            return disk.nodes[inode]!.bytes
        }
    }

    /// The chunks are gathered first: a failing `produce` leaves the disk as it was.
    public func writeFileAtomically(_ path: Path, sync: Bool, chunks produce: (ChunkWriter) throws(FileSystemError) -> Void)
        throws(FileSystemError) {
        let (directory, name) = try unconfinedParent(path, "open")
        var bytes: [UInt8] = []
        try produce { (chunk) throws(FileSystemError) in bytes.append(contentsOf: chunk) }
        if let old = disk.step(directory, name) {
            if disk.nodes[old]!.kind == .directory { throw FileSystemError(errno: EISDIR, "rename", path) }
            disk.removeName(name, in: directory)
        }
        _ = disk.add(MemoryDisk.Node(kind: .regular, bytes: bytes), named: name, in: directory)
    }

    public func removeFile(_ path: Path) throws(FileSystemError) {
        guard case .success(let (directory, name)) = disk.parent(of: path.bytes),
              let inode = disk.step(directory, name) else { return }
        if disk.nodes[inode]!.kind == .directory { throw FileSystemError(errno: EISDIR, "unlink", path) }
        disk.removeName(name, in: directory)
    }

    public func readLink(anywhere path: Path) throws(FileSystemError) -> Path {
        switch disk.lookup(path.bytes, follow: false) {
        case .failure(let e): throw FileSystemError(errno: e.errno, "readlink", path)
        case .success(let inode):
            guard disk.nodes[inode]!.kind == .symlink else { throw FileSystemError(errno: EINVAL, "readlink", path) }
            return Path(bytes: disk.nodes[inode]!.target)
        }
    }

    public func createDirectories(_ path: Path) throws(FileSystemError) {
        let normalized = Paths.normalize(path)
        if let st = try status(normalized, follow: true) {
            if st.kind == .directory { return }
            throw FileSystemError(errno: ENOTDIR, "mkdir", normalized)
        }
        if normalized != "/" { try createDirectories(Paths.parent(normalized)) }
        let (directory, name) = try unconfinedParent(normalized, "mkdir")
        if disk.step(directory, name) == nil {
            _ = disk.add(MemoryDisk.Node(kind: .directory, permissions: 0o755), named: name, in: directory)
        }
    }

    private func existing(_ path: Path, _ operation: String) throws(FileSystemError) -> UInt64 {
        switch disk.lookup(path.bytes, follow: true) {
        case .success(let inode): return inode
        case .failure(let e): throw FileSystemError(errno: e.errno, operation, path)
        }
    }

    private func unconfinedParent(_ path: Path, _ operation: String) throws(FileSystemError) -> (UInt64, [UInt8]) {
        switch disk.parent(of: path.bytes) {
        case .success(let found): return found
        case .failure(let e): throw FileSystemError(errno: e.errno, operation, path)
        }
    }

    // MARK: Confined

    public func linkStatus(_ path: Path) throws(FileSystemError) -> FileStatus? {
        do {
            let (directory, name) = try confinedParent(path, "lstat")
            return disk.step(directory, name).map(disk.status)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    public func isDirectory(_ path: Path) throws(FileSystemError) -> Bool {
        let normalized = Paths.normalize(path)
        guard Paths.isWithin(normalized, root) else { throw FileSystemError(.escapesRoot(via: normalized), "open", normalized) }
        do {
            _ = try confinedDirectory(normalized, "open", normalized)
            return true
        } catch {
            if error.isNotFound { return false }
            throw error
        }
    }

    public func readLink(_ path: Path) throws(FileSystemError) -> Path {
        let (directory, name) = try confinedParent(path, "readlink")
        guard let inode = disk.step(directory, name) else { throw FileSystemError(errno: ENOENT, "readlink", path) }
        guard disk.nodes[inode]!.kind == .symlink else { throw FileSystemError(errno: EINVAL, "readlink", path) }
        return Path(bytes: disk.nodes[inode]!.target)
    }

    public func createSymlink(at path: Path, target: Path) throws(FileSystemError) {
        let (directory, name) = try confinedParent(path, "symlink")
        guard disk.step(directory, name) == nil else { throw FileSystemError(errno: EEXIST, "symlink", path) }
        _ = disk.add(MemoryDisk.Node(kind: .symlink, target: target.bytes, permissions: 0o777), named: name, in: directory)
    }

    public func createHardLink(at path: Path, to existing: Path) throws(FileSystemError) {
        let (directory, name) = try confinedParent(path, "link")
        let inode = try self.existing(existing, "link")
        guard disk.nodes[inode]!.kind != .directory else { throw FileSystemError(errno: EPERM, "link", path) }
        guard disk.step(directory, name) == nil else { throw FileSystemError(errno: EEXIST, "link", path) }
        disk.nodes[directory]!.entries[name] = inode
        disk.nodes[directory]!.modified = disk.tick()
        disk.nodes[inode]!.linkCount += 1
    }

    public func rename(_ from: Path, to: Path, mode: RenameMode) throws(FileSystemError) {
        let (fromDirectory, fromName) = try confinedParent(from, "rename")
        let (toDirectory, toName) = try confinedParent(to, "rename")
        guard let moving = disk.step(fromDirectory, fromName) else { throw FileSystemError(errno: ENOENT, "rename", from) }
        let replaced = disk.step(toDirectory, toName)
        switch mode {
        case .exchange:
            guard let replaced else { throw FileSystemError(errno: ENOENT, "rename", from) }
            disk.nodes[fromDirectory]!.entries[fromName] = replaced
            disk.nodes[toDirectory]!.entries[toName] = moving
            if disk.nodes[moving]!.kind == .directory { disk.nodes[moving]!.parent = toDirectory }
            if disk.nodes[replaced]!.kind == .directory { disk.nodes[replaced]!.parent = fromDirectory }
            return
        case .noReplace:
            if replaced != nil { throw FileSystemError(errno: EEXIST, "rename", from) }
        case .replace:
            break
        }
        if replaced == moving { return }
        let isDirectory = disk.nodes[moving]!.kind == .directory
        if isDirectory && disk.isAncestor(moving, of: toDirectory) { throw FileSystemError(errno: EINVAL, "rename", from) }
        if let replaced {
            let other = disk.nodes[replaced]!
            if isDirectory && other.kind != .directory { throw FileSystemError(errno: ENOTDIR, "rename", from) }
            if !isDirectory && other.kind == .directory { throw FileSystemError(errno: EISDIR, "rename", from) }
            if other.kind == .directory && !other.entries.isEmpty { throw FileSystemError(errno: ENOTEMPTY, "rename", from) }
            disk.removeName(toName, in: toDirectory)
        }
        disk.nodes[fromDirectory]!.entries[fromName] = nil
        disk.nodes[toDirectory]!.entries[toName] = moving
        if isDirectory { disk.nodes[moving]!.parent = toDirectory }
        disk.nodes[fromDirectory]!.modified = disk.tick()
        disk.nodes[toDirectory]!.modified = disk.tick()
    }

    public func unlink(_ path: Path) throws(FileSystemError) {
        let (directory, name) = try confinedParent(path, "unlink")
        guard let inode = disk.step(directory, name) else { throw FileSystemError(errno: ENOENT, "unlink", path) }
        guard disk.nodes[inode]!.kind != .directory else { throw FileSystemError(errno: EISDIR, "unlink", path) }
        disk.removeName(name, in: directory)
    }

    public func createDirectory(_ path: Path) throws(FileSystemError) {
        let (directory, name) = try confinedParent(path, "mkdir")
        guard disk.step(directory, name) == nil else { throw FileSystemError(errno: EEXIST, "mkdir", path) }
        _ = disk.add(MemoryDisk.Node(kind: .directory, permissions: 0o755), named: name, in: directory)
    }

    public func removeDirectory(_ path: Path) throws(FileSystemError) {
        let (directory, name) = try confinedParent(path, "rmdir")
        guard let inode = disk.step(directory, name) else { throw FileSystemError(errno: ENOENT, "rmdir", path) }
        guard disk.nodes[inode]!.kind == .directory else { throw FileSystemError(errno: ENOTDIR, "rmdir", path) }
        guard disk.nodes[inode]!.entries.isEmpty else { throw FileSystemError(errno: ENOTEMPTY, "rmdir", path) }
        disk.removeName(name, in: directory)
    }

    public func syncDirectory(_ path: Path) throws(FileSystemError) {
        let normalized = Paths.normalize(path)
        if normalized == root { return }
        let (directory, name) = try confinedParent(normalized, "fsync")
        guard let inode = disk.step(directory, name) else { throw FileSystemError(errno: ENOENT, "open", path) }
        switch disk.nodes[inode]!.kind {
        case .directory: return
        case .symlink: throw FileSystemError(errno: ELOOP, "open", path)
        default: throw FileSystemError(errno: ENOTDIR, "open", path)
        }
    }

    public func syncRoot() throws(FileSystemError) {
        _ = try rootDirectory()
    }

    // MARK: Resolution beneath root

    /// `path`'s parent, walked from root, and its last name; `path` must lie beneath root.
    func confinedParent(_ path: Path, _ operation: String) throws(FileSystemError) -> (UInt64, [UInt8]) {
        let normalized = Paths.normalize(path)
        guard normalized != root, Paths.isWithin(normalized, root) else {
            throw FileSystemError(.escapesRoot(via: normalized), operation, path)
        }
        return (try confinedDirectory(Paths.parent(normalized), operation, path), Paths.name(normalized).bytes)
    }

    private func rootDirectory() throws(FileSystemError) -> UInt64 {
        let inode = try existing(root, "open")
        guard disk.nodes[inode]!.kind == .directory else { throw FileSystemError(errno: ENOTDIR, "open", root) }
        return inode
    }

    /// The directory `dir` (normal, at or beneath root): each symlink on the way is followed only
    /// when its destination, made absolute where the link was found, lies beneath root.
    private func confinedDirectory(_ dir: Path, _ operation: String, _ path: Path) throws(FileSystemError) -> UInt64 {
        let top = try rootDirectory()
        var pending = Array(Self.components(of: dir, below: root).reversed())
        var current = top
        var logical = root
        var hops = 0
        while let name = pending.popLast() {
            if name.isEmpty || name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] {
                throw FileSystemError(.escapesRoot(via: logical), operation, path)
            }
            guard let next = disk.nodes[current]!.entries[name] else { throw FileSystemError(errno: ENOENT, operation, path) }
            let via = Paths.join(logical, Path(bytes: name))
            switch disk.nodes[next]!.kind {
            case .directory:
                current = next
                logical = via
                continue
            case .symlink:
                break
            default:
                throw FileSystemError(errno: ENOTDIR, operation, path)
            }
            hops += 1
            var destination = Paths.absolute(Path(bytes: disk.nodes[next]!.target), base: logical)
            if !Paths.isWithin(destination, root), let physical = physicalRoot(), Paths.isWithin(destination, physical) {
                destination = root + destination.dropFirst(physical.count)
            }
            guard hops <= 40, Paths.isWithin(destination, root) else {
                if hops > 40 { throw FileSystemError(errno: ELOOP, operation, path) }
                throw FileSystemError(.escapesRoot(via: via), operation, path)
            }
            current = top
            logical = root
            pending.append(contentsOf: Self.components(of: destination, below: root).reversed())
        }
        return current
    }

    private static func components(of path: Path, below root: Path) -> [[UInt8]] {
        let bytes = path.bytes
        let skip = root == "/" ? 1 : root.count + 1
        guard bytes.count > skip else { return [] }
        return bytes[skip...].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// Root's path with every symlink resolved, when that differs from `root` (as `realpath`).
    private func physicalRoot() -> Path? {
        guard case .success(var inode) = disk.lookup(root.bytes, follow: true) else { return nil }
        var names: [[UInt8]] = []
        while inode != MemoryDisk.rootInode {
            let parent = disk.nodes[inode]!.parent
            guard let name = disk.nodes[parent]!.entries.first(where: { $0.value == inode })?.key else { return nil }
            names.append(name)
            inode = parent
        }
        let physical = Path(bytes: [UInt8(ascii: "/")] + Array(names.reversed().joined(separator: [UInt8(ascii: "/")])))
        return physical == root ? nil : physical
    }
}
