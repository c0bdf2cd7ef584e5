import MklnkCore

extension ApplyScenario {
    /// `dirs:` (with a mode and missing parents) and `clean:` beside a link: rollback removes only
    /// the directories it made and puts the cleaned dangling link back.
    static let dirsAndClean = ApplyScenario(
        name: "dirs and clean",
        setup: { t in
            t.file("@/vim/vimrc", "set nocompatible\n")
            t.directory("~/.ssh")
            t.symlink("~/.dead", t.path("@/gone"))
            t.symlink("~/.config/dead", "../../dots/nvim/gone")
            t.symlink("~/.elsewhere", "/nowhere/at/all")
        },
        plan: plan("""
            dirs:
              - ~/downloads
              - { path: ~/.ssh/sockets, mode: "0700" }
              - ~/a/b/c
            clean:
              - ~/
              - { path: ~/.config, recursive: false }
            links:
              .vimrc: vim/vimrc

            """),
        expects: [.delete, .delete, .create, .create, .create, .create])
}
