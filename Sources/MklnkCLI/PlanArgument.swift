#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkCore
import MklnkFileSystem

/// The plan file named on the command line is the file the kernel opens for it (SPEC §1, kernel
/// path semantics): `sub/../p.yaml` with `sub` a symlink is `p.yaml` beside where `sub` leads,
/// not the one a lexical rewrite finds beside `sub`.
enum PlanArgument {
    /// A plan file argument as the name the plan is known by (its bytes registered with
    /// `PlanFileName` when they are not UTF-8; `-` stays standard input): as given unless a `..` in it after a symlink makes the kernel name another file than the lexical
    /// rewrite every later step applies; then that file's absolute path. A missing directory
    /// before the `..` is stepped over as written, as in a link path (D5).
    static func kernel(_ parsed: String) -> String {
        guard parsed != StandardInput.argument else { return parsed }
        let written = RawArguments.path(parsed)
        return PlanFileName.name(for: resolved(written) ?? written)
    }

    private static func resolved(_ written: Path) -> Path? {
        guard KernelPath.head(written) != nil else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        let cwd = Path(cString: buffer)
        guard let resolved = try? KernelPath.absolute(written, base: cwd), resolved != Paths.absolute(written, base: cwd)
        else { return nil }
        return resolved
    }
}
