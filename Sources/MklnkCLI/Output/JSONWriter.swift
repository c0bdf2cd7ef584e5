import MklnkFileSystem

/// A JSON value with keys kept in the order they were given, so output is stable.
indirect enum JSON {
    case string(String)
    /// A path, lossless: see `quote(path:into:)`.
    case path(Path)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    static func optional(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }

    static func optional(_ p: Path?) -> JSON { p.map { .path($0) } ?? .null }

    func render(into out: inout String, indent: Int = 0, pretty: Bool = true) {
        switch self {
        case .string(let s): JSON.quote(s, into: &out)
        case .path(let p): JSON.quote(path: p, into: &out)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                // Actions and diagnostics stay one per line: readable and diffable at 100,000 actions.
                item.render(into: &out, indent: indent + 1, pretty: pretty && !item.isObject)
            }
            if pretty { newline(&out, indent) }
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                JSON.quote(key, into: &out)
                out += pretty ? ": " : ":"
                value.render(into: &out, indent: indent + 1, pretty: pretty && !value.isFlatObject)
            }
            if pretty { newline(&out, indent) }
            out += "}"
        }
    }

    private var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    private var isFlatObject: Bool {
        if case .object(let pairs) = self {
            return pairs.allSatisfy { if case .object = $0.1 { return false }; if case .array = $0.1 { return false }; return true }
        }
        return false
    }

    private func newline(_ out: inout String, _ indent: Int) {
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    /// A path as a JSON string, lossless: valid UTF-8 as text; each byte of an invalid sequence
    /// as the lone surrogate U+DC80+byte (`\udcff` for 0xFF), Python's `surrogateescape`, so
    /// `os.fsencode(json.loads(...))` gives the bytes back.
    static func quote(path: Path, into out: inout String) {
        out += "\""
        PathText.forEach(path.bytes) { piece in
            switch piece {
            case .scalar(let scalar): escape(scalar, into: &out)
            case .invalid(let b): out += "\\udc" + String(b, radix: 16)
            }
        }
        out += "\""
    }

    private static func escape(_ scalar: Unicode.Scalar, into out: inout String) {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        // C1 controls too: valid raw in JSON, but a terminal would act on them.
        case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars { escape(scalar, into: &out) }
        out += "\""
    }
}
