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
                if try holds(link, at: path) {
                    try fileSystem.rename(temporary, to: path, mode: .replace)
                }
            } else if try holds(link, at: temporary) {
                try fileSystem.unlink(temporary)  // made but never swapped in
            }
            // Replaced without exchange (StepRunner+NoExchange): the old entry moved out to `kept`.
            let kept = Self.kept(temporary)
            if try holds(original, at: kept) {
                if try holds(link, at: path) {
                    try fileSystem.rename(kept, to: path, mode: .replace)
                } else if try holds(original, at: path) {
                    try fileSystem.unlink(kept)  // a second name of it: a move cut short
                } else if try look(path) == nil {
                    try fileSystem.rename(kept, to: path, mode: .noReplace)
                }
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
                }
            }
            // Our link, wherever it is left: made but never swapped in, or swapped back out.
            for name in [temporary, backup] where try holds(link, at: name) {
                try fileSystem.unlink(name)
            }
        case .delete(let path, let trash, let original, _):
            if try look(path) == nil, try holds(original, at: trash) {
                try fileSystem.rename(trash, to: path, mode: .noReplace)
            }
        case .adopt(let path, let link, let temporary, let destination, let parents, let original):
            try undoAdopt(path: path, link: link, temporary: temporary, destination: destination, parents: parents,
                          original: original)
        case .removeDirectory:
            break
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
