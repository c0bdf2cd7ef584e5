import Foundation
import MklnkTestSupport
import Testing

/// SPEC §4, the transaction: a constant number of fsync-family calls per apply, whatever the
/// number of links (the journal before the first change, one syncfs for every link and the
/// staged state, the commit mark, the state put in place), counted by strace.
@Suite struct ApplySyncCountTests {
    /// fsync, fdatasync and syncfs calls of one apply of `links` new links (in directories of 20).
    static func syncs(links: Int, hard: Bool) throws -> Int {
        let t = TempTree(dotfiles: "sync-count")
        t.file("@/f", "bytes\n")
        var body = "links:\n"
        for i in 0..<links { body += "  d\(i / 20)/l\(i): \(hard ? "{ target: f, kind: hardlink }" : "f")\n" }
        let plan = t.plan(body)
        let log = t.dir + "/strace.log"
        let r = try MklnkProcess.run(["-f", "-c", "-o", log, "-e", "trace=fsync,fdatasync,syncfs",
                                      MklnkProcess.path, "apply", plan, "--state-dir", t.state, "-q"],
                                     environment: ["HOME": t.home, "NO_COLOR": "1"], executable: "/usr/bin/strace")
        #expect(r.status == 0, "\(r)")
        var total = 0
        for line in ApplyCLI.read(log).split(separator: "\n") {
            let columns = line.split(separator: " ")
            if let name = columns.last, ["fsync", "fdatasync", "syncfs"].contains(name), columns.count >= 5,
               let calls = Int(columns[3]) {
                total += calls
            }
        }
        return total
    }

    @Test("the same fsync-family calls at 3 and 1,200 links, symlinks and hard links: six",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")))
    func constant() throws {
        for hard in [false, true] {
            #expect(try Self.syncs(links: 3, hard: hard) == 6)
            #expect(try Self.syncs(links: 1_200, hard: hard) == 6)
        }
    }
}
