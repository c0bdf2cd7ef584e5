#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Undo and recognition: each undo looks at the filesystem first and acts only on what it
/// recognises as this step's, so it is safe after a crash at any instant, and twice.
extension StepRunner {
    func undo(_ step: Step) throws(FileSystemError) {
        switch step {
        case .makeDirectory(let path, _):
            if try look(path)?.kind == .directory {
                try? fileSystem.removeDirectory(path)  // not empty: someone else's files; leave it
            }
        case .setMode:
            break  // the directory was made by this transaction; undoing its mkdir removes it
        case .create(let path, let link):
            if try holds(link, at: path) { try fileSystem.unlink(path) }
        case .replace(let path, let link, let temporary, let original):
            if try holds(original, at: temporary) {
                try restore(temporary, to: path, over: link)
            } else if try holds(link, at: temporary) {
                try fileSystem.unlink(temporary)  // made but never swapped in
            }
            // Replaced without exchange (StepRunner+NoExchange): the old entry moved out to `kept`.
            let kept = Self.kept(temporary)
            if try holds(original, at: kept) {
                try restore(kept, to: path, over: link)
            } else if original.kind == .symlink, try holds(link, at: path) {
                // An old symlink that exists only in the journal: made again.
                try fileSystem.createSymlink(at: temporary, target: original.target)
                try fileSystem.rename(temporary, to: path, mode: .replace)
            }
        case .backup(let path, let link, let temporary, let backup, let original):
            // The original is at the backup name or, mid-step, at the temporary one.
            let saved = try holds(original, at: backup) ? backup : (try holds(original, at: temporary) ? temporary : nil)
            if let saved {
                if try look(path) == nil {
                    try fileSystem.rename(saved, to: path, mode: .noReplace)
                } else if try holds(link, at: path) {
                    // A plain rename cannot put a directory over our link (ENOTDIR): swap them,
                    // which leaves our link at `saved`, removed below.
                    do {
                        try fileSystem.rename(saved, to: path, mode: .exchange)
                    } catch where Self.lacksExchange(error) {
                        try fileSystem.unlink(path)
                        try fileSystem.rename(saved, to: path, mode: .noReplace)
                    }
                } else if saved == temporary {
                    try restore(temporary, to: path, over: nil)  // taken meanwhile: to a backup name
                }
            }
            // Our link, wherever it is left: made but never swapped in, or swapped back out.
            for name in [temporary, backup] where try holds(link, at: name) {
                try fileSystem.unlink(name)
            }
            // A second name of the original, left by a move cut short.
            if try holds(original, at: temporary) { try restore(temporary, to: path, over: nil) }
        case .delete(let path, let trash, let original, _):
            if try holds(original, at: trash) {
                try restore(trash, to: path, over: nil)
            }
        case .adopt(let path, let link, let temporary, let destination, let parents, let original):
            try undoAdopt(path: path, link: link, temporary: temporary, destination: destination, parents: parents,
                          original: original)
        case .removeDirectory:
            break
        }
    }

    /// Returns the entry at `scratch` (the step's original) to `path`: over our `link`, into
    /// the free name, or, when `path` is another name of the very same file (a move cut short),
    /// by dropping the scratch name. Anything else at `path` appeared meanwhile and stays; the
    /// original then goes beside it to a backup name and is reported, never left under a
    /// scratch name (AUDIT3 F11).
    func restore(_ scratch: Path, to path: Path, over link: NewLink?) throws(FileSystemError) {
        if let link, try holds(link, at: path) {
            try fileSystem.rename(scratch, to: path, mode: .replace)
            return
        }
        guard let there = try look(path) else {
            try fileSystem.rename(scratch, to: path, mode: .noReplace)
            return
        }
        if let moved = try look(scratch), moved.isSameFile(as: there) {
            try fileSystem.unlink(scratch)
            return
        }
        if let name = moveAside(scratch, beside: path) {
            report("\(path) was changed meanwhile and kept; what mklnk had moved away from it is now \(name)")
        } else {
            report("\(path) was changed meanwhile and kept; what mklnk had moved away from it is still at \(scratch)")
        }
    }

    // MARK: Recognition

    /// `lstat` for recognition. Behind a parent that now leads outside the root nothing can be
    /// ours (mklnk never writes there), so that reads as "nothing here" rather than an error
    /// that would make every undo, and so every recovery, fail.
    func look(_ path: Path) throws(FileSystemError) -> FileStatus? {
        do {
            return try fileSystem.linkStatus(path)
        } catch {
            if case .escapesRoot = error.code { return nil }
            throw error
        }
    }

    /// Whether `path` is exactly the link described.
    func holds(_ link: NewLink, at path: Path) throws(FileSystemError) -> Bool {
        guard let status = try look(path) else { return false }
        if link.kind == .hardlink {
            guard status.kind == .regular, let file = try fileSystem.status(link.target, follow: true) else { return false }
            return file.isSameFile(as: status)
        }
        guard status.kind == .symlink else { return false }
        return try fileSystem.readLink(path) == link.target
    }

    /// Whether `path` is the original entry: the same symlink target, or the same inode.
    func holds(_ original: Original, at path: Path) throws(FileSystemError) -> Bool {
        guard let kind = original.kind, let status = try look(path), status.kind == kind else {
            return false
        }
        if kind == .symlink {
            return try fileSystem.readLink(path) == original.target
        }
        return status.device == original.device && status.inode == original.inode
    }
}
