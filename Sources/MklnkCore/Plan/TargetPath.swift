import MklnkFileSystem

extension LoadContext {
    /// A target as written, made absolute against `base`. Normalised as paths are, except that a
    /// `..` is kept: after a symlink it does not undo the component before it, so only the
    /// kernel can say what it names (the graph asks it, `PhysicalPaths.kernelPath`). The one
    /// function for targets, for the schema and the read-ahead alike.
    func targetPath(_ expanded: Path) -> Path {
        guard PhysicalPaths.hasDotDot(expanded) else { return Paths.absolute(expanded, normalBase: base) }
        let joined = expanded.isAbsolute ? expanded : base + "/" + expanded
        let parts = joined.bytes.split(separator: UInt8(ascii: "/")).filter { !$0.elementsEqual(".".utf8) }
        return parts.reduce("/" as Path) { Paths.join($0, Path(bytes: $1)) }
    }
}
