#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names in a directory, without `.` and `..`; empty when it cannot be opened.
///
/// The name is read where it lies: `entry.pointee.d_name` would copy the whole 256-byte field,
/// and the last entry of a `readdir` buffer is often shorter than that (AddressSanitizer stops on
/// the read past the buffer).
public func directoryNames(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
