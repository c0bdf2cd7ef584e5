/// A one-line progress bar on stderr for long applies on a terminal; silent when piped.
final class ProgressBar {
    private let stream: OutputStream
    private let enabled: Bool
    private var shown = -1
    private var drawn = false

    /// Below this many steps an apply is quick enough to need no bar.
    static let threshold = 500

    init(stream: OutputStream, enabled: Bool) {
        self.stream = stream
        self.enabled = enabled && stream.isTerminal
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total >= Self.threshold else { return }
        let percent = done * 100 / total
        guard percent != shown else { return }
        shown = percent
        let width = 30
        let filled = percent * width / 100
        stream.write("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                     + "] \(percent)% \(done)/\(total)")
        stream.flush()
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        stream.write("\r\u{1B}[K")
        stream.flush()
    }
}
