#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

extension Transaction {
    /// Whether the state `nextState` would make after these actions is the very bytes already
    /// recorded: its link records are compared with the recorded file as they come (escaped bytes
    /// and decimal numbers compared in place), then the directory and backup records it would
    /// keep (`made`, which looks at each recorded one), then the header's digest. An apply that
    /// changes no record (a no-op, a repaired drift) so neither builds, encodes nor writes a state.
    ///
    /// Only for the plain case (no failed action, which the caller checks; nothing kept from the
    /// old state; no skipped or conflicting link; no state given): anything else answers false,
    /// and the caller builds the state as ever. The recorded file never holds a path twice
    /// (`nextState` drops repeats), so equal bytes also mean no path was listed twice here.
    func stateMatches(_ actions: [Action], steps: [Step], owners: [Int]) -> Bool {
        guard recordsState, finalState == nil, !keepUnlisted, unresolved.isEmpty, !previous.isEmpty else { return false }
        return previous.encoded.withUnsafeBufferPointer { recorded -> Bool in
            guard let headerEnd = recorded.firstIndex(of: UInt8(ascii: "\n")) else { return false }
            var match = RecordMatch(bytes: recorded, at: headerEnd + 1)
            var digest: UInt64 = 0
            for a in actions {
                switch a.op {
                case .create, .update, .unchanged, .adopt:
                    guard let kind = a.kind, let target = a.target else { continue }
                    let (device, inode) = recordedFile(of: a)
                    guard match.text(kind.rawValue), match.byte(9), a.path.withBytes({ match.escaped($0) }), match.byte(9),
                          target.withBytes({ match.escaped($0) }), match.byte(9), match.number(device), match.byte(9),
                          match.number(inode), match.byte(10) else { return false }
                    digest ^= fnv1a64(a.path)
                case .delete, .backup:
                    continue  // a deleted link's record goes; the create after a backup records it
                case .skip, .conflict:
                    if a.kind != nil { return false }
                }
            }
            var made: [UInt8] = []
            MadeRecords.append(self.made(actions, steps, owners: owners, failed: []), to: &made)
            guard recorded.count - match.at == made.count,
                  made.withUnsafeBufferPointer({ $0.isEmpty || memcmp($0.baseAddress!, recorded.baseAddress! + match.at, $0.count) == 0 })
            else { return false }
            let header = Record.line(["#", "mklnk state 1", .text(String(digest, radix: 16))])
            return header.count == headerEnd + 1
                && header.withUnsafeBufferPointer { memcmp($0.baseAddress!, recorded.baseAddress!, $0.count) == 0 }
        }
    }
}

/// Reads recorded bytes forward, comparing them with fields as `Record` writes them (escaped,
/// numbers in decimal), without writing the fields out.
private struct RecordMatch {
    let bytes: UnsafeBufferPointer<UInt8>
    var at: Int

    mutating func byte(_ b: UInt8) -> Bool {
        guard at < bytes.count, bytes[at] == b else { return false }
        at += 1
        return true
    }

    mutating func text(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { escaped($0) }
    }

    mutating func escaped(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most fields have nothing to escape: then they are their own bytes, compared at once.
        if let base = field.baseAddress, !field.contains(where: { $0 == 92 || ($0 < 14 && ($0 == 9 || $0 == 10 || $0 == 13)) }) {
            guard field.count <= bytes.count - at, memcmp(base, bytes.baseAddress! + at, field.count) == 0 else { return false }
            at += field.count
            return true
        }
        for b in field {
            let ok: Bool
            switch b {
            case 92: ok = byte(92) && byte(92)
            case 9: ok = byte(92) && byte(UInt8(ascii: "t"))
            case 10: ok = byte(92) && byte(UInt8(ascii: "n"))
            case 13: ok = byte(92) && byte(UInt8(ascii: "r"))
            default: ok = byte(b)
            }
            if !ok { return false }
        }
        return true
    }

    /// `n` as `String(n)` writes it: digits, no leading zero.
    mutating func number(_ n: UInt64) -> Bool {
        let start = at
        var value: UInt64 = 0
        while at < bytes.count, bytes[at] >= 48, bytes[at] <= 57 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[at] - 48))
            if o1 || o2 { return false }
            value = sum
            at += 1
        }
        let digits = at - start
        return digits > 0 && (digits == 1 || bytes[start] != 48) && value == n
    }
}
