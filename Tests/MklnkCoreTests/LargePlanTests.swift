import MklnkCore
import Testing

@Suite("Large plans")
struct LargePlanTests {
    @Test func aHundredThousandLinksLoad() throws {
        let count = 100_000
        var yaml = "version: 1\nbase: /srv/dotfiles\nvars:\n  tree: /srv/tree\nlinks:\n"
        yaml.reserveCapacity(count * 60)
        for i in 0..<count {
            let dir = "d\(i % 97)/s\(i % 13)"
            switch i % 4 {
            case 0: yaml += "  \(dir)/link\(i): src/\(dir)/file\(i)\n"
            case 1: yaml += "  ~/\(dir)/link\(i): { target: \"${tree}/file\(i)\", relative: true }\n"
            case 2: yaml += "  \(dir)/link\(i):\n    target: /abs/file\(i)\n    conflict: backup\n"
            default: yaml += "  \(dir)/dir\(i)/: { target: \"glob\(i)/*.conf\", kind: hardlink }\n"
            }
        }
        let (plan, diagnostics) = load(yaml)
        #expect(diagnostics.isEmpty)
        let p = try #require(plan)
        #expect(p.entries.count == count)
        #expect(p.entries.last?.link == "/home/tess/d\((count - 1) % 97)/s\((count - 1) % 13)/dir\(count - 1)")
        #expect(p.entries.filter(\.isDirectory).count == count / 4)
    }
}
