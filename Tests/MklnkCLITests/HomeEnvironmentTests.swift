import Foundation
import MklnkTestSupport
import Testing

/// An empty or relative HOME is taken as unset (the account's home), never as a root relative
/// to wherever mklnk was started (audit2 E9: `"root": "."` and relative paths in --json).
@Suite struct HomeEnvironmentTests {
    @Test("HOME empty or relative: the root is the account's home, and every path is absolute", arguments: ["", "relative/x"])
    func unusableHome(_ home: String) throws {
        let t = TempTree(dotfiles: "home-env")
        t.file("@/a", "a\n")
        let plan = t.plan("links:\n  .a: a\n")
        let r = try MklnkProcess.run(["plan", plan, "--json", "--state-dir", t.state], in: t.dots,
                                     environment: ["HOME": home, "NO_COLOR": "1"])
        let account = try #require(getpwuid(getuid())).pointee.pw_dir.map { String(cString: $0) }
        #expect(r.stdout.contains("\"root\": \"\(account ?? "?")\""), "\(r)")
        #expect(r.stdout.contains("\"path\":\"\(account ?? "?")/.a\""), "\(r)")
    }
}
