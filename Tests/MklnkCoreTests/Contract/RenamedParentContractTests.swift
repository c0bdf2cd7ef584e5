import MklnkFileSystem
import Testing

/// A directory reached through a symlinked parent (`in -> dir`) and then renamed away: the
/// next write through `in` lands in the directory now named `dir`, never in the moved one (a
/// descriptor cached for `in` once wrote a plan's link into its own backup).
@Suite("FileSystem contract: no directory reused after it was renamed away")
struct RenamedParentContractTests {
    @Test(arguments: Backend.allCases)
    func writeThroughSymlinkAfterRename(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let fs = f.fileSystem
        try fs.createSymlink(at: f.at("in/first"), target: "x")   // `in` walked (and cached on disk)
        try fs.rename(f.at("dir"), to: f.at("dir.moved"), mode: .noReplace)
        try fs.createDirectory(f.at("dir"))
        try fs.createSymlink(at: f.at("in/second"), target: "x")
        #expect(try fs.linkStatus(f.at("dir/second"))?.kind == .symlink)
        #expect(try fs.linkStatus(f.at("dir.moved/second")) == nil)
        // The same after the symlink itself is replaced by one to another directory.
        try fs.createDirectory(f.at("other"))
        try fs.unlink(f.at("in"))
        try fs.createSymlink(at: f.at("in"), target: "other")
        try fs.createSymlink(at: f.at("in/third"), target: "x")
        #expect(try fs.linkStatus(f.at("other/third"))?.kind == .symlink)
        #expect(try fs.linkStatus(f.at("dir/third")) == nil)
    }
}
