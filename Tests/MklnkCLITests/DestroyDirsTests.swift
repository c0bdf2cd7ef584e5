import Foundation
import MklnkTestSupport
import Testing

/// SPEC §2 `destroy`: "the directories it made that are now empty" include those of `dirs:`;
/// the reason says so truly and `--json` names them directories (AUDIT3 F18).
@Suite struct DestroyDirsTests {
    @Test("destroy removes the empty dirs: directories an apply made, as a directory this plan made")
    func dirsGoWhenEmpty() throws {
        let t = TempTree(dotfiles: "destroy-dirs")
        t.file("@/a", "a\n")
        let before = t.snapshot()
        let plan = t.plan("dirs: [~/downloads, {path: ~/.ssh/sockets, mode: \"0700\"}]\nlinks:\n  .a: a\n")
        #expect(t.mklnk("apply", plan).status == 0)
        let preview = t.mklnk("plan", "--destroy", plan, "--json")
        #expect(preview.status == 0, "\(preview)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(preview.stdout.utf8)) as? [String: Any])
        let actions = try #require(document["actions"] as? [[String: Any]])
        let directories = actions.filter { ($0["path"] as? String)?.hasSuffix("/downloads") == true }
        #expect(directories.count == 1 && directories.first?["kind"] as? String == "directory", "\(actions)")
        #expect(directories.first?["reason"] as? String == "a directory this plan made, now empty", "\(actions)")
        let r = t.mklnk("destroy", plan)
        #expect(r.status == 0 && r.stdout.contains("- ~/.ssh/sockets   (was a directory; a directory this plan made, now empty)"), "\(r)")
        t.remove("@/plan.yaml")
        #expect(t.snapshot() == before)
    }

    @Test("a dirs: directory the user put a file in is kept")
    func dirsKeptWhenUsed() {
        let t = TempTree(dotfiles: "destroy-dirs-used")
        let plan = t.plan("dirs: [~/downloads]\n")
        #expect(t.mklnk("apply", plan).status == 0)
        t.file("~/downloads/mine", "m\n")
        let r = t.mklnk("destroy", plan)
        #expect(r.status == 0 && t.contents("~/downloads/mine") == "m\n", "\(r)")
    }
}
