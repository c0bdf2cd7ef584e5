import MklnkFileSystem

/// Expands `${NAME}`, `${NAME:-default}` and a leading `~` in plan strings.
///
/// Lookup order: `--var` overrides, then the plan's `vars` (themselves expanded, in any order,
/// with cycles reported), then the environment. An undefined variable is an error at its
/// place, never an empty string; every one in a string is reported, each at its own column.
///
/// Hostile input is bounded without expanding it first (`VariableLimits`): the nesting of
/// `${` is counted in one pass before anything is substituted, every result stops growing at
/// the length a path may have, and a chain of variables referring to variables is cut short.
struct Variables {
    private let overrides: [String: String]
    private let declared: [String: (text: String, at: ScalarPlace)]
    private let environment: Environment
    private let home: String
    private var resolved: [String: String?] = [:]
    private var resolving: [String] = []

    init(overrides: [String: String], declared: [String: (text: String, at: ScalarPlace)],
         environment: Environment, home: String) {
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

    /// `text` with variables substituted; nil (with a diagnostic) when one is undefined or a
    /// bound is exceeded. `place.at(offset)` gives the location of the byte at `offset` in `text`.
    mutating func expand(_ text: String, at place: @autoclosure () -> ScalarPlace,
                         _ diagnostics: inout Diagnostics) -> String? {
        guard Paths.contains(text, byte: UInt8(ascii: "$")) else { return text }
        let place = place()
        let bytes = Array(text.utf8)
        if let deep = VariableLimits.tooDeep(bytes) {
            diagnostics.error("'${' nested more than \(VariableLimits.maxNesting) deep", at: place.at(deep))
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        guard expand(bytes[...], place, into: &out, &diagnostics) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// Expands variables, then a leading `~` or `~/` to the home directory.
    mutating func expandPath(_ text: String, at place: @autoclosure () -> ScalarPlace,
                             _ diagnostics: inout Diagnostics) -> String? {
        guard let expanded = expand(text, at: place(), &diagnostics) else { return nil }
        guard expanded.utf8.first == UInt8(ascii: "~") else { return expanded }
        if expanded == "~" || expanded.hasPrefix("~/"), let raw = environment.notUTF8["HOME"],
           String(decoding: raw.bytes, as: UTF8.self) == home {
            diagnostics.error("~ stands for $HOME, which is not valid UTF-8: a plan's text cannot hold its bytes; "
                              + "write the path relative to the root", at: place().at(0))
            return nil
        }
        if expanded == "~" { return home }
        if expanded.hasPrefix("~/") { return home + expanded.dropFirst(1) }
        return expanded
    }

    /// Appends the expansion of `part` (a slice of the scalar, so that its indices are offsets
    /// in the scalar) to `out`. Every problem in it is reported; false when there was one.
    private mutating func expand(_ part: ArraySlice<UInt8>, _ place: ScalarPlace, into out: inout [UInt8],
                                 _ diagnostics: inout Diagnostics) -> Bool {
        var ok = true
        var i = part.startIndex
        while i < part.endIndex {
            guard part[i] == UInt8(ascii: "$"), i + 1 < part.endIndex, part[i + 1] == UInt8(ascii: "{") else {
                out.append(part[i])
                i += 1
                if out.count > VariableLimits.maxLength { return tooLong(place.at(i - 1), &diagnostics) }
                continue
            }
            guard let close = Self.closingBrace(part, from: i + 2) else {
                diagnostics.error("unterminated '${' (a variable is written ${NAME})", at: place.at(i))
                return false
            }
            var nameEnd = close
            var fallback: Range<Int>?
            if let sep = Self.separator(part, from: i + 2, to: close) {
                nameEnd = sep
                fallback = (sep + 2)..<close
            }
            let name = String(decoding: part[(i + 2)..<nameEnd], as: UTF8.self)
            if !isValidName(name) {
                diagnostics.error("'\(name)' is not a variable name (letters, digits and _, not starting with a digit)",
                                  at: place.at(i))
                ok = false
            } else if let value = value(of: name, at: place.at(i), &diagnostics, reportUndefined: fallback == nil),
                      fallback == nil || !value.isEmpty {
                out += value.utf8
                if out.count > VariableLimits.maxLength { return tooLong(place.at(i), &diagnostics) }
            } else if let fallback {
                // The default is expanded in place, so its own variables are located where written.
                if !expand(part[fallback], place, into: &out, &diagnostics) { ok = false }
                if out.count > VariableLimits.maxLength { return false }
            } else {
                ok = false
            }
            i = close + 1
        }
        return ok
    }

    private func tooLong(_ at: SourceLocation, _ diagnostics: inout Diagnostics) -> Bool {
        diagnostics.error("this expands to more than \(VariableLimits.maxLength) bytes (the longest path there can be)",
                          at: at)
        return false
    }

    /// `location` is worked out only for a message (for an escaped scalar it searches the source).
    private mutating func value(of name: String, at location: @autoclosure () -> SourceLocation?,
                                _ diagnostics: inout Diagnostics, reportUndefined: Bool = true) -> String? {
        if let v = overrides[name] { return v }
        if let cached = resolved[name] { return cached }
        if let decl = declared[name] {
            if let first = resolving.firstIndex(of: name) {
                let chain = (resolving[first...] + [name]).joined(separator: " -> ")
                diagnostics.error("variable '\(name)' refers to itself (\(chain))", at: location() ?? decl.at.at(0))
                resolved[name] = .some(nil)
                return nil
            }
            if resolving.count >= VariableLimits.maxReferences {
                diagnostics.error("variables refer to variables more than \(VariableLimits.maxReferences) deep here",
                                  at: location() ?? decl.at.at(0))
                return nil
            }
            resolving.append(name)
            let v = expandPath(decl.text, at: decl.at, &diagnostics)
            resolving.removeLast()
            resolved[name] = v
            return v
        }
        if let v = environment[name] {
            if let raw = environment.notUTF8[name] {
                diagnostics.error("the environment variable '\(name)' is not valid UTF-8 (\(raw)): a plan's text cannot hold its bytes",
                                  at: location())
                return nil
            }
            if v.utf8.count > VariableLimits.maxLength {
                diagnostics.error("the environment variable '\(name)' is longer than \(VariableLimits.maxLength) bytes",
                                  at: location())
                return nil
            }
            return v
        }
        if name == "HOME" { return home }
        if reportUndefined {
            let known = Array(declared.keys) + Array(overrides.keys)
            diagnostics.error("undefined variable '\(name)'\(Suggestion.hint(name, in: known))", at: location())
        }
        return nil
    }

    /// The `}` closing the `${` whose name starts at `from`, counting nested `${ }`.
    private static func closingBrace(_ bytes: ArraySlice<UInt8>, from: Int) -> Int? {
        var depth = 1
        var j = from
        while j < bytes.endIndex {
            if bytes[j] == UInt8(ascii: "$") && j + 1 < bytes.endIndex && bytes[j + 1] == UInt8(ascii: "{") {
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

    /// The first `:-` between `from` and `to`.
    private static func separator(_ bytes: ArraySlice<UInt8>, from: Int, to: Int) -> Int? {
        var j = from
        while j + 1 < to {
            if bytes[j] == UInt8(ascii: ":") && bytes[j + 1] == UInt8(ascii: "-") { return j }
            j += 1
        }
        return nil
    }

    private func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}

/// Bounds on variable expansion (SPEC §1; README "Hostile input is bounded").
enum VariableLimits {
    /// No expansion may grow beyond the longest path Linux accepts (PATH_MAX less its NUL).
    static let maxLength = 4095
    /// `${` inside `${` (in defaults): counted in one pass before anything is expanded.
    static let maxNesting = 32
    /// A variable whose value names a variable, whose value names one, ...
    static let maxReferences = 64

    /// The offset of the first `${` nested deeper than `maxNesting`, if there is one.
    static func tooDeep(_ bytes: [UInt8]) -> Int? {
        var depth = 0
        var j = 0
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "$") && j + 1 < bytes.count && bytes[j + 1] == UInt8(ascii: "{") {
                depth += 1
                if depth > maxNesting { return j }
                j += 2
                continue
            }
            if bytes[j] == UInt8(ascii: "}") && depth > 0 { depth -= 1 }
            j += 1
        }
        return nil
    }
}
