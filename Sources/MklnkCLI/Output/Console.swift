import MklnkFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered output to stdout or stderr; one `write(2)` per flush, however many lines.
final class OutputStream {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The first write error (errno), or a short write: what was meant for this stream is lost.
    private(set) var failure: Int32?

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    var isTerminal: Bool { isatty(fd) == 1 }

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    func line(_ s: String) {
        write(s)
        buffer.append(10)
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                if failure == nil { failure = n < 0 ? errno : EIO }
                break
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Where the CLI writes, and whether in colour.
final class Console {
    let out = OutputStream(fd: 1)
    let err = OutputStream(fd: 2)
    let color: Bool
    let errColor: Bool
    let quiet: Bool
    let verbose: Bool
    let home: Path?

    init(options: CommonOptions, home: Path?) {
        let env = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
        switch options.color {
        case .always:
            color = true
            errColor = true
        case .never:
            color = false
            errColor = false
        case .auto:
            color = env.isEmpty && out.isTerminal && getenv("TERM").map({ String(cString: $0) }) != "dumb"
            errColor = env.isEmpty && err.isTerminal && getenv("TERM").map({ String(cString: $0) }) != "dumb"
        }
        quiet = options.quiet
        verbose = options.verbose
        // `HOME=/home/u/` is the same home: compared without its trailing slash.
        self.home = home.map(Paths.normalize)
    }

    func paint(_ text: String, _ code: String, stderr: Bool = false) -> String {
        (stderr ? errColor : color) ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// A path for people: `~` for the home directory, control characters and bytes that are
    /// not UTF-8 escaped (`Path.description`), and marks that reorder the line too.
    func show(_ path: Path) -> String { TerminalText.escape(Paths.abbreviate(path, home: home).description) }

    /// A message for people: absolute paths under the home directory shown with `~`, control
    /// characters escaped.
    func showPaths(in message: String) -> String {
        TerminalText.escape(TerminalText.abbreviateHome(in: message, home: home))
    }

    func flush() {
        out.flush()
        err.flush()
    }
}
