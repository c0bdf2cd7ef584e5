import MklnkTestSupport

/// The `mklnk` binary on a `TempTree(dotfiles:)`: `home/` is `$HOME` and the root, `dots/`
/// holds plans and targets, `state/` is passed as `--state-dir`.
extension TempTree {
    /// `mklnk ARGS --state-dir STATE` with HOME set to the tree's home.
    @discardableResult
    func mklnk(_ args: String..., environment: [String: String] = [:]) -> ApplyCLIResult {
        mklnk(args, environment: environment)
    }

    @discardableResult
    func mklnk(_ args: [String], environment: [String: String] = [:]) -> ApplyCLIResult {
        var env = ["HOME": home, "NO_COLOR": "1", "LANG": "C.UTF-8"]
        for (k, v) in environment { env[k] = v }
        return ApplyCLI.run(args + ["--state-dir", state], environment: env, scratch: dir)
    }

    /// Writes `dots/NAME` with the plan header and `body`; returns its path.
    @discardableResult
    func plan(_ body: String, name: String = "plan.yaml") -> String {
        file("@/" + name, "version: 1\nroot: ~\n" + body)
    }

    /// Everything under the tree but the state directory.
    func snapshot() -> TreeSnapshot { snapshot(excluding: ["state"]) }
}
