/// The order links are made in: a link after the links it goes through.
extension GraphBuilder {
    /// Indices in their original order, except that a link comes after the links it goes through;
    /// nil when that is the original order (no link goes through another).
    static func order(count: Int, _ deps: [[Int]]) -> [Int]? {
        if deps.allSatisfy({ $0.isEmpty }) { return nil }
        var out: [Int] = []
        out.reserveCapacity(count)
        var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 visiting, 2 done
        // Depth first with an explicit stack (a chain of links is as deep as it is long): each
        // entry is a link and how many of its dependencies were visited.
        var stack: [(link: Int, next: Int)] = []
        for start in 0..<count where state[start] == 0 {
            state[start] = 1
            stack.append((start, 0))
            while let top = stack.last {
                if top.next < deps[top.link].count {
                    stack[stack.count - 1].next += 1
                    let d = deps[top.link][top.next]
                    if state[d] == 0 {
                        state[d] = 1
                        stack.append((d, 0))
                    }
                    continue
                }
                stack.removeLast()
                state[top.link] = 2
                out.append(top.link)
            }
        }
        return out
    }
}
