import MklnkCore

/// The plan loader on arbitrary bytes: a plan or diagnostics, never a trap, and every error
/// located inside the file (SPEC §1: `FILE:LINE:COLUMN`, 1-based).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlanLoader(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let facts = HostFacts(os: "linux", arch: "x86_64", hostname: "fuzz", user: "u", home: "/home/u",
                          environment: ["HOME": "/home/u", "CI": "true", "EMPTY": ""])
    let options = LoadOptions(facts: facts, variables: ["V": "x"], workingDirectory: "/plans")
    let (plan, diagnostics) = PlanLoader.load(file: "/plans/plan.yaml", bytes: bytes, options: options)
    precondition((plan == nil) == diagnostics.hasErrors, "a plan is returned exactly when there is no error")
    // Lines as libyaml breaks them: LF, CR LF, lone CR.
    let lines = bytes.indices.lazy.filter { i in
        bytes[i] == 10 || (bytes[i] == 13 && (i + 1 == bytes.count || bytes[i + 1] != 10))
    }.count + 1
    for d in diagnostics.items + diagnostics.items.flatMap(\.notes) {
        guard let at = d.location else { continue }
        precondition(at.line >= 1 && at.column >= 1 && at.line <= lines,
                     "\(at): outside a file of \(lines) lines: \(d.message)")
    }
    return 0
}
