import Foundation
import MklnkTestSupport

/// Runs the binary with bytes on stdin, or on a terminal through a script of prompts and
/// answers: what `--from -` and the command dialog need.
extension TempTree {
    /// `mklnk ARGS --state-dir STATE` with `input` on stdin (through a file beside the tree).
    func mklnk(_ args: [String], input: [UInt8]) -> ApplyCLIResult {
        let file = dir + "/stdin"
        _ = FileManager.default.createFile(atPath: file, contents: Data(input))
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            return try MklnkProcess.run(["-c", "exec \"$0\" \"$@\" < \"$STDIN_FILE\"", MklnkProcess.path] + args
                                        + ["--state-dir", state], in: dir,
                                        environment: ["HOME": home, "NO_COLOR": "1", "LANG": "C.UTF-8", "STDIN_FILE": file],
                                        executable: "/bin/sh")
        } catch {
            fatalError("cannot run /bin/sh: \(error)")
        }
    }

    static let hasPython = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    /// `mklnk ARGS --state-dir STATE` on a pseudo-terminal: for each step, waits until the
    /// output shows `expect`, then types `answer` and Enter. Stdout is everything the terminal
    /// showed (stderr included); the status is mklnk's.
    func mklnkOnTerminal(_ args: [String], steps: [(expect: String, answer: String)]) -> ApplyCLIResult {
        let driver = """
            import json, os, pty, select, sys, time
            steps = json.loads(os.environ.pop("PTY_STEPS"))
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            seen = b""
            def read(deadline):
                global seen
                r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
                if not r: return False
                try: chunk = os.read(fd, 4096)
                except OSError: return None
                if not chunk: return None
                seen += chunk
                return True
            pos = 0
            for expect, answer in steps:
                deadline = time.time() + 30
                while seen.find(expect.encode(), pos) < 0 and time.time() < deadline:
                    if read(deadline) is None: break
                found = seen.find(expect.encode(), pos)
                pos = len(seen) if found < 0 else found + len(expect.encode())
                os.write(fd, answer.encode() + b"\\n")
            while read(time.time() + 30): pass
            _, status = os.waitpid(pid, 0)
            sys.stdout.write(seen.decode("utf-8", "replace"))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let steps = try! JSONSerialization.data(withJSONObject: steps.map { [$0.expect, $0.answer] })
        let env = ["HOME": home, "NO_COLOR": "1", "LANG": "C.UTF-8", "TERM": "dumb",
                   "PTY_STEPS": String(decoding: steps, as: UTF8.self)]
        do {
            return try MklnkProcess.run(["-c", driver, MklnkProcess.path] + args + ["--state-dir", state], in: dir,
                                        environment: env, executable: "/usr/bin/python3")
        } catch {
            fatalError("cannot run python3: \(error)")
        }
    }
}
