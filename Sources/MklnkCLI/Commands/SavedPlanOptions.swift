import MklnkCore
import MklnkFileSystem

/// `--root` and `--var` with `apply --saved` (audit F15): the saved plan was planned, and its
/// variables expanded, for one root and one set of values. Giving the same again is fine (a
/// script passes its usual options); giving others is a usage error (64), never silently
/// ignored. (`--no-prune` is honoured, `--keep-going` too: `ApplyCommand.applySaved`.)
enum SavedPlanOptions {
    static func check(_ saved: SavedPlan, common: CommonOptions, session: Session) throws {
        if let root = common.rootPath(session.facts), Paths.normalize(root) != saved.root {
            session.error("--root \(root) is not the root the plan was saved for (\(saved.root)); "
                          + "a saved plan applies to its own root (save it again with 'mklnk plan PLAN --root DIR --out FILE')")
            throw Exit.usage
        }
        let given = common.loadOptions(session.facts).variables
        if !given.isEmpty, SavedPlanSeal.digest(of: given) != saved.variablesDigest {
            session.error("--var values differ from those the plan was saved with; its variables were expanded then "
                          + "(save it again with 'mklnk plan PLAN --var NAME=VALUE --out FILE')")
            throw Exit.usage
        }
    }
}
