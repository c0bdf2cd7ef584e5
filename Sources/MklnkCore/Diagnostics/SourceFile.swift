#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file name that source locations refer to by number.
///
/// A 100,000-link plan copies each entry's locations several times on its way to the actions;
/// with the name as a String in every location, each copy retained it. A number keeps
/// `SourceLocation` plain data. Names are interned for the life of the process (a run names a
/// handful of files).
public struct SourceFile: Sendable, Hashable {
    let id: UInt32

    public init(_ name: String) {
        id = Self.table.id(of: name)
    }

    public var name: String { Self.table.name(of: id) }

    private static let table = Table()

    private final class Table: @unchecked Sendable {
        private var names: [String] = []
        private var ids: [String: UInt32] = [:]
        private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

        init() { pthread_mutex_init(lock, nil) }

        func id(of name: String) -> UInt32 {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            if let id = ids[name] { return id }
            let id = UInt32(names.count)
            names.append(name)
            ids[name] = id
            return id
        }

        func name(of id: UInt32) -> String {
            pthread_mutex_lock(lock)
            defer { pthread_mutex_unlock(lock) }
            return names[Int(id)]
        }
    }
}
