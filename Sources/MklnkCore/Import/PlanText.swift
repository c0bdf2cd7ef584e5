/// Writes the YAML of an imported plan. Every string is double-quoted, so no YAML reading of it
/// (`no`, `~`, `0777`, a leading `*`) can change what it says; booleans are written plain.
enum PlanText {
    /// A scalar or a flow mapping, as it will be written.
    indirect enum Value: Equatable, Sendable {
        case string(String)
        case bool(Bool)
        case list([Value])
        case map([(String, Value)])

        static func == (a: Value, b: Value) -> Bool { a.text == b.text }

        var text: String {
            switch self {
            case .string(let s): return PlanText.quote(s)
            case .bool(let b): return b ? "true" : "false"
            case .list(let items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
            case .map(let pairs):
                return "{ " + pairs.map { PlanText.key($0.0) + ": " + $0.1.text }.joined(separator: ", ") + " }"
            }
        }
    }

    /// An option name bare (`target`), anything else quoted.
    static func key(_ s: String) -> String {
        !s.isEmpty && s.allSatisfy({ ("a"..."z").contains($0) || $0 == "_" }) ? s : quote(s)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `text` as comment lines (each line of a multi-line text stays a comment).
    static func comment(_ text: String, indent: String = "") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { indent + "#" + ($0.isEmpty ? "" : " " + escapeControls(String($0))) }
            .joined(separator: "\n")
    }

    private static func escapeControls(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
