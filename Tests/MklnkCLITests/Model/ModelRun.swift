#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MklnkTestSupport

/// Runs one `ModelCase` through the binary on disk and lists every broken promise (SPEC §4):
/// `plan` predicts `apply` (same actions, and the tree changes exactly as they say), a second
/// apply changes nothing, no pre-existing file's bytes are lost, nothing outside root changes,
/// and an apply failed by an injected EIO leaves the before-state.
struct ModelRun {
    let scenario: ModelCase
    private(set) var problems: [String] = []
    /// What happened, for MKLNK_MODEL_TRACE: exit codes and the actions taken.
    private(set) var outcome = ""

    init(_ scenario: ModelCase) { self.scenario = scenario }

    static let scratch = "/tmp/mklnk-model-tests"

    mutating func run(fault: Bool) {
        let dir = Self.makeDirectory("case-\(scenario.seed)")
        let before = prepare(dir)
        let plan = mklnk(["plan", "dots/plan.yaml", "--json"], in: dir)
        let apply = mklnk(["apply", "dots/plan.yaml", "--json"], in: dir)
        let after = TreeSnapshot(of: dir, excluding: ["state"])
        check(plan: plan, apply: apply, before: before, after: after, dir: dir)
        let ops = (Self.actions(apply.stdout) ?? []).map(\.op)
        outcome = "plan \(plan.status) apply \(apply.status) " + Set(ops).sorted().map { op in "\(op):\(ops.filter { $0 == op }.count)" }.joined(separator: ",")
        if plan.status != 0 {
            let conflicts = (Self.actions(plan.stdout) ?? []).filter { $0.op == "conflict" }.map { $0.reason ?? "" }
            outcome += " " + (conflicts.first ?? plan.stderr.split(separator: "\n").first.map(String.init) ?? "")
        }
        if problems.isEmpty && plan.status == 0 {
            let again = mklnk(["apply", "dots/plan.yaml", "--json"], in: dir)
            let image = TreeSnapshot(of: dir, excluding: ["state"])
            let changed = Self.actions(again.stdout)?.filter { $0.op != "unchanged" && $0.op != "skip" } ?? []
            if again.status != 0 || !changed.isEmpty || image != after {
                problems.append("a second apply changed something (exit \(again.status)): \(changed.map { "\($0.op) \($0.path)" })\n\(image.difference(from: after))\n\(again.stderr)")
            }
        }
        let changes = (Self.actions(apply.stdout) ?? []).filter { $0.op != "unchanged" && $0.op != "skip" }.count
        if problems.isEmpty && plan.status == 0 && fault && changes > 0 { runFault(changes: changes) }
        if problems.isEmpty { Disk.remove(Array(dir.utf8)) } else { problems.append("(tree kept in \(dir))") }
    }

    /// The scenario's tree, the earlier apply and the changes after it, then the plan under test.
    private func prepare(_ dir: String) -> TreeSnapshot {
        let top = Array(dir.utf8)
        ModelCase.build(scenario.tree, in: top)
        if let earlier = scenario.earlierPlan {
            Disk.write(top + Array("/dots/plan.yaml".utf8), Array(earlier.utf8))
            mklnk(["apply", "dots/plan.yaml", "-q"], in: dir)
            ModelCase.build(scenario.between, in: top)
        }
        Disk.write(top + Array("/dots/plan.yaml".utf8), Array(scenario.plan.utf8))
        return TreeSnapshot(of: dir, excluding: ["state"])
    }

    private mutating func check(plan: MklnkProcess.Result, apply: MklnkProcess.Result, before: TreeSnapshot,
                                after: TreeSnapshot, dir: String) {
        guard [0, 1, 65].contains(plan.status) else {
            return problems.append("plan exited \(plan.status)\n\(plan.stderr)")
        }
        guard apply.status == plan.status else {
            return problems.append("plan exited \(plan.status), apply \(apply.status)\n\(apply.stderr)")
        }
        if plan.status != 0 {
            if after != before { problems.append("a refused apply changed the tree:\n\(after.difference(from: before))") }
            return
        }
        let predicted = Self.rawActions(plan.stdout), done = Self.rawActions(apply.stdout)
        guard let predicted, let done, predicted.isEqual(done) else {
            return problems.append("plan predicted other actions than apply took:\n--- plan\n\(plan.stdout)--- apply\n\(apply.stdout)")
        }
        var model = ModelEffects(before: before, dir: Array(dir.utf8)) { target in
            Disk.status(target, follow: true).map { (UInt64($0.st_ino), Disk.read(target)) }
        }
        for action in Self.actions(apply.stdout) ?? [] { model.apply(action, after: after) }
        problems += model.problems
        problems += model.compare(with: after)
        let lost = before.contents.subtracting(after.contents)
        if !lost.isEmpty { problems.append("bytes of \(lost.count) file(s) lost: \(lost.map(Disk.show))") }
    }

    /// The same scenario in a fresh directory, applied under `strace` with an EIO at one call.
    private mutating func runFault(changes: Int) {
        let dir = Self.makeDirectory("fault-\(scenario.seed)")
        let before = prepare(dir)
        // Within the calls the apply makes, most of the time: about one of each kind per change.
        let call = scenario.fault.syscall, when = 1 + (scenario.fault.when - 1) % (changes + 1)
        let result = mklnk(["-f", "-qq", "-o", "/dev/null", "-e", "trace=\(call)", "-e", "inject=\(call):error=EIO:when=\(when)",
                            MklnkProcess.path, "apply", "dots/plan.yaml", "-q"], in: dir, executable: "/usr/bin/strace")
        outcome += " | EIO \(call)#\(when): exit \(result.status)"
        if result.status >= 128 { problems.append("EIO at \(call) #\(when): killed (\(result.status))\n\(result.stderr)") }
        if result.status != 0 {
            mklnk(["recover"], in: dir)
            let image = TreeSnapshot(of: dir, excluding: ["state"])
            if image != before {
                problems.append("EIO at \(call) #\(when) (exit \(result.status)) did not leave the before-state:\n\(image.difference(from: before))\n\(result.stderr)")
            }
        }
        if problems.isEmpty { Disk.remove(Array(dir.utf8)) } else { problems.append("(fault tree kept in \(dir))") }
    }

    @discardableResult
    private func mklnk(_ args: [String], in dir: String, executable: String? = nil) -> MklnkProcess.Result {
        let env = ["HOME": dir + "/home", "NO_COLOR": "1", "LANG": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no"]
        do {
            return try MklnkProcess.run(args + ["--state-dir", dir + "/state"], in: dir, environment: env, executable: executable)
        } catch {
            fatalError("cannot run \(executable ?? MklnkProcess.path): \(error)")
        }
    }

    // MARK: Reports

    private struct Report: Decodable { var actions: [ModelAction] }

    static func actions(_ json: String) -> [ModelAction]? {
        try? JSONDecoder().decode(Report.self, from: Data(ModelAction.decodable(json).utf8)).actions
    }

    /// The `actions` of a `--json` document as plain values, every key compared.
    static func rawActions(_ json: String) -> NSArray? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(ModelAction.decodable(json).utf8)) as? [String: Any]
        else { return nil }
        return object["actions"] as? NSArray
    }

    static func makeDirectory(_ label: String) -> String {
        mkdir(scratch, 0o755)
        var template = Array((scratch + "/" + label + "-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(errno)")
        return String(cString: made!)
    }
}
