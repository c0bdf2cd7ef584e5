import MklnkFileSystem

/// Why a step failed, and whether it changed anything before it did.
struct StepError: Error, CustomStringConvertible {
    var message: String
    /// The step left the filesystem as it found it (a create whose path was taken, a check that
    /// failed before anything moved): it is not undone, so a link someone else made meanwhile,
    /// identical to ours, is not taken for ours and deleted.
    var changedNothing = false

    init(_ message: String, changedNothing: Bool = false) {
        self.message = message
        self.changedNothing = changedNothing
    }

    init(_ error: FileSystemError) {
        message = error.description
        changedNothing = false
    }

    var description: String { message }
}

/// What a step verifies at the moment it acts (SPEC §4 "Checked at the moment of acting"): the
/// plan looked at the tree earlier, and the user may have changed it since.
///
/// Renames are checked after the fact: what a rename moved out of the way is looked at under
/// its new name, where nobody else touches it, and put back when it is not what the plan saw.
/// Unlinks (after the commit) never take a file's last name (`FileSystem.unlinkUnlessLast`).
final class StepChecks {
    let fileSystem: FileSystem
    /// Names of one file this transaction has moved to trash so far: those are not "other
    /// names" that keep the file alive, since they are deleted at the commit too.
    private var trashed: [FileID: UInt64] = [:]

    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    init(fileSystem: FileSystem) {
        self.fileSystem = fileSystem
    }

    /// Why `name` is not `original` as the plan saw it (nil when it is): the kind, the inode
    /// (regular files, directories), the stored target (symlinks). For a hard link the plan
    /// replaces because its bytes equal the new target's (stale hard-link repair), those bytes.
    func mismatch(_ original: Original, at name: Path, replacedBy link: NewLink? = nil) -> String? {
        guard let status = try? fileSystem.linkStatus(name) else { return "it cannot be read back" }
        guard let kind = original.kind else { return "nothing was expected there" }
        guard status.kind == kind else {
            return "a \(Self.describe(status.kind)) is there instead of the planned \(Self.describe(kind))"
        }
        if kind == .symlink {
            let target = try? fileSystem.readLink(name)
            guard let target, target == original.target else {
                return "it now points to \(target.map { "\($0)" } ?? "?"), not to \(original.target) as planned"
            }
            return nil
        }
        guard status.device == original.device && status.inode == original.inode else {
            return "another \(Self.describe(kind)) is there (inode \(status.inode), planned: \(original.inode))"
        }
        if kind == .regular, let link, link.kind == .hardlink, !sameContents(name, link.target) {
            return "its bytes changed since it was planned (they no longer equal \(link.target))"
        }
        return nil
    }

    /// For a hard link just moved to `trash`: nil when another name of its file remains that
    /// this transaction does not delete, and then counts this name as trashed.
    func keepsAnotherName(_ trash: Path) -> String? {
        guard let status = try? fileSystem.linkStatus(trash), status.kind == .regular else {
            return "it cannot be read back"
        }
        let id = FileID(device: status.device, inode: status.inode)
        let gone = trashed[id, default: 0] + 1
        if status.linkCount <= gone {
            return "it is now the last link to its file (remove never deletes a file's last name)"
        }
        trashed[id] = gone
        return nil
    }

    /// For a `clean:` symlink: why it may no longer be deleted (nil while it still dangles).
    /// Its target is resolved as the plan did, from its directory (a scratch name lies beside
    /// the link's own); one that cannot be resolved is not known to dangle, and is kept.
    func revived(_ name: Path) -> String? {
        switch Result(catching: { () throws(FileSystemError) in try fileSystem.status(name, follow: true) }) {
        case .success(.none): return nil
        case .success(.some): return "its target exists now (clean deletes only dangling symlinks)"
        case .failure(let error): return "its target cannot be checked (\(error.reason)), so it is not known to dangle"
        }
    }

    /// Whether two files hold the same bytes (false when either cannot be read).
    func sameContents(_ a: Path, _ b: Path) -> Bool {
        guard let x = try? fileSystem.readFile(a), let y = try? fileSystem.readFile(b) else { return false }
        return x == y
    }

    static func describe(_ kind: FileKind) -> String {
        switch kind {
        case .regular: return "regular file"
        case .directory: return "directory"
        case .symlink: return "symlink"
        case .other: return "special file"
        }
    }
}
