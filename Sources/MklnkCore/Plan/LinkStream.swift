import MklnkYAML
import MklnkFileSystem

/// Parses `links:` entries as the YAML reader reads them, so the reader need not keep the
/// mapping's nodes (most of a large plan): each pair becomes a `PlanEntry`, or an error, at once.
///
/// The entries mean what they say only if the settings they were parsed with (`root`, `base`,
/// `vars`, `defaults`, all read before `links`) are the plan's final ones: `entries(final:)`
/// checks that the final top-level pairs for those keys are the very pairs used. Otherwise (a
/// setting written after `links`, or brought in by a merge key) the plan is loaded again with
/// its `links:` kept in the tree.
final class LinkStream {
    static let settingKeys = ["root", "base", "vars", "defaults"]
    private let context: LoadContext
    private var defaults = DefaultOptions()
    /// Where the key of the taken `links:` and the settings' keys stand.
    private var taken: Mark?
    private var used: [String: Mark] = [:]
    private var entries: [PlanEntry] = []

    init(context: LoadContext) { self.context = context }

    var watch: YAMLWatch {
        YAMLWatch(begins: { [unowned self] key, before in begin(key, before) },
                  pair: { [unowned self] pair in
                      if let entry = EntryParser(context: context).parseLink(pair, defaults: defaults) {
                          entries.append(entry)
                      }
                  })
    }

    /// True once `links:` was taken: its entries are parsed here, whether or not they hold.
    var began: Bool { taken != nil }

    private func begin(_ key: YAMLNode, _ before: [YAMLPair]) -> Bool {
        guard key.scalar == "links", taken == nil else { return false }
        var top: [String: YAMLPair] = [:]
        for pair in before {
            if let name = pair.key.scalar, top[name] == nil { top[name] = pair }  // the first wins, as in the tree
        }
        for name in Self.settingKeys { if let pair = top[name] { used[name] = pair.key.mark } }
        taken = key.mark
        // A block mapping has at most one entry a line: reserved so, the entries of a large plan
        // are never copied into an array twice their size on the way.
        entries.reserveCapacity(max(0, context.input.lineCount() - key.mark.line))
        // Diagnostics in the order of a load from the tree: settings, defaults, then entries.
        context.configure(top)
        if let pair = top["defaults"] { defaults = EntryParser(context: context).parseDefaults(pair.value) }
        context.feed?.begin(root: context.root)
        return true
    }

    /// The entries, when `top` (the final top-level pairs) has the settings they were parsed
    /// with and the `links:` mapping taken; nil when the plan must be loaded again.
    func entries(final top: [String: YAMLPair]) -> [PlanEntry]? {
        context.feed?.finish()
        guard top["links"]?.key.mark == taken else { return nil }
        for name in Self.settingKeys where top[name]?.key.mark != used[name] { return nil }
        return entries
    }
}
