/// Starting trees of the planner and graph suites, in the fixture format (`TreeFixture`).
enum CoreTrees {
    /// Two targets in `dots/` and an empty `home/`.
    static let vimAndGit = """
        file dots/vim/vimrc set nocompatible
        file dots/git/config [user]
        dir home

        """
}
