import MklnkFileSystem

/// `replace` where the filesystem lacks RENAME_EXCHANGE (NFS, CIFS, some FUSE filesystems).
/// The old entry moves out to `kept(temporary)` and is checked there; the new link then takes
/// the free name by a rename that never replaces: a file that appears at the path meanwhile
/// makes the step fail instead of being overwritten (AUDIT3 F8). Not atomic: for a moment
/// nothing is at the path; never is anything there replaced that was not checked.
extension StepRunner {
    func replaceWithoutExchange(_ path: Path, _ link: NewLink, _ temporary: Path, _ original: Original) throws(StepError) {
        let kept = Self.kept(temporary)
        do {
            try fileSystem.rename(path, to: kept, mode: .noReplace)
        } catch {
            throw StepError(error)  // undo removes the new link at `temporary`
        }
        if let problem = checks.mismatch(original, at: kept, replacedBy: link) {
            try putBack(kept, to: path, problem)
        }
        do {
            try fileSystem.rename(temporary, to: path, mode: .noReplace)
        } catch {
            // Our link at the path (the rename took effect, then failed) or nothing there: undo
            // returns the old entry. Anything else appeared meanwhile and stays; the old entry
            // goes beside it.
            if (try? holds(link, at: path)) == true || (try? look(path)) == .some(nil) { throw StepError(error) }
            try putBack(kept, to: path, "something appeared there while it was being replaced (\(error.reason))")
        }
    }
}
