import ArgumentParser

/// The `mklnk` command: applies link plans (symlinks, hard links, junctions) in one transaction.
public struct Mklnk: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mklnk",
        abstract: "Apply link plans: symbolic links, hard links and junctions, all or nothing.",
        discussion: """
            A plan is a YAML file (version: 1) that lists links. `mklnk plan` shows what would change, \
            `mklnk apply` changes it in one transaction that rolls back on failure and survives a crash.

            Exit codes: 0 success, 1 cannot be carried out here (or rolled back), 2 changes pending, \
            64 usage, 65 invalid plan, 75 another apply holds the lock.
            """,
        version: mklnkVersion,
        subcommands: [
            PlanCommand.self, ApplyCommand.self, CheckCommand.self, ValidateCommand.self, LinkCommand.self,
            UnlinkCommand.self, ShowCommand.self, GraphCommand.self, RecoverCommand.self, AdoptCommand.self,
            DestroyCommand.self, ImportCommand.self,
        ]
    )

    public init() {}
}
