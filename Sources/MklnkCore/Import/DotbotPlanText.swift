/// The imported plan as text.
extension DotbotTranslator {
    /// mklnk's own defaults: the plan's `defaults:` lists only what differs from them.
    static let mklnkDefaults: [(String, PlanText.Value)] = [
        ("kind", .string("symlink")), ("relative", .bool(false)), ("canonical", .bool(false)), ("relink", .bool(true)),
        ("conflict", .string("fail")), ("parents", .bool(true)), ("missing", .string("error")),
    ]

    func planText() -> String {
        // Comments, whatever the file is called (a newline in its name must not end the comment).
        var out = [
            PlanText.comment("mklnk plan imported from \(context.file) by `mklnk import dotbot`."),
            PlanText.comment("Apply: mklnk import dotbot \(context.file) | mklnk apply -"),
        ]
        if !context.warnings.isEmpty {
            out.append("#")
            out.append("# Warnings of the import (each also printed on stderr):")
            for w in context.warnings { out.append(PlanText.comment("  " + w)) }
        }
        out.append("version: 1")
        if outsideHome {
            out.append("# Some paths lie outside $HOME, the default root.")
            out.append("root: \"/\"")
        }
        out.append("base: " + PlanText.quote(context.base))
        let defaults = (planDefaults ?? []).filter { pair in
            !Self.mklnkDefaults.contains { $0.0 == pair.0 && $0.1 == pair.1 }
        }
        if !defaults.isEmpty {
            out.append("defaults:")
            for (k, v) in defaults { out.append("  \(k): \(v.text)") }
        }
        if !dirs.isEmpty {
            out.append("dirs:")
            for d in dirs { out.append("  - " + d.text) }
        }
        if !cleans.isEmpty {
            out.append("clean:")
            for c in cleans { out.append("  - " + c.text) }
        }
        let active = links.contains { !$0.hasPrefix("  #") }
        out.append(active ? "links:" : "links: {}")
        out += links
        return out.joined(separator: "\n") + "\n"
    }
}
