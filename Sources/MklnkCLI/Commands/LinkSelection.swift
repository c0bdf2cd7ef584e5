import ArgumentParser
import MklnkCore

/// MKLNK's file selection on the command line: what a plan writes as `exclude:` and `select:`.
/// As in MKLNK, a range or an exclusion anywhere on the line applies to every target.
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("exclude"),
            help: ArgumentHelp("Leave out matches whose name, or path below the current directory, matches GLOB (repeatable).",
                               valueName: "glob"))
    var exclude: [String] = []

    @Option(help: ArgumentHelp("Only matches whose size is in LOW..HIGH (512, 1K, 10M, 2G; either end open).",
                               valueName: "low..high"))
    var size: String?

    @Option(help: ArgumentHelp("Only matches modified in LOW..HIGH (ISO 8601 dates or date-times; either end open).",
                               valueName: "low..high"))
    var modified: String?

    @Option(name: .customLong("select"),
            help: ArgumentHelp("Only matches with an attribute: hidden=, readonly= or executable= true|false (repeatable; MKLNK's /A:).",
                               valueName: "attr=bool"))
    var select: [String] = []

    var isEmpty: Bool { exclude.isEmpty && size == nil && modified == nil && select.isEmpty }

    func validate() throws { _ = try filter() }

    /// The plan's filter these flags spell; a usage error names the flag that does not parse.
    func filter() throws -> TargetFilter {
        var selection = Selection()
        var any = false
        if let size {
            guard let range = Selection.parseSizeRange(size) else {
                throw ValidationError("bad --size range '\(size)'; expected LOW..HIGH with either end open (1K..10M, ..512, 1G..)")
            }
            selection.size = range
            any = true
        }
        if let modified {
            guard let range = Selection.parseDateRange(modified) else {
                throw ValidationError("bad --modified range '\(modified)'; expected LOW..HIGH with either end open (2024-01-01.., ..2024-12-31T18:00)")
            }
            selection.modified = range
            any = true
        }
        for item in select {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["hidden", "readonly", "executable"].contains(parts[0]) else {
                throw ValidationError("--select takes hidden=, readonly= or executable= with true or false; got '\(item)'")
            }
            guard let value = ["true": true, "false": false][parts[1]] else {
                throw ValidationError("--select \(parts[0]) must be true or false; got '\(parts[1])'")
            }
            switch parts[0] {
            case "hidden": selection.hidden = value
            case "readonly": selection.readonly = value
            default: selection.executable = value
            }
            any = true
        }
        return TargetFilter(exclude: exclude, select: any ? selection : nil)
    }
}
