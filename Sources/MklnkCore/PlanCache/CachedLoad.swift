import MklnkFileSystem

extension PlanCache {
    /// Loads `file` as `PlanLoader.loadWithPartial` does, from `cache` when it holds this very
    /// load; otherwise loads it, noting the environment variables looked up, and stores a plan
    /// that loaded without any diagnostic.
    static func load(file: String, options: LoadOptions, fileSystem: FileSystem, prefetch: Prefetch,
                     cache: PlanCache?) -> (plan: Plan?, partial: Plan?, Diagnostics) {
        guard let cache else {
            return PlanLoader.loadWithPartial(file: file, options: options, fileSystem: fileSystem, prefetch: prefetch)
        }
        let source = PlanSource.read(file: file, options: options, fileSystem: fileSystem)
        guard let bytes = source.bytes else { return (nil, nil, source.diagnostics) }
        if let plan = cache.lookup(name: source.name, bytes: bytes, options: options) {
            prefetch.offer(plan)
            return (plan, nil, Diagnostics())
        }
        var recording = options
        let recorder = EnvironmentRecorder()
        recording.facts.environment.recorder = recorder
        let (plan, partial, diagnostics) = PlanLoader.loadWithPartial(file: source.name, bytes: bytes, options: recording,
                                                                      prefetch: prefetch)
        if let plan, diagnostics.items.isEmpty, cache.writable {
            cache.store(plan, name: source.name, bytes: bytes, options: options, lookups: recorder.lookups)
        }
        return (plan, partial, diagnostics)
    }
}

extension Prefetch {
    /// Offers a plan's links to one target, as `EntryParser.parseLinks` does while it parses them.
    func offer(_ plan: Plan) {
        begin(root: plan.root)
        for entry in plan.entries where !entry.isDirectory && entry.targets.count == 1 {
            _ = offer(link: entry.link, target: entry.targets[0].value)
        }
        finish()
    }
}
