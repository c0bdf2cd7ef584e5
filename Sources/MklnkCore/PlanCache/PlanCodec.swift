#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

/// A `Plan` as compact bytes for the plan cache, and back. Every field of `Plan` is written;
/// reading checks every length, count and enum against what is left, and gives nil for anything
/// that is not exactly what `encode` writes (the cache file is checksummed as a whole as well).
enum PlanCodec {
    static func encode(_ plan: Plan, into w: inout ByteWriter) {
        var sources = SourceTable()
        w.string(plan.file)
        w.number(UInt64(plan.version))
        w.path(plan.root)
        w.path(plan.base)
        w.path(plan.home)
        w.number(UInt64(plan.variables.count))
        for (name, value) in plan.variables.sorted(by: { $0.key < $1.key }) {
            w.string(name)
            w.string(value)
        }
        w.number(UInt64(plan.entries.count))
        var previous = (link: Path(""), target: Path(""))
        for e in plan.entries { encode(e, into: &w, &sources, &previous) }
        w.number(UInt64(plan.removals.count))
        for r in plan.removals {
            w.path(r.path)
            sources.write(r.location, into: &w)
        }
        w.number(UInt64(plan.directories.count))
        for d in plan.directories {
            w.path(d.path)
            w.flag(d.mode != nil)
            w.number(UInt64(d.mode ?? 0))
            sources.write(d.location, into: &w)
        }
        w.number(UInt64(plan.cleans.count))
        for c in plan.cleans {
            w.path(c.path)
            w.flag(c.recursive)
            sources.write(c.location, into: &w)
        }
    }

    private static func encode(_ e: PlanEntry, into w: inout ByteWriter, _ sources: inout SourceTable,
                               _ previous: inout (link: Path, target: Path)) {
        w.path(e.link, after: &previous.link)
        w.flag(e.isDirectory)
        w.number(UInt64(e.targets.count))
        for t in e.targets {
            w.path(t.value, after: &previous.target)
            sources.write(t.location, into: &w)
        }
        let o = e.options
        w.choice(o.kind)
        w.flag(o.relative)
        w.flag(o.type != nil)
        w.choice(o.type ?? .file)
        w.choice(o.missing)
        w.flag(o.relink)
        w.choice(o.conflict)
        w.flag(o.parents)
        w.flag(o.canonical)
        w.number(UInt64(o.exclude.count))
        for x in o.exclude { w.string(x) }
        w.flag(o.select != nil)
        if let s = o.select {
            for range in [s.size, s.modified] {
                w.flag(range != nil)
                w.optionalInteger(range?.low)
                w.optionalInteger(range?.high)
            }
            for b in [s.hidden, s.readonly, s.executable] {
                w.flag(b != nil)
                w.flag(b ?? false)
            }
        }
        sources.write(e.location, into: &w)
    }

    /// Decodes a plan; `entry` sees each entry as soon as it is read, with the plan's root.
    static func decode(_ r: inout ByteReader, entry: (Path, PlanEntry) -> Void = { _, _ in }) -> Plan? {
        var sources = SourceTable()
        guard let file = r.string(), let version = r.int(), let root = r.path(), let base = r.path(), let home = r.path(),
              let variableCount = r.count() else { return nil }
        var variables: [String: String] = [:]
        for _ in 0..<variableCount {
            guard let name = r.string(), let value = r.string() else { return nil }
            variables[name] = value
        }
        guard let entryCount = r.count() else { return nil }
        var entries: [PlanEntry] = []
        entries.reserveCapacity(entryCount)
        var previous = (link: Path(""), target: Path(""))
        for _ in 0..<entryCount {
            guard let e = decodeEntry(&r, &sources, &previous) else { return nil }
            entry(root, e)
            entries.append(e)
        }
        guard let removalCount = r.count() else { return nil }
        var removals: [Removal] = []
        for _ in 0..<removalCount {
            guard let path = r.path(), let at = sources.read(&r) else { return nil }
            removals.append(Removal(path: path, location: at))
        }
        var plan = Plan(file: file, version: version, root: root, base: base, home: home, variables: variables,
                        entries: entries, removals: removals)
        guard let directoryCount = r.count() else { return nil }
        for _ in 0..<directoryCount {
            guard let path = r.path(), let hasMode = r.flag(), let mode = r.number(), mode <= UInt64(UInt32.max),
                  let at = sources.read(&r) else { return nil }
            plan.directories.append(PlanDirectory(path: path, mode: hasMode ? UInt32(mode) : nil, location: at))
        }
        guard let cleanCount = r.count() else { return nil }
        for _ in 0..<cleanCount {
            guard let path = r.path(), let recursive = r.flag(), let at = sources.read(&r) else { return nil }
            plan.cleans.append(PlanClean(path: path, recursive: recursive, location: at))
        }
        return plan
    }

