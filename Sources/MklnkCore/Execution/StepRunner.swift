#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// Performs, undoes and finishes steps. Undo and finish look at the filesystem first and act
/// only on what they recognise, so they are safe to run after a crash at any instant, and twice.
struct StepRunner {
    let fileSystem: FileSystem
    let checks: StepChecks
    /// Told what an undo could not put back at its name, and where it is instead.
    var report: (String) -> Void = { _ in }

    init(fileSystem: FileSystem) {
        self.fileSystem = fileSystem
        checks = StepChecks(fileSystem: fileSystem)
    }

    // MARK: Do

    /// Does `step`. Whatever a rename moves out of the way is checked under its new name to be
    /// what the plan saw; if not, it is put back and the step fails (see `StepChecks`).
    func perform(_ step: Step) throws(StepError) {
        func run(_ body: () throws(FileSystemError) -> Void) throws(StepError) {
            do { try body() } catch { throw StepError(error) }
        }
        switch step {
        case .makeDirectory(let path, let mode):
            do {
                try fileSystem.createDirectory(path, mode: mode)
            } catch {
                throw StepError(error.description, changedNothing: error.errnoValue == EEXIST)
            }
        case .setMode(let path, let mode):
            try run { () throws(FileSystemError) in try fileSystem.setMode(path, mode) }
        case .create(let path, let link):
            do {
                try make(link, at: path)
            } catch {
                throw StepError(error.description, changedNothing: error.errnoValue == EEXIST)
            }
        case .replace(let path, let link, let temporary, let original):
            try run { () throws(FileSystemError) in try make(link, at: temporary) }
            do {
                try fileSystem.rename(temporary, to: path, mode: .exchange)
            } catch where Self.lacksExchange(error) {
                try replaceWithoutExchange(path, link, temporary, original)
                return
            } catch {
                throw StepError(error)
            }
            try swapBackUnless(original, movedTo: temporary, from: path, replacedBy: link)
        case .backup(let path, let link, let temporary, let backup, let original):
            try run { () throws(FileSystemError) in try make(link, at: temporary) }
            // Only the exchange may fall back: once it is done, the fallback would move our
            // new link to the backup name and the original back.
            var exchanged = true
            do {
                try fileSystem.rename(temporary, to: path, mode: .exchange)
            } catch where Self.lacksExchange(error) {
                exchanged = false
            } catch {
                throw StepError(error)
            }
            if exchanged {
                try swapBackUnless(original, movedTo: temporary, from: path)
                try run { () throws(FileSystemError) in try fileSystem.rename(temporary, to: backup, mode: .noReplace) }
            } else {
                try run { () throws(FileSystemError) in try fileSystem.rename(path, to: backup, mode: .noReplace) }
                try putBackUnless(original, movedTo: backup, from: path)
                try run { () throws(FileSystemError) in try fileSystem.rename(temporary, to: path, mode: .noReplace) }
            }
        case .delete(let path, let trash, let original, let dangling):
            guard original.kind == .symlink || original.kind == .regular else {
                let what = original.kind.map { "a " + StepChecks.describe($0) } ?? "nothing"
                throw StepError("\(path): only links are deleted, and the plan saw \(what) there", changedNothing: true)
            }
            do {
                try fileSystem.rename(path, to: trash, mode: .noReplace)
            } catch {
                throw StepError(error.description, changedNothing: error.isNotFound || error.errnoValue == EEXIST)
            }
            try putBackUnless(original, movedTo: trash, from: path)
            if dangling, let problem = checks.revived(trash) {
                try putBack(trash, to: path, problem)
            }
            if original.kind == .regular, let problem = checks.keepsAnotherName(trash) {
                try putBack(trash, to: path, problem)
            }
        case .adopt(let path, let link, let temporary, let destination, let parents, let original):
            try performAdopt(path: path, link: link, temporary: temporary, destination: destination, parents: parents,
                             original: original)
        case .removeDirectory:
            break  // after the commit, once the links in it are gone (finish)
        }
    }

    private func changed(_ path: Path, _ problem: String) -> String {
        "\(path) changed since it was planned: \(problem)"
    }

