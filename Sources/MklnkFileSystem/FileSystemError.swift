#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed filesystem operation.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A syscall failed with this errno.
        case errno(Int32)
        /// A parent of `path` is a symlink that leads outside the root.
        case escapesRoot(via: Path)
    }

    public var code: Code
    public var operation: String
    public var path: Path

    public init(_ code: Code, _ operation: String, _ path: Path) {
        self.code = code
        self.operation = operation
        self.path = path
    }

    public init(errno: Int32, _ operation: String, _ path: Path) {
        self.init(.errno(errno), operation, path)
    }

    /// The errno, or nil for a confinement error.
    public var errnoValue: Int32? {
        if case .errno(let e) = code { return e }
        return nil
    }

    /// Nothing at the path, or a parent is not a directory.
    public var isNotFound: Bool { errnoValue == ENOENT || errnoValue == ENOTDIR }

    /// The filesystem cannot do what was asked (e.g. RENAME_EXCHANGE).
    public var isUnsupported: Bool {
        guard let e = errnoValue else { return false }
        return e == EINVAL || e == ENOSYS || e == ENOTSUP || e == EOPNOTSUPP
    }

    /// The reason alone, for messages that name the path themselves.
    public var reason: String {
        switch code {
        case .errno(let e): return String(cString: strerror(e))
        case .escapesRoot(let via): return "\(via) is a symlink that leads outside the root"
        }
    }

    public var description: String { "\(operation) \(path): \(reason)" }
}
