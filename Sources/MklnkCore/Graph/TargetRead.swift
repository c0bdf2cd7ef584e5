import MklnkFileSystem

/// A target's status as read, or why it could not be.
struct TargetRead {
    var status: FileStatus?
    var error: FileSystemError?

    init(status: FileStatus? = nil, error: FileSystemError? = nil) {
        self.status = status
        self.error = error
    }

    /// `path`'s status, followed, read now.
    init(_ path: Path, in fileSystem: FileSystem) {
        do throws(FileSystemError) {
            self.init(status: try fileSystem.status(path, follow: true))
        } catch {
            self.init(error: error)
        }
    }
}
