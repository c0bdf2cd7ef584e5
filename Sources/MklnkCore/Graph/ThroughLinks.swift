import MklnkFileSystem

/// Where each target leads once the planned links exist, and the link cycles (SPEC §1).
///
/// A target that lies at or beneath a planned link goes through it: it then lies where that
/// link's own target leads, plus the rest of the path. Each link's answer is worked out once and
/// reused by every link that goes through it (a depth-first walk with an explicit stack, so a
/// chain of 100,000 links neither recurses nor walks the chain again per link): linear in the
/// number of links times the depth of their paths.
struct ThroughLinks {
    /// Where a link's target leads, and the planned links it goes through directly (each of
    /// those goes on through its own).
    struct Resolution {
        var physical: Path
        var through: [Int]
    }

    /// Works out every link's resolution. `cycle` is called once per cycle with its members in
    /// order; a link in a cycle, or leading into one, gets no resolution (it is in `inCycle`).
    static func resolve(count: Int, path: (Int) -> Path, target: (Int) -> Path,
                        planned: (Path) -> Int?, cycle: ([Int]) -> Void)
        -> (resolutions: [Resolution?], inCycle: Set<Int>) {
        var done = [Resolution?](repeating: nil, count: count)
        var state = [Visit](repeating: .new, count: count)
        var inCycle: Set<Int> = []
        var stack: [Frame] = []
        for start in 0..<count where state[start] == .new {
            state[start] = .open
            stack.append(Frame(link: start, current: target(start)))
            walk: while var frame = stack.popLast() {
                if let hop = frame.waiting {
                    frame.waiting = nil
                    guard let through = done[hop] else {
                        // It leads into a cycle; dropped without a report of its own.
                        state[frame.link] = .cyclic
                        inCycle.insert(frame.link)
                        continue walk
                    }
                    frame.follow(hop, to: through.physical, path: path(hop))
                }
                while let hop = planned(frame.current) {
                    switch state[hop] {
                    case .closed:
                        frame.follow(hop, to: done[hop]!.physical, path: path(hop))
                    case .cyclic:
                        state[frame.link] = .cyclic
                        inCycle.insert(frame.link)
                        continue walk
                    case .open:
                        // On the stack (or this very link): a cycle from `hop` to here.
                        var members = [frame.link]
                        if hop != frame.link {
                            for waiting in stack.reversed() {
                                members.append(waiting.link)
                                if waiting.link == hop { break }
                            }
                            members.reverse()
                        }
                        cycle(members)
                        for m in members {
                            state[m] = .cyclic
                            inCycle.insert(m)
                        }
                        continue walk
                    case .new:
                        frame.waiting = hop
                        stack.append(frame)
                        state[hop] = .open
                        stack.append(Frame(link: hop, current: target(hop)))
                        continue walk
                    }
                }
                done[frame.link] = Resolution(physical: frame.current, through: frame.through)
                state[frame.link] = .closed
            }
        }
        return (done, inCycle)
    }

    private enum Visit: UInt8 {
        case new, open, closed, cyclic
    }

    /// A link being resolved: where its target has led so far.
    private struct Frame {
        var link: Int
        var current: Path
        var through: [Int] = []
        /// The planned link whose resolution this one waits for.
        var waiting: Int?

        init(link: Int, current: Path) {
            self.link = link
            self.current = current
        }

        /// Replaces the planned link's path at the start of `current` by where that link leads.
        mutating func follow(_ hop: Int, to physical: Path, path: Path) {
            through.append(hop)
            current = Paths.normalize(physical + current.dropFirst(path.count))
        }
    }
}
