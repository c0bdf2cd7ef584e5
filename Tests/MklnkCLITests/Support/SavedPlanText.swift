import MklnkCore

/// A saved plan written by hand (format 2): the header for `plan` and `root` with no state,
/// the `lines` given, and the end line with its checksum, so that the rules of `apply --saved`
/// are what refuses it, not the seal.
func sealedSavedPlan(plan: String, root: String, _ lines: String) -> String {
    let body = Array("mklnk-saved-plan\t2\t\(plan)\t\(root)\t-\tprune\t-\n\(lines)".utf8)
    let count = lines.split(separator: "\n").count { $0.hasPrefix("action\t") }
    return String(decoding: SavedPlanSeal.seal(body, actions: count), as: UTF8.self)
}
