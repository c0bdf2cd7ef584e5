import MklnkFileSystem

extension GraphBuilder {
    /// The planned link (its index) at or nearest above a path, beneath root. Answers for
    /// directories are remembered: links and targets come in directories, so each directory is
    /// walked up once, and looked up by its bytes within the path.
    struct PlannedPrefixes {
        let byPath: LinkPathIndex
        let root: [UInt8]
        /// Directory → the planned link at or above it, or -1 for none.
        private var directories = PathIndex()

        init(byPath: LinkPathIndex, root: Path) {
            self.byPath = byPath
            self.root = root.bytes
        }

        /// The planned link that is `path` or the nearest one above it.
        mutating func at(_ path: Path) -> Int? {
            path.withBytes { at($0) }
        }

        /// The planned link strictly above `path`.
        mutating func inDirectory(of path: Path) -> Int? {
            path.withBytes { p in
                Paths.lastSlash(p).flatMap { inDirectory(UnsafeBufferPointer(rebasing: p[..<max($0, 1)])) }
            }
        }

        private mutating func at(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
            let within = root.withUnsafeBufferPointer { path.count > $0.count && Paths.isWithin(path, $0) }
            guard within else { return nil }
            if let i = byPath.value(for: path) { return i }
            guard let slash = Paths.lastSlash(path) else { return nil }
            return inDirectory(UnsafeBufferPointer(rebasing: path[..<max(slash, 1)]))
        }

        private mutating func inDirectory(_ dir: UnsafeBufferPointer<UInt8>) -> Int? {
            if let known = directories.value(for: dir) { return known < 0 ? nil : known }
            let found = at(dir)
            directories.insert(Path(bytes: dir), found ?? -1)
            return found
        }
    }
}
