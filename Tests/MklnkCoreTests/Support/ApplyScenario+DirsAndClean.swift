import MklnkCore

extension ApplyScenario {
    /// `dirs:` (with a mode and missing parents) and `clean:` beside a link: rollback removes only
    /// the directories it made and puts the cleaned dangling link back.
    static let dirsAndClean = ApplyScenario(
        name: "dirs and clean",
        tree: """
            file dots/vim/vimrc set nocompatible
            dir home/.ssh
            symlink home/.dead $TMP/dots/gone
            symlink home/.config/dead ../../dots/nvim/gone
            symlink home/.elsewhere /nowhere/at/all
            """,
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
