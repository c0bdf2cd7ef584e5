import MklnkFileSystem

extension GraphBuilder {
    /// What a link takes from its entry once the entries are expanded: the entry's options and
    /// place. Entries in a row mostly have the same options (the plan's defaults): those are
    /// kept once, so an entry costs its place and a number.
    struct EntrySettings {
        private var distinct: [EntryOptions] = []
        private var entries: [(options: UInt32, location: SourceLocation)] = []

        init(_ planEntries: [PlanEntry]) {
            entries.reserveCapacity(planEntries.count)
            for e in planEntries {
                if distinct.last.map({ Self.same($0, e.options) }) != true { distinct.append(e.options) }
                entries.append((UInt32(distinct.count - 1), e.location))
            }
        }

        func options(of entry: Int) -> EntryOptions { distinct[Int(entries[entry].options)] }

        func location(of entry: Int) -> SourceLocation { entries[entry].location }

        /// Equal options (every field `PlanCacheTests.codecCoversEveryField` lists); one with a
        /// `select` is never taken for another.
        private static func same(_ a: EntryOptions, _ b: EntryOptions) -> Bool {
            a.kind == b.kind && a.relative == b.relative && a.type == b.type && a.missing == b.missing
                && a.relink == b.relink && a.conflict == b.conflict && a.parents == b.parents
                && a.canonical == b.canonical && a.exclude == b.exclude && a.select == nil && b.select == nil
        }
    }
}
