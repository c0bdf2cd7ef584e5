import MklnkFileSystem

/// Expands `${NAME}`, `${NAME:-default}` and a leading `~` in plan strings.
///
/// Lookup order: `--var` overrides, then the plan's `vars` (themselves expanded, in any order,
/// with cycles reported), then the environment. An undefined variable is an error at its
/// place, never an empty string.
struct Variables {
    private let overrides: [String: String]
    private let declared: [String: (text: String, at: ScalarPlace)]
    private let environment: [String: String]
    private let home: String
    private var resolved: [String: String?] = [:]
    private var resolving: [String] = []

    init(overrides: [String: String], declared: [String: (text: String, at: ScalarPlace)],
         environment: [String: String], home: String) {
        self.overrides = overrides
        self.declared = declared
        self.environment = environment
        self.home = home
    }

    /// The value of every plan variable, for `--json` and messages.
    mutating func all(_ diagnostics: inout Diagnostics) -> [String: String] {
        var out: [String: String] = [:]
        for name in declared.keys.sorted() {
            if let v = value(of: name, at: nil, &diagnostics) { out[name] = v }
        }
        return out
    }

    /// `text` with variables substituted; nil (with a diagnostic) when one is undefined.
    /// `at(offset)` gives the location of the byte at `offset` within `text`.
    mutating func expand(_ text: String, at place: @autoclosure () -> ScalarPlace,
                         _ diagnostics: inout Diagnostics) -> String? {
        guard Paths.contains(text, byte: UInt8(ascii: "$")) else { return text }
        let place = place()
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var ok = true
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "$"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "{") else {
                out.append(bytes[i])
                i += 1
                continue
            }
            guard let close = Self.closingBrace(bytes, from: i + 2) else {
                diagnostics.error("unterminated '${' (a variable is written ${NAME})", at: place.at(i))
                return nil
            }
            let inner = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
            var name = inner
            var fallback: String?
            if let sep = inner.firstRange(of: ":-") {
                name = String(inner[..<sep.lowerBound])
                fallback = String(inner[sep.upperBound...])
            }
            if !isValidName(name) {
                diagnostics.error("'\(name)' is not a variable name (letters, digits and _, not starting with a digit)",
                                  at: place.at(i))
                ok = false
            } else if let value = value(of: name, at: place.at(i), &diagnostics, reportUndefined: fallback == nil),
                      fallback == nil || !value.isEmpty {
                out += value.utf8
            } else if let fallback {
                guard let v = expand(fallback, at: ScalarPlace(start: place.at(i), mark: place.mark, end: place.mark, text: nil, shift: 0, context: nil), &diagnostics) else { return nil }
                out += v.utf8
            } else {
                ok = false
            }
            i = close + 1
        }
        return ok ? String(decoding: out, as: UTF8.self) : nil
    }

    /// Expands variables, then a leading `~` or `~/` to the home directory.
    mutating func expandPath(_ text: String, at place: @autoclosure () -> ScalarPlace,
                             _ diagnostics: inout Diagnostics) -> String? {
        guard let expanded = expand(text, at: place(), &diagnostics) else { return nil }
        guard expanded.utf8.first == UInt8(ascii: "~") else { return expanded }
        if expanded == "~" { return home }
        if expanded.hasPrefix("~/") { return home + expanded.dropFirst(1) }
        return expanded
    }

    private mutating func value(of name: String, at location: SourceLocation?, _ diagnostics: inout Diagnostics,
                                reportUndefined: Bool = true) -> String? {
        if let v = overrides[name] { return v }
        if let cached = resolved[name] { return cached }
        if let decl = declared[name] {
            if resolving.contains(name) {
                let chain = (resolving[resolving.firstIndex(of: name)!...] + [name]).joined(separator: " -> ")
                diagnostics.error("variable '\(name)' refers to itself (\(chain))", at: location ?? decl.at.at(0))
                resolved[name] = .some(nil)
                return nil
            }
            resolving.append(name)
            let v = expandPath(decl.text, at: decl.at, &diagnostics)
            resolving.removeLast()
            resolved[name] = v
            return v
        }
        if let v = environment[name] { return v }
        if name == "HOME" { return home }
        if reportUndefined {
            let known = Array(declared.keys) + Array(overrides.keys)
            diagnostics.error("undefined variable '\(name)'\(Suggestion.hint(name, in: known))", at: location)
        }
        return nil
    }

    /// The `}` closing the `${` whose name starts at `from`, counting nested `${ }`.
    private static func closingBrace(_ bytes: [UInt8], from: Int) -> Int? {
        var depth = 1
        var j = from
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "$") && j + 1 < bytes.count && bytes[j + 1] == UInt8(ascii: "{") {
                depth += 1
                j += 2
                continue
            }
            if bytes[j] == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return j }
            }
            j += 1
        }
        return nil
    }

    private func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
