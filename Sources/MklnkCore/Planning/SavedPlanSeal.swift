import MklnkFileSystem

/// The last line of a saved plan (format 2): `mklnk-saved-plan-end <actions> <checksum>`, the
/// checksum over every byte before that line. A copy cut short or edited by hand no longer
/// matches and is refused whole: `apply --saved` applies exactly the saved plan or nothing.
/// (It finds damage, not forgery: every action is still re-checked by `SavedPlanCheck`.)
public enum SavedPlanSeal {
    static let endMark = "mklnk-saved-plan-end"

    /// `body` (whole lines) followed by its end line.
    public static func seal(_ body: [UInt8], actions: Int) -> [UInt8] {
        body + Record.line([.text(endMark), .text(String(actions)), .text(hex(JournalCheck.checksum(body[...])))])
    }

    /// The bytes before the end line, or why the file is damaged. `actions` counts the body's
    /// `action` lines, compared with the count the end line was written with.
    static func open(_ bytes: [UInt8]) -> Result<ArraySlice<UInt8>, SavedPlan.Damage> {
        guard bytes.last == 10 else { return .failure(.init("its last line is not the end mark: it was cut short")) }
        let cut = bytes.dropLast().lastIndex(of: 10).map { $0 + 1 } ?? 0
        let last = Record.fields(bytes[cut..<(bytes.count - 1)])
        guard last.count == 3, last[0] == endMark, let count = Int(last[1]) else {
            return .failure(.init("its last line is not the end mark: it was cut short"))
        }
        let body = bytes[..<cut]
        guard last[2] == hex(JournalCheck.checksum(body)) else {
            return .failure(.init("its checksum does not match its contents: it was changed after it was saved"))
        }
        let actions = body.split(separator: 10).count { $0.starts(with: Array("action\t".utf8)) }
        guard actions == count else {
            return .failure(.init("it holds \(actions) actions, not the \(count) it was saved with"))
        }
        return .success(body)
    }

    /// The digest of a plan's state as a saved plan records it: `-` for no state.
    public static func digest(of state: AppliedState) -> String {
        state.isEmpty ? "-" : hex(JournalCheck.checksum(state.encoded[...]))
    }

    /// The digest of `--var` values as a saved plan records them: `-` for none.
    public static func digest(of variables: [String: String]) -> String {
        if variables.isEmpty { return "-" }
        let text = variables.keys.sorted().map { "\($0)=\(variables[$0]!)\n" }.joined()
        return hex(JournalCheck.checksum(Array(text.utf8)[...]))
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
