#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// The adopt step (SPEC §1 `conflict: adopt`): the file at `path` moves to `destination` in
/// `base` and the link takes its place. Only renames (and, for a hard link, a second name), so
/// the file keeps its bytes, mode and inode, and a cross-device move fails (EXDEV) instead of
/// copying. Where the kernel has RENAME_EXCHANGE the path is never empty on the way: the new
/// link is swapped in first.
extension StepRunner {
    /// The filesystem to reach `path` through: confined beneath root, unconfined outside it
    /// (where `base` may lie).
    func place(_ path: Path) -> FileSystem {
        Paths.isWithin(path, fileSystem.root) && path != fileSystem.root ? fileSystem : fileSystem.unconfined()
    }

    /// Checked at the moment of acting (`StepChecks`): the file is still the one planned before
    /// anything moves, and what the exchange moved out is it; otherwise nothing is left changed.
    func performAdopt(path: Path, link: NewLink, temporary: Path, destination: Path, parents: [Path],
                      original: Original) throws(StepError) {
        func run(_ body: () throws(FileSystemError) -> Void) throws(StepError) {
            do { try body() } catch { throw StepError(error) }
        }
        let into = place(destination)
        if let problem = checks.mismatch(original, at: path) {
            throw StepError("\(path) changed since it was planned: \(problem); nothing was adopted", changedNothing: true)
        }
        for parent in parents {
            try run { () throws(FileSystemError) in try into.createDirectory(parent) }
        }
        if link.kind == .hardlink {
            // The file keeps its name here; its second name in base is the target.
            try run { () throws(FileSystemError) in try into.createHardLink(at: destination, to: path) }
            if !((try? holds(original, at: destination, in: into)) ?? false) {
                try? into.unlink(destination)  // a name of whatever was swapped in: ours to take back
                throw StepError("\(path) changed while it was linked into \(destination); nothing was adopted")
            }
            return
        }
        try run { () throws(FileSystemError) in try make(link, at: temporary) }
        do {
            try fileSystem.rename(temporary, to: path, mode: .exchange)
        } catch where error.isUnsupported {
            try run { () throws(FileSystemError) in try into.rename(path, to: destination, mode: .noReplace) }
            // What the rename moved out must be the planned file; otherwise it goes back.
            if !((try? holds(original, at: destination, in: into)) ?? false) {
                try? into.rename(destination, to: path, mode: .noReplace)
                throw StepError("\(path) changed while it was moved into \(destination); it was put back")
            }
            try run { () throws(FileSystemError) in try fileSystem.rename(temporary, to: path, mode: .noReplace) }
            return
        } catch {
            throw StepError(error)
        }
        try swapBackUnless(original, movedTo: temporary, from: path)
        try run { () throws(FileSystemError) in try into.rename(temporary, to: destination, mode: .noReplace) }
    }

    /// Puts the file back at `path` from wherever the step left it, and removes the new link.
    func undoAdopt(path: Path, link: NewLink, temporary: Path, destination: Path, parents: [Path],
                   original: Original) throws(FileSystemError) {
        let into = place(destination)
        defer {
            // The directories made for it, innermost first, if they are (still) empty.
            for parent in parents.reversed() where (try? into.status(parent, follow: false))??.kind == .directory {
                try? into.removeDirectory(parent)
            }
        }
        if link.kind == .hardlink {
            if try holds(original, at: destination, in: into), try holds(original, at: path) {
                try into.unlink(destination)
            }
            return
        }
        for (saved, fs) in [(destination, into), (temporary, fileSystem)] where try holds(original, at: saved, in: fs) {
            if fs === fileSystem {
                try restore(saved, to: path, over: link)
            } else if try look(path) == nil {
                try fs.rename(saved, to: path, mode: .noReplace)
            } else if try holds(link, at: path) {
                try fs.rename(saved, to: path, mode: .replace)  // a file over our symlink, atomically
            } else if let there = try look(path), let moved = try fs.status(saved, follow: false), moved.isSameFile(as: there) {
                try fs.unlink(saved)  // a second name of it: a move cut short
            }
            break
        }
        if try holds(link, at: temporary) { try fileSystem.unlink(temporary) }
    }

    /// Whether `path`, reached through `fs`, is the original file (same inode).
    func holds(_ original: Original, at path: Path, in fs: FileSystem) throws(FileSystemError) -> Bool {
        if fs === fileSystem { return try holds(original, at: path) }
        guard let status = try fs.status(path, follow: false) else { return false }
        return status.kind == original.kind && status.device == original.device && status.inode == original.inode
    }

    /// After a destroy commits: a directory mklnk made, removed if it is (still) empty.
    func finishRemoveDirectory(_ path: Path) throws(FileSystemError) {
        guard try look(path)?.kind == .directory else { return }
        do {
            try fileSystem.removeDirectory(path)
        } catch where error.errnoValue == ENOTEMPTY || error.errnoValue == EEXIST {
            // Something was put in it since: it is kept, as the preview could not know.
        }
    }
}
