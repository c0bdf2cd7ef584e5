import ArgumentParser

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Finish an interrupted apply: roll it back, or finish its cleanup if it had committed.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        Session(common: common).run { session in
            try session.beginMutation(recovering: false)
            try session.recover(announce: true)
        }
    }
}