    private static func decodeEntry(_ r: inout ByteReader, _ sources: inout SourceTable,
                                    _ previous: inout (link: Path, target: Path)) -> PlanEntry? {
        guard let link = r.path(after: &previous.link), let isDirectory = r.flag(), let targetCount = r.count() else { return nil }
        var targets = EntryTargets()
        for _ in 0..<targetCount {
            guard let path = r.path(after: &previous.target), let at = sources.read(&r) else { return nil }
            targets.append(Located(path, at: at))
        }
        var o = EntryOptions()
        guard let kind: LinkKind = r.choice(), let relative = r.flag(), let hasType = r.flag(), let type: TargetType = r.choice(),
              let missing: MissingPolicy = r.choice(), let relink = r.flag(), let conflict: ConflictPolicy = r.choice(),
              let parents = r.flag(), let canonical = r.flag(), let excludeCount = r.count() else { return nil }
        (o.kind, o.relative, o.type, o.missing, o.relink) = (kind, relative, hasType ? type : nil, missing, relink)
        (o.conflict, o.parents, o.canonical) = (conflict, parents, canonical)
        for _ in 0..<excludeCount {
            guard let x = r.string() else { return nil }
            o.exclude.append(x)
        }
        guard let hasSelect = r.flag() else { return nil }
        if hasSelect {
            var s = Selection()
            var ranges: [ValueRange?] = []
            for _ in 0..<2 {
                guard let has = r.flag(), let low = r.optionalInteger(), let high = r.optionalInteger() else { return nil }
                ranges.append(has ? ValueRange(low: low, high: high) : nil)
            }
            var bools: [Bool?] = []
            for _ in 0..<3 {
                guard let has = r.flag(), let value = r.flag() else { return nil }
                bools.append(has ? value : nil)
            }
            (s.size, s.modified, s.hidden, s.readonly, s.executable) = (ranges[0], ranges[1], bools[0], bools[1], bools[2])
            o.select = s
        }
        guard let at = sources.read(&r) else { return nil }
        return PlanEntry(link: link, isDirectory: isDirectory, targets: targets, options: o, location: at)
    }
}

/// Source files by number within one encoded plan: a name is written where it first appears.
private struct SourceTable {
    private var ids: [SourceFile: UInt64] = [:]
    private var files: [SourceFile] = []
    /// Almost every location names the plan file: the last one is found without hashing.
    private var last: (file: SourceFile, id: UInt64)?

    mutating func write(_ l: SourceLocation, into w: inout ByteWriter) {
        if let last, last.file == l.source {
            w.number(last.id + 1)
        } else if let id = ids[l.source] {
            last = (l.source, id)
            w.number(id + 1)
        } else {
            ids[l.source] = UInt64(ids.count)
            last = (l.source, UInt64(ids.count - 1))
            w.number(0)
            w.string(l.source.name)
        }
        w.number(UInt64(l.line))
        w.number(UInt64(l.column))
    }

    mutating func read(_ r: inout ByteReader) -> SourceLocation? {
        guard let tag = r.number() else { return nil }
        let file: SourceFile
        if tag == 0 {
            guard let name = r.string() else { return nil }
            file = SourceFile(name)
            files.append(file)
        } else {
            guard tag <= UInt64(files.count) else { return nil }
            file = files[Int(tag - 1)]
        }
        guard let line = r.int(), let column = r.int() else { return nil }
        return SourceLocation(file, line: line, column: column)
    }
}
