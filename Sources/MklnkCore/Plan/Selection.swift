import MklnkFileSystem

/// A range with either end open, both ends included.
public struct ValueRange: Sendable, Equatable {
    public var low: Int64?
    public var high: Int64?

    public func contains(_ value: Int64) -> Bool {
        (low.map { value >= $0 } ?? true) && (high.map { value <= $0 } ?? true)
    }
}

/// `select:` filters for glob and list targets (MKLNK's /A: switches and ranges).
public struct Selection: Sendable, Equatable {
    public var size: ValueRange?
    /// Modification time, seconds since the epoch (UTC).
    public var modified: ValueRange?
    public var hidden: Bool?
    public var readonly: Bool?
    public var executable: Bool?

    public init() {}

    /// Whether a match named `name` with `status` (followed) passes every filter.
    public func matches(name: Path, status: FileStatus) -> Bool {
        if let size, !size.contains(status.size) { return false }
        if let modified, !modified.contains(status.modified) { return false }
        if let hidden, (name.first == UInt8(ascii: ".")) != hidden { return false }
        if let readonly, (status.permissions & 0o222 == 0) != readonly { return false }
        if let executable, (status.permissions & 0o111 != 0) != executable { return false }
        return true
    }

    /// Parses `LOW..HIGH` where each end is a size (`512`, `1K`, `10M`, `2G`) or open.
    public static func parseSizeRange(_ text: String) -> ValueRange? {
        parseRange(text) { parseSize($0).map { ($0, $0) } }
    }

    /// Parses `LOW..HIGH` where each end is an ISO 8601 date or date-time, or open.
    /// A bare date as the upper end includes that whole day.
    public static func parseDateRange(_ text: String) -> ValueRange? {
        parseRange(text, parseDate)
    }

    private static func parseRange(_ text: String, _ parse: (Substring) -> (Int64, Int64)?) -> ValueRange? {
        let trimmed = text.trimmingSpaces
        guard let dots = trimmed.firstRange(of: "..") else { return nil }
        let lowText = trimmed[..<dots.lowerBound], highText = trimmed[dots.upperBound...]
        if lowText.isEmpty && highText.isEmpty { return nil }
        var range = ValueRange()
        if !lowText.isEmpty {
            guard let (low, _) = parse(lowText) else { return nil }
            range.low = low
        }
        if !highText.isEmpty {
            guard let (_, high) = parse(highText) else { return nil }
            range.high = high
        }
        if let low = range.low, let high = range.high, low > high { return nil }
        return range
    }

    private static func parseSize(_ text: Substring) -> Int64? {
        var digits = text
        var unit: Int64 = 1
        var suffix = ""
        while let last = digits.last, last.isLetter {
            suffix = String(last).uppercased() + suffix
            digits = digits.dropLast()
        }
        switch suffix {
        case "", "B": unit = 1
        case "K", "KB", "KIB": unit = 1 << 10
        case "M", "MB", "MIB": unit = 1 << 20
        case "G", "GB", "GIB": unit = 1 << 30
        default: return nil
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let value = Int64(digits) else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: unit)
        return overflow ? nil : product
    }

    /// `YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]` → (first second, last second) it denotes.
    private static func parseDate(_ text: Substring) -> (Int64, Int64)? {
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= chars.count else { return nil }
            var n: Int64 = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48 && c <= 57 else { return nil }
                n = n * 10 + Int64(c - 48)
            }
            return n
        }
        guard chars.count >= 10, chars[4] == 45, chars[7] == 45,
              let y = number(0, 4), let m = number(5, 2), let d = number(8, 2),
              (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d)
        else { return nil }
        let day = daysFromCivil(y, m, d) * 86_400
        if chars.count == 10 { return (day, day + 86_399) }
        guard chars[10] == 84 || chars[10] == 116 || chars[10] == 32, let hh = number(11, 2), chars.count >= 16,
              chars[13] == 58, let mm = number(14, 2), hh < 24, mm < 60
        else { return nil }
        var i = 16
        var ss: Int64 = 0
        if i < chars.count && chars[i] == 58 {
            guard let s = number(17, 2), s < 61 else { return nil }
            ss = s
            i = 19
        }
        var offset: Int64 = 0
        if i < chars.count {
            if chars[i] == 90 || chars[i] == 122 {
                i += 1
            } else if chars[i] == 43 || chars[i] == 45, let oh = number(i + 1, 2), chars.count == i + 6,
                      chars[i + 3] == 58, let om = number(i + 4, 2) {
                offset = (oh * 3600 + om * 60) * (chars[i] == 45 ? -1 : 1)
                i += 6
            } else {
                return nil
            }
        }
        guard i == chars.count else { return nil }
        let t = day + hh * 3600 + mm * 60 + ss - offset
        return (t, t)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        let s = self[...]
        let start = s.firstIndex { $0 != " " } ?? s.endIndex
        let end = s.lastIndex { $0 != " " }.map { s.index(after: $0) } ?? start
        return Substring(s[start..<Swift.max(start, end)])
    }
}
