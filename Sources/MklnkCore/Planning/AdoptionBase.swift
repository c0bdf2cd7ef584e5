import MklnkFileSystem

extension Planner {
    /// Why `destination` is no place to adopt a file into: it does not lie beneath `base` as the
    /// kernel finds both (a symlink inside base may lead elsewhere); nil when it does.
    static func outsideBase(_ destination: Path, _ base: Path, _ fileSystem: FileSystem) -> String? {
        let physicalBase = CanonicalTarget.resolve(base, fileSystem)
        let physical = CanonicalTarget.resolve(destination, fileSystem)
        if Paths.isWithin(physical, physicalBase) && physical != physicalBase { return nil }
        return "cannot adopt into \(destination): it lies outside base \(base) (conflict: adopt moves files into base only)"
    }
}
