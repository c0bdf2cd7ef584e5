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
        // The read-ahead is offered each link as it is decoded, as the loader offers them as
        // they are parsed: the second core reads while the rest decodes.
        var begun = false
        func offer(_ root: Path, _ entry: PlanEntry) {
            if !begun { prefetch.begin(root: root) }
            begun = true
            if !entry.isDirectory && entry.targets.count == 1 {
                prefetch.offer(link: entry.link, target: entry.targets[0].value)
            }
        }
        func hit(_ plan: Plan) -> (plan: Plan?, partial: Plan?, Diagnostics) {
            prefetch.begin(root: plan.root)
            prefetch.finish()
            return (plan, nil, Diagnostics())
        }
        // A plan file on disk is compared with the cache's copy as it is read: a hit never
        // holds it whole.
        let onDisk = file != StandardInput.argument && fileSystem.underlying is LocalFileSystem
        if onDisk {
            let path = Paths.absolute(PlanFileName.path(file), base: options.workingDirectory)
            var own = options
            if let directory = try? PlanSource.ownDirectory(path, fileSystem: fileSystem) { own.planDirectory = directory }
            if let plan = cache.lookup(name: file, file: path, limit: options.limits.maxInputBytes, options: own,
                                       entry: offer) {
                return hit(plan)
            }
        }
        let source = PlanSource.read(file: file, options: options, fileSystem: fileSystem)
        guard let input = source.input else { return (nil, nil, source.diagnostics) }
        let options = source.options(options)
        if !onDisk, let bytes = input.held, let plan = cache.lookup(name: source.name, bytes: bytes, options: options, entry: offer) {
            return hit(plan)
        }
        // Offers made from a file that then proved damaged are not trusted: nothing is read ahead.
        let readAhead: Prefetch? = begun ? nil : prefetch
        if begun { prefetch.cancel() }
        var recording = options
        let recorder = EnvironmentRecorder()
        recording.facts.environment.recorder = recorder
        let (plan, partial, diagnostics) = PlanLoader.loadWithPartial(file: source.name, input: input, options: recording,
                                                                      feed: readAhead)
        if let plan, diagnostics.items.isEmpty, cache.writable, !recorder.readDisk {
            cache.store(plan, name: source.name, input: input, options: options, lookups: recorder.lookups)
        }
        return (plan, partial, diagnostics)
    }
}
