#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path written with `..` names what the kernel makes of it (SPEC §1, kernel path semantics):
/// `sub/../x` with `sub` a symlink is `x` beside where `sub` leads, not beside `sub`. Entry points
/// that take a path as given (command-line arguments, a plan's `remove:`) resolve it here, so
/// that they act on the file the kernel names, never on the one a lexical rewrite names.
public enum KernelPath {
    /// `path` made absolute against `base` as the kernel resolves it. Without a `..` that is the
    /// lexical answer (the same file). Otherwise the part up to its last `..` is resolved by
    /// realpath(3) and the rest appended as written (it holds no `..`, so its symlinks change
    /// nothing). A result that lies beneath `within` reached through symlinks is named beneath
    /// `within` as given, so confinement checks compare like with like. Throws what the kernel
    /// fails with: a missing directory or a file before a `..` (ENOENT, ENOTDIR).
    public static func absolute(_ path: Path, base: Path, within root: Path = "/") throws(FileSystemError) -> Path {
        let joined = path.isAbsolute ? path : Paths.join(base, path)
        guard let (head, rest) = split(joined) else { return Paths.normalize(joined) }
        guard let physical = realPath(head) else { throw FileSystemError(.errno(errno), "resolve", joined) }
        var resolved = physical
        if root != "/", !Paths.isWithin(physical, root), physical != root,
           let physicalRoot = realPath(root), physicalRoot != root {
            if physical == physicalRoot {
                resolved = root
            } else if Paths.isWithin(physical, physicalRoot) {
                resolved = Paths.join(root, physical.dropFirst(physicalRoot.count + 1))
            }
        }
        return Paths.normalize(rest.reduce(resolved) { Paths.join($0, $1) })
    }

    /// An absolute path cut at its last `..`: the head the kernel resolves through symlinks
    /// (`/a/sub/..`) and the components after it, which hold no `..` (so appending them as
    /// written names the same file); nil when it has no `..`. Whoever resolves the head (realpath
    /// here, the confined walk in the graph) appends the rest.
    public static func split(_ path: Path) -> (head: Path, rest: ArraySlice<Path>)? {
        let parts = path.bytes.split(separator: UInt8(ascii: "/")).map { Path(bytes: $0) }
        guard let last = parts.lastIndex(of: "..") else { return nil }
        return (parts[...last].reduce("/" as Path) { Paths.join($0, $1) }, parts[(last + 1)...])
    }

    /// The part of `path` up to and including its last `..` (the part the kernel resolves
    /// through symlinks); nil when it has none, and a lexical rewrite names the same file.
    public static func head(_ path: Path) -> Path? {
        let parts = path.bytes.split(separator: UInt8(ascii: "/"))
        guard let last = parts.lastIndex(where: { $0.elementsEqual("..".utf8) }) else { return nil }
        return Path(bytes: path.bytes[..<parts[last].endIndex])
    }

    /// realpath(3) into a buffer of our own (a libc allocation would be out of AddressSanitizer's
    /// sight); nil with errno set when the kernel cannot resolve it.
    private static func realPath(_ path: Path) -> Path? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let ok = path.withCString { realpath($0, &buffer) } != nil
        return ok ? Path(cString: buffer) : nil
    }
}
