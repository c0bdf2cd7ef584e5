import ArgumentParser
import MklnkCore
import MklnkFileSystem

/// The locks a mutating command holds (the state directory's, and each root's) and the
/// recovery of an interrupted apply that comes first.
extension Session {
    /// Takes the lock (exit 75 when another apply holds it), then settles any interrupted transaction.
    func beginMutation(recovering: Bool = true) throws {
        let fs = LocalFileSystem(root: "/")
        do {
            var missing: [Path] = []
            var dir = Paths.normalize(stateDirectory)
            while dir != "/", try fs.status(dir, follow: true) == nil {
                missing.append(dir)
                dir = Paths.parent(dir)
            }
            try fs.createDirectories(stateDirectory)
            createdDirectories = missing.reversed()
            guard let lock = try takeLock(fs) else {
                self.error("another mklnk apply holds the lock in \(stateDirectory); try again when it is done")
                throw Exit.locked
            }
            self.lock = lock
        } catch let error as FileSystemError {
            self.error("cannot lock the state directory: \(error.reason)")
            throw Exit.cannotApply
        }
        if recovering { try recover(announce: false) }
    }

    /// Takes the lock on `root` itself, held until exit, so that no other mklnk (whatever its
    /// state directory) changes the same root meanwhile; exit 75 after waiting `lockTimeout`.
    /// Returns true when it had to wait: another apply ran, and what was planned may be stale.
    @discardableResult
    func lockRoot(_ root: Path) throws -> Bool {
        if rootLocks[root] != nil { return false }
        do {
            if let lock = try FileLock.acquire(directory: root, timeout: 0) {
                rootLocks[root] = lock
                return false
            }
            if let lock = try FileLock.acquire(directory: root, timeout: Self.lockTimeout) {
                rootLocks[root] = lock
                return true
            }
        } catch where error.isNotFound {
            return false  // no root, nothing to write beneath it: the apply itself reports that
        } catch {
            self.error("cannot lock the root \(root): \(error.reason)")
            throw Exit.cannotApply
        }
        self.error("another mklnk apply holds the lock on the root \(root); try again when it is done")
        throw Exit.locked
    }

    private func takeLock(_ fs: LocalFileSystem) throws(FileSystemError) -> FileLock? {
        do {
            return try FileLock.acquire(stateDirectory + "/lock", timeout: Self.lockTimeout)
        } catch {
            guard error.isNotFound else { throw error }
            // A previous holder removed the directory it had made as we arrived: make it again.
            try fs.createDirectories(stateDirectory)
            return try FileLock.acquire(stateDirectory + "/lock", timeout: Self.lockTimeout)
        }
    }

    func recover(announce: Bool) throws {
        do {
            switch try Recovery.run(stateDirectory: stateDirectory, lockTimeout: Self.lockTimeout, fileSystem: makeFileSystem,
                                    setAside: { self.warning($0) }) {
            case .nothing:
                if announce && !common.quiet { console.out.line("Nothing to recover.") }
            case .rolledBack(let steps):
                if !common.quiet { console.err.line("mklnk: recovered an interrupted apply: rolled back \(steps) step\(steps == 1 ? "" : "s")") }
            case .finished(let steps):
                if !common.quiet { console.err.line("mklnk: recovered an interrupted apply: finished its \(steps) committed step\(steps == 1 ? "" : "s")") }
            case .damaged(let report, _):
                // Exit 1, nothing else done: the user reads what it holds before anything runs on.
                for line in report.split(separator: "\n", omittingEmptySubsequences: false) { self.error(String(line)) }
                console.flush()
                throw Exit.cannotApply
            case .busy(let root):
                self.error("another mklnk holds the lock on the root \(root); try again when it is done")
                console.flush()
                throw Exit.locked
            }
        } catch let error as FileSystemError {
            self.error("recovery of the interrupted apply failed: \(error); nothing else was changed")
            throw Exit.cannotApply
        }
        console.flush()
    }
}
