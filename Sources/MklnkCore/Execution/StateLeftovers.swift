import MklnkFileSystem

/// Temporary files a killed mklnk left in its state directory.
///
/// `writeFileAtomically` writes `NAME.tmp-PID` and renames it over `NAME`: a kill in between (the
/// journal and the state are written a megabyte at a time) leaves the temporary behind. None is
/// ever read. Recovery runs under the state directory's lock, when no other mklnk is writing
/// one, so it removes them: regular files named `*.tmp-DIGITS` in the directories mklnk writes.
enum StateLeftovers {
    /// The state directory itself (the journal and its mark), the states, the plan cache.
    static let directories: [Path] = ["", "/plans", "/cache"]

    /// Removes the leftovers; returns the paths removed. Nothing here fails a command.
    @discardableResult
    static func remove(in stateDirectory: Path, fileSystem: FileSystem) -> [Path] {
        var removed: [Path] = []
        for sub in directories {
            let directory = stateDirectory + sub
            guard let entries = try? fileSystem.directoryEntries(directory) else { continue }
            for entry in entries where isTemporary(entry.name) {
                let path = directory + "/" + entry.name
                guard (try? fileSystem.status(path, follow: false))??.kind == .regular,
                      (try? fileSystem.removeFile(path)) != nil else { continue }
                removed.append(path)
            }
        }
        return removed
    }

    /// Whether `name` is `SOMETHING.tmp-DIGITS`.
    static func isTemporary(_ name: Path) -> Bool {
        name.withBytes { b in
            guard let dot = b.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return false }
            let tail = b[(dot + 1)...]
            let marker = Array("tmp-".utf8)
            guard tail.count > marker.count, tail.starts(with: marker) else { return false }
            return tail.dropFirst(marker.count).allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
    }
}
