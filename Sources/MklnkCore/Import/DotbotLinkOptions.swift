import MklnkYAML

/// The options of one dotbot `link` entry after dotbot's defaults (plugins/link.py), with the
/// node each came from for warnings.
struct DotbotLinkOptions {
    var relative = false
    var canonicalize = true
    var type = "symlink"
    var force = false
    var relink = false
    var create = false
    var glob = false
    var backup = false
    var prefix = ""
    var ignoreMissing = false
    var exclude: [String] = []
    var condition: (command: String, node: YAMLNode)?
    var forceNode: YAMLNode?
    var typeNode: YAMLNode?
    var prefixNode: YAMLNode?

    static let names = ["path", "relative", "canonicalize", "canonicalize-path", "type", "force", "relink", "create",
                        "glob", "backup", "prefix", "ignore-missing", "exclude", "if"]

    /// Reads the options of a mapping (an entry's or `defaults.link`); `path` is left to the caller.
    mutating func read(_ pairs: [YAMLPair], _ context: ImportContext) {
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            let value = pair.value
            func flag(_ apply: (inout DotbotLinkOptions, Bool) -> Void) {
                if let b = DotbotScalar.bool(value) { apply(&self, b) } else {
                    context.warning("dotbot option '\(key)' takes true or false; found \(value.kindDescription) (ignored)", value)
                }
            }
            switch key {
            case "path": continue
            case "relative": flag { $0.relative = $1 }
            case "canonicalize", "canonicalize-path": flag { $0.canonicalize = $1 }
            case "force": flag { $0.force = $1 }; forceNode = pair.key
            case "relink": flag { $0.relink = $1 }
            case "create": flag { $0.create = $1 }
            case "glob": flag { $0.glob = $1 }
            case "backup": flag { $0.backup = $1 }
            case "ignore-missing": flag { $0.ignoreMissing = $1 }
            case "type":
                type = DotbotScalar.string(value) ?? ""
                typeNode = value
            case "prefix":
                prefix = DotbotScalar.string(value) ?? ""
                prefixNode = value
            case "exclude":
                if let list = DotbotScalar.strings(value) { exclude = list } else {
                    context.warning("dotbot option 'exclude' takes a list of globs; found \(value.kindDescription) (ignored)", value)
                }
            case "if":
                if let command = DotbotScalar.string(value) { condition = (command, value) } else {
                    context.warning("dotbot option 'if' takes a shell command; found \(value.kindDescription) (ignored)", value)
                }
            default:
                context.warning("unknown dotbot link option '\(key)' (dotbot ignores it)\(Suggestion.hint(key, in: Self.names))",
                                pair.key)
            }
        }
    }

    /// The mklnk options these stand for, every one written out (the plan's defaults take the
    /// common ones), `when` excepted.
    func mklnk() -> [(String, PlanText.Value)] {
        let hard = type == "hardlink"
        var out: [(String, PlanText.Value)] = [("kind", .string(hard ? "hardlink" : "symlink"))]
        // dotbot ignores `relative` for hard links; mklnk calls that an invalid plan.
        out.append(("relative", .bool(relative && !hard)))
        out.append(("canonical", .bool(canonicalize)))
        // force deletes a symlink with another target, as relink does.
        out.append(("relink", .bool(relink || force)))
        // mklnk never deletes what is in the way: force and backup both move it aside.
        out.append(("conflict", .string(backup || force ? "backup" : "fail")))
        out.append(("parents", .bool(create)))
        out.append(("missing", .string(ignoreMissing ? "allow" : "error")))
        return out
    }
}