    /// After an exchange of `path` with `temporary`: unless `temporary` now holds `original`,
    /// swaps the two back (our new link returns to `temporary`, where undo removes it) and fails.
    func swapBackUnless(_ original: Original, movedTo temporary: Path, from path: Path,
                        replacedBy link: NewLink? = nil) throws(StepError) {
        guard let problem = checks.mismatch(original, at: temporary, replacedBy: link) else { return }
        do {
            try fileSystem.rename(temporary, to: path, mode: .exchange)
        } catch {
            throw StepError(changed(path, problem) + "; it could not be swapped back (\(error.reason)) and is at \(temporary)")
        }
        throw StepError(changed(path, problem) + "; it was left in place")
    }

    /// After a rename of `path` to `moved`: unless `moved` holds `original`, renames it back.
    private func putBackUnless(_ original: Original, movedTo moved: Path, from path: Path) throws(StepError) {
        guard let problem = checks.mismatch(original, at: moved) else { return }
        try putBack(moved, to: path, problem)
    }

    /// Returns what is at `moved` to `path` and fails. If `path` was taken meanwhile, it goes to
    /// a backup name beside it instead: never is a user's file left under a scratch name.
    func putBack(_ moved: Path, to path: Path, _ problem: String) throws(StepError) {
        let outcome: String
        if (try? fileSystem.rename(moved, to: path, mode: .noReplace)) != nil {
            outcome = "it was left in place"
        } else if let name = moveAside(moved, beside: path) {
            outcome = "\(path) was taken meanwhile, so it was moved to \(name)"
        } else {
            outcome = "it could not be put back and is at \(moved)"
        }
        throw StepError(changed(path, problem) + "; " + outcome)
    }

    /// Renames `moved` to a free `PATH.mklnk-backup-<timestamp>[-N]`; nil when that fails.
    func moveAside(_ moved: Path, beside path: Path) -> Path? {
        let stamp = Transaction.timestamp()
        for n in 1...100 {
            let name: Path = n == 1 ? "\(path).mklnk-backup-\(stamp)" : "\(path).mklnk-backup-\(stamp)-\(n)"
            do {
                try fileSystem.rename(moved, to: name, mode: .noReplace)
                return name
            } catch {
                if error.errnoValue != EEXIST { return nil }
            }
        }
        return nil
    }

    func make(_ link: NewLink, at path: Path) throws(FileSystemError) {
        if link.kind == .hardlink {
            try fileSystem.createHardLink(at: path, to: link.target)
        } else {
            try fileSystem.createSymlink(at: path, target: link.target)
        }
    }

    /// Where `replace` moves the old entry when the filesystem lacks RENAME_EXCHANGE.
    static func kept(_ temporary: Path) -> Path { temporary + "-was" }

    static func lacksExchange(_ error: FileSystemError) -> Bool { error.isUnsupported }

    // MARK: Finish after commit

    /// Removes what the committed transaction no longer needs: replaced links and deleted ones.
    /// A regular file is unlinked only while another name keeps its bytes (checked in the same
    /// call as the unlink), or, for a stale hard link's old file, while they equal the new
    /// target's; otherwise it is kept and the returned note says where.
    func finish(_ step: Step) throws(FileSystemError) -> String? {
        switch step {
        case .replace(let path, let link, let temporary, let original):
            var note: String?
            for name in [temporary, Self.kept(temporary)] where try holds(original, at: name) {
                if original.kind != .regular || checks.sameContents(name, link.target) {
                    try fileSystem.unlink(name)
                } else if try !fileSystem.unlinkUnlessLast(name) {
                    note = keep(name, of: path, "its bytes changed after they were found equal to \(link.target)")
                }
            }
            return note
        case .delete(let path, let trash, let original, let dangling):
            guard try holds(original, at: trash) else { return nil }
            if dangling, let problem = checks.revived(trash) {
                return keep(trash, of: path, problem)
            }
            if original.kind != .regular {
                try fileSystem.unlink(trash)
            } else if try !fileSystem.unlinkUnlessLast(trash) {
                return keep(trash, of: path, "it became the last link to its file")
            }
            return nil
        case .removeDirectory(let path):
            try finishRemoveDirectory(path)
            return nil
        case .makeDirectory, .setMode, .create, .backup, .adopt:
            return nil
        }
    }

    /// Puts a file that may not be deleted back at `path`, or beside it when `path` is taken.
    private func keep(_ name: Path, of path: Path, _ why: String) -> String {
        if (try? fileSystem.rename(name, to: path, mode: .noReplace)) != nil {
            return "\(path) was kept: \(why)"
        }
        if let aside = moveAside(name, beside: path) {
            return "the old \(path) was kept as \(aside): \(why)"
        }
        return "the old \(path) was kept at \(name): \(why)"
    }
}
