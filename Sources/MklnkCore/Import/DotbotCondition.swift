/// dotbot's `if` (a shell command; the link is made when it exits 0) as a mklnk `when`, for the
/// commands that only test what `uname` prints: `[ "$(uname)" = Darwin ]`, `test "$(uname -s)"
/// != Linux`, `[[ $(uname -m) == arm64 ]]`, `uname | grep -q Linux`. Anything else has no
/// equivalent (nil).
enum DotbotCondition {
    static func when(_ command: String) -> PlanText.Value? {
        let c = trim(command)
        if let test = testForm(c) ?? grepForm(c) { return translate(test) }
        return nil
    }

    private struct Test {
        var flag: String   // "s" or "m"
        var value: String
        var negated: Bool
        var caseInsensitive = false
    }

    private static let systems = ["linux": "linux", "darwin": "macos", "freebsd": "freebsd",
                                  "openbsd": "openbsd", "netbsd": "netbsd"]
    private static let allSystems = ["linux", "macos", "freebsd", "openbsd", "netbsd", "windows"]

    private static func translate(_ t: Test) -> PlanText.Value? {
        if t.flag == "m" {
            guard !t.negated, !t.caseInsensitive, t.value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { return nil }
            return .map([("arch", .string(t.value))])
        }
        // uname -s prints Linux, Darwin, FreeBSD: the comparison is exact unless grep -i.
        guard let os = systems[t.value.lowercased()],
              t.caseInsensitive || t.value == ["linux": "Linux", "macos": "Darwin", "freebsd": "FreeBSD",
                                               "openbsd": "OpenBSD", "netbsd": "NetBSD"][os] else { return nil }
        if !t.negated { return .map([("os", .string(os))]) }
        return .map([("os", .list(allSystems.filter { $0 != os }.map { .string($0) }))])
    }

    /// `[ X OP Y ]`, `[[ X OP Y ]]`, `test X OP Y`, one side uname's output, the other a word.
    private static func testForm(_ c: String) -> Test? {
        var words = shellWords(c)
        guard let first = words.first else { return nil }
        if first == "[" || first == "[[" {
            guard words.last == (first == "[" ? "]" : "]]") else { return nil }
            words = Array(words.dropFirst().dropLast())
        } else if first == "test" {
            words = Array(words.dropFirst())
        } else {
            return nil
        }
        guard words.count == 3, ["=", "==", "!="].contains(words[1]) else { return nil }
        let negated = words[1] == "!="
        if let flag = unameFlag(words[0]), !isUname(words[2]) { return Test(flag: flag, value: words[2], negated: negated) }
        if let flag = unameFlag(words[2]), !isUname(words[0]) { return Test(flag: flag, value: words[0], negated: negated) }
        return nil
    }

    /// `uname [-s|-m] | grep -q[i] WORD`.
    private static func grepForm(_ c: String) -> Test? {
        let halves = c.split(separator: "|", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        let left = shellWords(String(halves[0])), right = shellWords(String(halves[1]))
        guard left.first == "uname", left.count <= 2, let flag = left.count == 1 ? "s" : unameOption(left[1]) else { return nil }
        guard right.first == "grep", right.count == 3, right[1] == "-q" || right[1] == "-qi" || right[1] == "-iq"
        else { return nil }
        return Test(flag: flag, value: right[2], negated: false, caseInsensitive: right[1] != "-q")
    }

    private static func isUname(_ word: String) -> Bool { unameFlag(word) != nil }

    /// `$(uname)`, `$(uname -s)`, `` `uname -m` `` (quotes already removed): the flag, s or m.
    private static func unameFlag(_ word: String) -> String? {
        var inner: Substring
        if word.hasPrefix("$("), word.hasSuffix(")") { inner = word.dropFirst(2).dropLast() }
        else if word.hasPrefix("`"), word.hasSuffix("`"), word.count >= 2 { inner = word.dropFirst().dropLast() }
        else { return nil }
        let parts = inner.split(separator: " ").map(String.init)
        guard parts.first == "uname", parts.count <= 2 else { return nil }
        return parts.count == 1 ? "s" : unameOption(parts[1])
    }

    private static func unameOption(_ option: String) -> String? {
        switch option {
        case "-s", "--kernel-name": return "s"
        case "-m", "--machine": return "m"
        default: return nil
        }
    }

    /// Splits on blanks outside quotes and `$( )`, removing the quotes; nil-free for odd input.
    private static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = "", quote: Character? = nil, depth = 0, started = false, backtick = false
        var previous: Character = " "
        for ch in text {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
                started = true
            } else if ch == "`" {
                backtick.toggle()
                current.append(ch)
            } else if ch == "(" && previous == "$" {
                depth += 1
                current.append(ch)
            } else if ch == ")" && depth > 0 {
                depth -= 1
                current.append(ch)
            } else if (ch == " " || ch == "\t") && depth == 0 && !backtick {
                if started || !current.isEmpty { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(ch)
            }
            previous = ch
        }
        if started || !current.isEmpty { words.append(current) }
        return words
    }
}

extension DotbotCondition {
    static func trim(_ s: String) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(String(s.drop(while: blank).reversed()).drop(while: blank).reversed())
    }
}
