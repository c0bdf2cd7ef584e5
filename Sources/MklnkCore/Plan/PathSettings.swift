import MklnkFileSystem

/// What a plan's link paths and targets are computed from, besides the text of each entry:
/// `root`, `base` and the plan's variables as written (`--var`, the environment, `$HOME` and the
/// plan's directory come from the same `LoadOptions` in every computation of one load).
///
/// The read-ahead works out paths from the top-level keys it has seen before `links:`; the schema
/// adopts them only when the settings it ends with are equal to these *in value*: then both ran
/// the same computation (`LoadContext.linkPath`, `LoadContext.targetPath`) on the same input.
struct PathSettings: Equatable {
    var root: Path
    var base: Path
    /// Each variable's text as the plan wrote it (before expansion).
    var variables: [String: String]
}
