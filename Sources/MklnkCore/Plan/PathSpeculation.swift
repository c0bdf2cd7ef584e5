import MklnkYAML
import MklnkFileSystem

/// Offers each `links:` entry to the prefetch as the YAML is read, so the filesystem is read from
/// the start of the load on; the prefetch's worker works out its link path and target.
///
/// Root, base and variables are taken from the top-level keys read before `links`, in a scratch
/// context that only the worker uses, whose diagnostics are dropped: an entry that raises any is
/// not read ahead. The schema later takes an entry's paths instead of working them out again,
/// when the settings that decide them (`root`, `base`, `vars`) are equal in value to its own
/// (`PathSettings`): then both are the same computation on the same input.
final class PathSpeculation {
    private let scratch: LoadContext
    private let prefetch: Prefetch
    /// The settings the worker computes paths from.
    private var settings: PathSettings?
    /// Offered entries in document order: where the key and the value stand, and the slot.
    private var offered: [(key: Mark, value: Mark, slot: Int32)] = []
    private var cursor = 0
    private var begun = false

    init(file: String, options: LoadOptions, prefetch: Prefetch) {
        scratch = LoadContext(file: file, options: options)
        self.prefetch = prefetch
    }

    var watch: YAMLWatch {
        YAMLWatch(begins: { [unowned self] key, before in begin(key, before) }, pair: { [unowned self] in read($0) })
    }

    private func begin(_ key: String, _ before: [YAMLPair]) -> Bool {
        guard key == "links", !begun else { return false }
        begun = true
        var top: [String: YAMLPair] = [:]
        for pair in before {
            if let name = pair.key.scalar, top[name] == nil { top[name] = pair }  // the first wins, as in the tree
        }
        scratch.configure(top)
        settings = scratch.settings
        let scratch = self.scratch
        prefetch.begin(root: scratch.root) { link, target in Self.paths(link, target, in: scratch) }
        return true
    }

    /// A link to one scalar target, as `EntryParser.parseEntry` reads it. Not one that names a
    /// variable: placing a `${` for a message needs the scalar's marks and the source, which the
    /// worker does not have (the schema offers those links itself, once it has worked them out).
    private func read(_ pair: YAMLPair) {
        let dollar = UInt8(ascii: "$")
        guard let link = pair.key.scalar, case .scalar(let target, let style) = pair.value.content,
              !(target.isEmpty && style == .plain && pair.value.tag == nil),
              !Paths.contains(link, byte: dollar), !Paths.contains(target, byte: dollar),
              let slot = prefetch.offer(writtenLink: link, writtenTarget: target) else { return }
        offered.append((pair.key.mark, pair.value.mark, Int32(slot)))
    }

    /// On the worker: the absolute paths of a link as `parseEntry` works them out, when that
    /// raises no diagnostic and makes one link to one target.
    private static func paths(_ writtenLink: String, _ writtenTarget: String, in scratch: LoadContext)
        -> (link: Path, target: Path)? {
        let place = Mark(line: 0, column: 0)
        defer { if !scratch.diagnostics.items.isEmpty { scratch.diagnostics = Diagnostics() } }
        guard let link = scratch.linkPath(YAMLNode(.scalar(writtenLink, .plain), mark: place), what: "link path"),
              !link.trailingSlash,
              let target = scratch.path(YAMLNode(.scalar(writtenTarget, .plain), mark: place), what: "target", normalize: false),
              !Glob.isPattern(target), scratch.diagnostics.items.isEmpty else { return nil }
        return (link.path, scratch.targetPath(target))
    }

    /// Self, when the plan's final settings equal those the worker used; nil otherwise (and the
    /// reads stop if they were under another root).
    func holds(_ final: PathSettings) -> PathSpeculation? {
        guard begun else { return nil }
        if final.root != prefetch.root { prefetch.cancel() }
        return final == settings && prefetch.isOpen ? self : nil
    }

    /// The slot `pair` was offered in, if it was, and its paths once the worker has worked them
    /// out. Pairs are asked for in document order.
    func take(_ pair: YAMLPair) -> (slot: Int, paths: (link: Path, target: Path)?)? {
        let key = pair.key.mark
        while cursor < offered.count && offered[cursor].key < key { cursor += 1 }
        guard cursor < offered.count, offered[cursor].key == key, offered[cursor].value == pair.value.mark else {
            return nil
        }
        let slot = Int(offered[cursor].slot)
        return (slot, prefetch.paths(slot))
    }
}
