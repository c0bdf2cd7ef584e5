#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The storage behind `MemoryFileSystem`: inodes and directories by byte name, resolved the way
/// the kernel resolves paths (symlinks followed, at most 40 of them, `..` to the physical
/// parent). Shared by every `MemoryFileSystem` made over it, so tests can look at one disk through
/// filesystems of different roots.
public final class MemoryDisk {
    struct Node {
        var kind: FileKind
        var bytes: [UInt8] = []
        var target: [UInt8] = []
        /// For directories: name to inode, and the parent's inode.
        var entries: [[UInt8]: UInt64] = [:]
        var parent: UInt64 = 0
        var linkCount: UInt64 = 1
        var permissions: UInt32 = 0o644
        var modified: Int64 = 0
    }

    /// A look-up that failed, with the errno the kernel would give.
    struct Failure: Error {
        var errno: Int32
        init(_ errno: Int32) { self.errno = errno }
    }

    static let device: UInt64 = 0x6d656d
    static let rootInode: UInt64 = 1
    var nodes: [UInt64: Node]
    private var nextInode: UInt64 = 2
    /// Advances on every change, as mtimes do.
    private var clock: Int64 = 1_700_000_000

    public init() {
        nodes = [Self.rootInode: Node(kind: .directory, parent: Self.rootInode, permissions: 0o755)]
    }

    func tick() -> Int64 {
        clock += 1
        return clock
    }

    func add(_ node: Node, named name: [UInt8], in directory: UInt64) -> UInt64 {
        let inode = nextInode
        nextInode += 1
        var node = node
        node.modified = tick()
        if node.kind == .directory { node.parent = directory }
        nodes[inode] = node
        nodes[directory]!.entries[name] = inode
        nodes[directory]!.modified = clock
        return inode
    }

    /// Drops a name; the inode goes with its last name.
    func removeName(_ name: [UInt8], in directory: UInt64) {
        guard let inode = nodes[directory]!.entries.removeValue(forKey: name) else { return }
        nodes[directory]!.modified = tick()
        nodes[inode]!.linkCount -= 1
        if nodes[inode]!.linkCount == 0 || nodes[inode]!.kind == .directory { nodes[inode] = nil }
    }

    func status(_ inode: UInt64) -> FileStatus {
        let n = nodes[inode]!
        let size = n.kind == .symlink ? n.target.count : n.kind == .directory ? 4096 : n.bytes.count
        let links = n.kind == .directory ? 2 + UInt64(n.entries.values.filter { nodes[$0]?.kind == .directory }.count) : n.linkCount
        return FileStatus(kind: n.kind, device: Self.device, inode: inode, linkCount: links, size: Int64(size),
                          modified: n.modified, permissions: n.permissions)
    }

    // MARK: Resolution

    /// A path's parent directory and last name, the parents resolved as the kernel does.
    func parent(of path: [UInt8]) -> Result<(directory: UInt64, name: [UInt8]), Failure> {
        var parts = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
        guard let name = parts.popLast() else { return .success((Self.rootInode, [UInt8(ascii: ".")])) }
        var hops = 0
        return directory(parts, from: Self.rootInode, hops: &hops).map { ($0, name) }
    }

    /// The inode at `path`, the last name followed when `follow`; ENOENT or ENOTDIR as the kernel.
    func lookup(_ path: [UInt8], follow: Bool) -> Result<UInt64, Failure> {
        var hops = 0
        return lookup(path, from: Self.rootInode, follow: follow, hops: &hops)
    }

    private func lookup(_ path: [UInt8], from start: UInt64, follow: Bool, hops: inout Int) -> Result<UInt64, Failure> {
        var parts = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
        let from = path.first == UInt8(ascii: "/") ? Self.rootInode : start
        guard let name = parts.popLast() else { return .success(from) }
        let directory: UInt64
        switch self.directory(parts, from: from, hops: &hops) {
        case .success(let d): directory = d
        case .failure(let e): return .failure(e)
        }
        guard let inode = step(directory, name) else { return .failure(Failure(ENOENT)) }
        guard follow, nodes[inode]!.kind == .symlink else { return .success(inode) }
        hops += 1
        if hops > 40 { return .failure(Failure(ELOOP)) }
        return lookup(nodes[inode]!.target, from: directory, follow: true, hops: &hops)
    }

    /// The directory reached through `parts` from `start`, following every symlink.
    private func directory(_ parts: [[UInt8]], from start: UInt64, hops: inout Int) -> Result<UInt64, Failure> {
        var current = start
        for part in parts {
            guard var next = step(current, part) else { return .failure(Failure(ENOENT)) }
            if nodes[next]!.kind == .symlink {
                hops += 1
                if hops > 40 { return .failure(Failure(ELOOP)) }
                switch lookup(nodes[next]!.target, from: current, follow: true, hops: &hops) {
                case .success(let n): next = n
                case .failure(let e): return .failure(e)
                }
            }
            guard nodes[next]!.kind == .directory else { return .failure(Failure(ENOTDIR)) }
            current = next
        }
        return .success(current)
    }

    /// One name in a directory: `.`, `..` or an entry.
    func step(_ directory: UInt64, _ name: [UInt8]) -> UInt64? {
        if name == [UInt8(ascii: ".")] { return directory }
        if name == [UInt8(ascii: "."), UInt8(ascii: ".")] { return nodes[directory]!.parent }
        return nodes[directory]!.entries[name]
    }

    /// True when `ancestor` is `inode` or one of its parents (a directory cannot move into itself).
    func isAncestor(_ ancestor: UInt64, of inode: UInt64) -> Bool {
        var current = inode
        while true {
            if current == ancestor { return true }
            if current == Self.rootInode { return false }
            current = nodes[current]!.parent
        }
    }
}
