import MklnkFileSystem
import MklnkYAML

/// `root:` and `base:` written with `..` name what the kernel makes of them (SPEC §1, kernel
/// path semantics): `base: sub/..` with `sub` a symlink to `real/inner` is `real`, not the plan's
/// directory a lexical rewrite gives. Without a `..` a path is its lexical self.
extension LoadContext {
    /// A `root:` or `base:` value, absolute against the plan's directory, resolved as the kernel
    /// does up to its last `..`. A missing directory before the `..` is stepped over as written,
    /// as for a link path (D5). A load that resolved one read the disk: it is not cached.
    func settingPath(_ node: YAMLNode, what: String) -> Path? {
        guard let expanded = path(node, what: what, normalize: false) else { return nil }
        guard KernelPath.head(expanded) != nil else { return Paths.absolute(expanded, normalBase: planDirectory) }
        options.facts.environment.recorder?.noteDiskRead()
        return (try? KernelPath.absolute(expanded, base: planDirectory)) ?? Paths.absolute(expanded, normalBase: planDirectory)
    }
}
