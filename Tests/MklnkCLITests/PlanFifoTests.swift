import Glibc
import MklnkTestSupport
import Testing

/// A plan path that names a FIFO is refused like any file that is not regular: the plan cache's
/// lookup, which opens the plan before the loader does, must not wait for a writer.
@Suite struct PlanFifoTests {
    @Test("plan and apply of a FIFO say it is no regular file and exit 65, without waiting for a writer",
          arguments: ["plan", "apply"])
    func fifoIsRefused(_ command: String) throws {
        let t = TempTree(dotfiles: "plan-fifo")
        let fifo = t.path("@/plan.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Under timeout(1): a run that waits on the FIFO fails the test instead of hanging it.
        let r = try MklnkProcess.run(["-k", "2", "10", MklnkProcess.path, command, fifo, "--state-dir", t.state],
                                     in: t.dir, environment: ["HOME": t.home, "LANG": "C.UTF-8"],
                                     executable: "/usr/bin/timeout")
        #expect(r.status == 65, "\(r)")
        #expect(r.stderr.contains("a plan must be a regular file, not a special file"), "\(r)")
    }
}
