import MklnkFileSystem

/// Performs, undoes and finishes steps. Undo and finish look at the filesystem first and act
/// only on what they recognise, so they are safe to run after a crash at any instant, and twice.
struct StepRunner {
    let fileSystem: FileSystem

    // MARK: Do

    func perform(_ step: Step) throws(FileSystemError) {
        switch step {
        case .makeDirectory(let path):
            try fileSystem.createDirectory(path)
        case .setMode(let path, let mode):
            try fileSystem.setMode(path, mode)
        case .create(let path, let link):
            try make(link, at: path)
        case .replace(let path, let link, let temporary, let original):
            try make(link, at: temporary)
            do {
                try fileSystem.rename(temporary, to: path, mode: .exchange)
            } catch where Self.lacksExchange(error) {
                // No RENAME_EXCHANGE here: replacing still is atomic. Undo re-creates an old
                // symlink from the journal; an old hard link keeps its inode under a second name.
                if original.kind != .symlink {
                    try fileSystem.createHardLink(at: Self.kept(temporary), to: path)
                }
                try fileSystem.rename(temporary, to: path, mode: .replace)
            }
        case .backup(let path, let link, let temporary, let backup, _):
            try make(link, at: temporary)
            // Only the exchange may fall back: once it is done, the fallback would move our
            // new link to the backup name and the original back.
            var exchanged = true
            do {
                try fileSystem.rename(temporary, to: path, mode: .exchange)
            } catch where Self.lacksExchange(error) {
                exchanged = false
            }
            if exchanged {
                try fileSystem.rename(temporary, to: backup, mode: .noReplace)
            } else {
                try fileSystem.rename(path, to: backup, mode: .noReplace)
                try fileSystem.rename(temporary, to: path, mode: .noReplace)
            }
        case .delete(let path, let trash, _):
            try fileSystem.rename(path, to: trash, mode: .noReplace)
        }
    }

    private func make(_ link: NewLink, at path: Path) throws(FileSystemError) {
        if link.kind == .hardlink {
            try fileSystem.createHardLink(at: path, to: link.target)
        } else {
            try fileSystem.createSymlink(at: path, target: link.target)
        }
    }

    /// Where `replace` keeps an old hard link when the filesystem lacks RENAME_EXCHANGE.
    static func kept(_ temporary: Path) -> Path { temporary + "-was" }

    private static func lacksExchange(_ error: FileSystemError) -> Bool { error.isUnsupported }

    // MARK: Undo

    func undo(_ step: Step) throws(FileSystemError) {
        switch step {
        case .makeDirectory(let path):
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
            } else if original.kind == .symlink, try holds(link, at: path) {
                // Replaced without exchange: the old symlink exists only in the journal.
                try fileSystem.createSymlink(at: temporary, target: original.target)
                try fileSystem.rename(temporary, to: path, mode: .replace)
            }
            // Replaced without exchange, an old hard link under its second name.
            let kept = Self.kept(temporary)
            if try holds(original, at: kept) {
                if try holds(link, at: path) {
                    try fileSystem.rename(kept, to: path, mode: .replace)
                } else if try holds(original, at: path) {
                    try fileSystem.unlink(kept)  // linked, but never replaced
                }
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
        case .delete(let path, let trash, let original):
            if try look(path) == nil, try holds(original, at: trash) {
                try fileSystem.rename(trash, to: path, mode: .noReplace)
            }
        }
    }

    // MARK: Finish after commit

    /// Removes what the committed transaction no longer needs: replaced links and deleted ones.
    func finish(_ step: Step) throws(FileSystemError) {
        switch step {
        case .replace(_, _, let temporary, let original):
            for name in [temporary, Self.kept(temporary)] where try holds(original, at: name) {
                try fileSystem.unlink(name)
            }
        case .delete(_, let trash, let original):
            if try holds(original, at: trash) { try fileSystem.unlink(trash) }
        case .makeDirectory, .setMode, .create, .backup:
            break
        }
    }

    // MARK: Recognition

    /// `lstat` for recognition. Behind a parent that now leads outside the root nothing can be
    /// ours (mklnk never writes there), so that reads as "nothing here" rather than an error
    /// that would make every undo, and so every recovery, fail.
    private func look(_ path: Path) throws(FileSystemError) -> FileStatus? {
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
