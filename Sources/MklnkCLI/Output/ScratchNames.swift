import MklnkCore
import MklnkFileSystem

/// A step works under a scratch name beside its path (`.mklnk-<transaction>-<step>`), and the
/// error of a failed syscall names that file: it means nothing to the user and is gone after
/// the rollback (audit F29). A failure that names one is told with the user's path and what
/// the step was doing to it instead; the syscall's reason stays.
enum ScratchNames {
    static func forUser(_ failures: [ActionFailure], actions: [Action]) -> [ActionFailure] {
        guard failures.contains(where: { $0.message.contains("/.mklnk-") }) else { return failures }
        var byPath: [Path: Action] = [:]
        for a in actions where a.changes {
            // A backup and the link after it are one change: the link is what the user asked for.
            if byPath[a.path] == nil || byPath[a.path]?.op == .backup { byPath[a.path] = a }
        }
        return failures.map { failure in
            var told = failure
            told.message = message(failure, byPath[failure.path])
            return told
        }
    }

    /// `[rollback: ]OPERATION SCRATCH: REASON` as `[rollback: ]cannot VERB PATH: REASON`.
    private static func message(_ failure: ActionFailure, _ action: Action?) -> String {
        let m = Array(failure.message.utf8)
        guard let scratch = find(Array("/.mklnk-".utf8), in: m, from: 0),
              let colon = find(Array(": ".utf8), in: m, from: scratch) else { return failure.message }
        let reason = String(decoding: m[(colon + 2)...], as: UTF8.self)
        let prefix = failure.message.hasPrefix("rollback: ") ? "rollback: " : ""
        return prefix + "cannot " + doing(failure.path, action) + ": " + reason
    }

    private static func doing(_ path: Path, _ action: Action?) -> String {
        switch action?.op {
        case .create?: return "make \(path)"
        case .update?: return "update \(path)"
        case .backup?: return "move \(path) aside"
        case .delete?: return "remove \(path)"
        case .adopt?:
            let into = action?.adoptedInto.map(\.description) ?? "base"
            return "move \(path) into \(into)"
        default: return "change \(path)"
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
