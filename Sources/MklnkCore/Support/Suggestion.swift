/// "Did you mean" for misspelt keys and values.
enum Suggestion {
    /// The candidate nearest to `word` if it is near enough to be a typo: a prefix either way
    /// (`hard` → `hardlink`, `hostname` → `host`) or a small edit distance where swapping two
    /// neighbouring letters counts as one edit. Ties go to the candidate listed first.
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        let w = word.lowercased()
        guard !w.isEmpty else { return nil }
        let limit = max(1, min(3, w.count / 3 + 1))
        var best: (String, Int)?
        for candidate in candidates {
            let c = candidate.lowercased()
            if candidate == word { continue }
            var d = distance(w, c)
            if (c.hasPrefix(w) || w.hasPrefix(c)) && min(c.count, w.count) >= 3 { d = min(d, 1) }
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// " (did you mean 'x'?)" or "".
    static func hint(_ word: String, in candidates: [String]) -> String {
        nearest(word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbouring letters each cost one.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
