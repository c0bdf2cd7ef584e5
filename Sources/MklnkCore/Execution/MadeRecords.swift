#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// A backup mklnk took: the user's old file, which mklnk never deletes.
public struct RecordedBackup: Sendable, Equatable {
    /// Where the file was (the link's path).
    public var path: Path
    /// Where it is now.
    public var backup: Path

    public init(path: Path, backup: Path) {
        self.path = path
        self.backup = backup
    }
}

/// Beside its links, what a plan's applies made that `destroy` must know: the directories made
/// for links (removed when empty) and the backups (listed, never removed).
public struct MadeRecords: Sendable, Equatable {
    /// Outermost first, in the order they were made.
    public var directories: [Path] = []
    public var backups: [RecordedBackup] = []

    public init(directories: [Path] = [], backups: [RecordedBackup] = []) {
        self.directories = directories
        self.backups = backups
    }
}

extension MadeRecords {
    /// The records as the state file holds them, after its links.
    static func append(_ made: MadeRecords, to bytes: inout [UInt8]) {
        var w = Record.Writer()
        swap(&w.bytes, &bytes)
        made.write(to: &w) { (_: UnsafeRawBufferPointer) in }
        swap(&w.bytes, &bytes)
    }

    /// Writes the records into `w`, handing its bytes to `hand` whenever they reach `chunkSize`.
    func write<E: Error>(to w: inout Record.Writer, chunkSize: Int = .max,
                         hand: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        for d in directories {
            w.field("dir"); w.field(d); w.end()
            try w.handOn(atLeast: chunkSize, to: hand)
        }
        for b in backups {
            w.field("backup"); w.field(b.path); w.field(b.backup); w.end()
            try w.handOn(atLeast: chunkSize, to: hand)
        }
    }
}

// In the state file as `dir PATH` and `backup PATH BACKUP` records after the links; readers that
// know only links skip them (their first field is no link kind).
extension AppliedState {
    /// The directories and backups recorded.
    public var made: MadeRecords {
        if let records { return records.made }
        var made = MadeRecords()
        let bytes = encoded
        // Only lines that start with `d` or `b` are parsed: a link's starts with its kind (s, h, j).
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                let rest = buffer.count - start
                let end = memchr(base + start, 10, rest).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base }
                    ?? buffer.count
                defer { start = end + 1 }
                let first = buffer[start]
                guard first == UInt8(ascii: "d") || first == UInt8(ascii: "b") else { continue }
                let r = Record.fields(buffer[start..<end])
                if r.count == 2 && r[0] == "dir" { made.directories.append(r.path(1)) }
                if r.count == 3 && r[0] == "backup" { made.backups.append(RecordedBackup(path: r.path(1), backup: r.path(2))) }
            }
        }
        return made
    }
}

extension Transaction {
    /// What the state records as made after this apply: what was recorded and still exists, then
    /// the directories this apply made for links and the backups it took.
    func made(_ actions: [Action], _ steps: [Step], owners: [Int], failed: Set<Int>) -> MadeRecords {
        var made = MadeRecords()
        if !previous.isEmpty {
            let recorded = previous.made
            // One replaced by a symlink stays recorded: links below it are not mklnk's (MadeDirectories).
            made.directories = recorded.directories.filter { (try? fileSystem.linkStatus($0)) ?? nil != nil }
            made.backups = recorded.backups.filter { (try? fileSystem.linkStatus($0.backup)) ?? nil != nil }
        }
        var known = Set(made.directories)
        for (index, step) in steps.enumerated() where !failed.contains(owners[index]) {
            switch step {
            // Only those made by creates (for links and `dirs:`): an adopt's directories in base
            // hold the user's files.
            case .makeDirectory(let path, _) where actions[owners[index]].op == .create:
                if known.insert(path).inserted { made.directories.append(path) }
            case .backup(let path, _, _, let backup, _):
                made.backups.append(RecordedBackup(path: path, backup: backup))
            default:
                break
            }
        }
        return made
    }
}
