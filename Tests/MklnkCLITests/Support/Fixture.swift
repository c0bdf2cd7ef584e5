import Foundation
import MklnkTestSupport
import Testing

/// A fixture of `Fixtures/NAME/`: `plan.yaml` and `tree`, what to make in a fresh temporary
/// directory before running mklnk, in the fixture format of `TreeFixture` (paths relative to the
/// temporary directory, `$TMP` standing for it; `args` lines are extra arguments for the human run).
///
/// The plan is copied to `home/dots/plan.yaml` (the dotfiles live in the home directory, so
/// paths print with `~` and the temporary directory's length never moves a column); `$HOME` and
/// the root are `home/`; state lives in `state/`.
struct Fixture: CustomTestStringConvertible, Sendable {
    let name: String

    var testDescription: String { name }

    /// The package's `Tests/MklnkCLITests` directory, found from this file.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let fixturesDirectory = testsDirectory.appendingPathComponent("Fixtures")
    static let goldenDirectory = testsDirectory.appendingPathComponent("Golden")

    /// Every fixture, by name.
    static var all: [Fixture] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map(Fixture.init)
    }

    var directory: URL { Self.fixturesDirectory.appendingPathComponent(name) }

    var tree: TreeFixture {
        get throws { try TreeFixture(contentsOf: directory.appendingPathComponent("tree").path) }
    }

    /// Makes the fixture's tree in `root`.
    func make(in root: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/home/dots", withIntermediateDirectories: true)
        try fm.copyItem(atPath: directory.appendingPathComponent("plan.yaml").path, toPath: root + "/home/dots/plan.yaml")
        try tree.make(in: root) { throw TreeFixtureError(description: "\(name)/tree: a plan fixture applies nothing") }
    }
}
