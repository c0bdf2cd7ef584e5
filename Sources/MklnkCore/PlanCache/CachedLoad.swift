import MklnkFileSystem

extension PlanCache {
    /// Loads `file` as `PlanLoader.loadWithPartial` does, from `cache` when it holds this very
    /// load; otherwise loads it, noting the environment variables looked up, and keeps a plan
    /// that loaded without any diagnostic for `save`.
    static func load(file: String, options: LoadOptions, fileSystem: FileSystem, prefetch: Prefetch,
                     cache: PlanCache?) -> (plan: Plan?, partial: Plan?, Diagnostics) {
        guard let cache else {
            return PlanLoader.loadWithPartial(file: file, options: options, fileSystem: fileSystem, feed: prefetch)
        }
        let source = PlanSource.read(file: file, options: options, fileSystem: fileSystem)
        guard let bytes = source.bytes else { return (nil, nil, source.diagnostics) }
        let options = source.options(options)
        // The read-ahead is offered each link as it is decoded, as the loader offers them as
        // they are parsed: the second core reads while the rest decodes.
        var begun = false
        let cached = cache.lookup(name: source.name, bytes: bytes, options: options) { root, entry in
            if !begun { prefetch.begin(root: root) }
            begun = true
            if !entry.isDirectory && entry.targets.count == 1 {
                prefetch.offer(link: entry.link, target: entry.targets[0].value)
            }
        }
        if let plan = cached {
            prefetch.begin(root: plan.root)
            prefetch.finish()
            return (plan, nil, Diagnostics())
        }
        // Offers made from a file that then proved damaged are not trusted: nothing is read ahead.
        let readAhead: Prefetch? = begun ? nil : prefetch
        if begun { prefetch.cancel() }
        var recording = options
        let recorder = EnvironmentRecorder()
        recording.facts.environment.recorder = recorder
        let (plan, partial, diagnostics) = PlanLoader.loadWithPartial(file: source.name, bytes: bytes, options: recording,
                                                                      feed: readAhead)
        if let plan, diagnostics.items.isEmpty, cache.writable {
            cache.store(plan, name: source.name, bytes: bytes, options: options, lookups: recorder.lookups)
        }
        return (plan, partial, diagnostics)
    }
}
