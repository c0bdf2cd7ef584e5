#if canImport(Glibc)
import Glibc
#endif
import MklnkFileSystem
import Testing

/// One suite, two filesystems: `MemoryFileSystem` must answer as `LocalFileSystem` (the kernel)
/// does, or tests run in memory would prove nothing about the disk.
@Suite("FileSystem contract (local and in memory)")
struct FileSystemContractTests {
    @Test(arguments: Backend.allCases)
    func lstatSeesWhatIsThereWithoutFollowing(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let file = try #require(try f.fileSystem.linkStatus(f.at("file")))
        #expect(file.kind == .regular && file.linkCount == 1 && file.size == 5)
        #expect(try f.kind("dir") == .directory)
        #expect(try f.kind("link") == .symlink)
        #expect(try f.fileSystem.linkStatus(f.at("link"))?.size == 4)
        #expect(try f.kind("dangling") == .symlink)
        #expect(try f.kind("missing") == nil)
        #expect(try f.kind("file/below") == nil, "a file as a parent: not found")
        #expect(try f.kind("missing/below") == nil)
        #expect(try f.kind("dir/../file") == .regular)
        let followed = try #require(try f.fileSystem.status(f.at("link"), follow: true))
        #expect(followed.kind == .regular && followed.isSameFile(as: file))
        #expect(try f.fileSystem.status(f.at("link"), follow: false)?.kind == .symlink)
        #expect(try f.fileSystem.status(f.at("dangling"), follow: true) == nil)
        #expect(try f.fileSystem.status(f.at("file/below"), follow: false) == nil)
        #expect(f.errno { try f.fileSystem.status(f.at("loop"), follow: true) } == ELOOP)
    }

    @Test(arguments: Backend.allCases)
    func symlinksAreReadAsStored(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        #expect(try f.fileSystem.readLink(f.at("link")) == "file")
        #expect(try f.fileSystem.readLink(f.at("out")) == f.top + "/outside")
        #expect(f.errno { try f.fileSystem.readLink(f.at("file")) } == EINVAL)
        #expect(f.errno { try f.fileSystem.readLink(f.at("missing")) } == ENOENT)
        #expect(try f.fileSystem.readLink(anywhere: f.at("link")) == "file")
        #expect(f.errno { try f.fileSystem.readLink(anywhere: f.at("out/secret")) } == EINVAL, "not confined: a file, not a refusal")
        #expect(f.errno { try f.fileSystem.readLink(anywhere: f.top + "/outside/missing") } == ENOENT)
        let seen = try f.fileSystem.inspect(f.at("link"))
        #expect(seen.status?.kind == .symlink && seen.target == "file")
        #expect(try f.fileSystem.inspect(f.at("link"), expecting: "file").target == "file")
        #expect(try f.fileSystem.inspect(f.at("file")).target == nil)
        let missing = try f.fileSystem.inspect(f.at("missing"))
        #expect(missing.status == nil && missing.target == nil)

        try f.fileSystem.createSymlink(at: f.at("new"), target: "a\r\nb/\u{301}c")
        #expect(try f.fileSystem.readLink(f.at("new")) == "a\r\nb/\u{301}c")
        #expect(f.errno { try f.fileSystem.createSymlink(at: f.at("file"), target: "x") } == EEXIST)
        #expect(f.errno { try f.fileSystem.createSymlink(at: f.at("missing/x"), target: "x") } == ENOENT)
        #expect(f.errno { try f.fileSystem.createSymlink(at: f.at("file/x"), target: "x") } == ENOTDIR)
    }

    @Test(arguments: Backend.allCases)
    func hardLinksShareTheirFile(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        try f.fileSystem.createHardLink(at: f.at("h"), to: f.at("file"))
        let a = try #require(try f.fileSystem.linkStatus(f.at("file")))
        let b = try #require(try f.fileSystem.linkStatus(f.at("h")))
        #expect(a.isSameFile(as: b) && a.linkCount == 2 && b.linkCount == 2)
        try f.fileSystem.createHardLink(at: f.at("via-link"), to: f.at("link"))
        #expect(try f.fileSystem.linkStatus(f.at("via-link"))?.isSameFile(as: a) == true, "the existing path is followed")
        try f.fileSystem.unlink(f.at("file"))
        #expect(try f.fileSystem.linkStatus(f.at("h"))?.linkCount == 2)
        #expect(try f.fileSystem.readFile(f.at("h")) == Array("hello".utf8))
        #expect(f.errno { try f.fileSystem.createHardLink(at: f.at("x"), to: f.at("missing")) } == ENOENT)
        #expect(f.errno { try f.fileSystem.createHardLink(at: f.at("x"), to: f.at("dir")) } == EPERM)
        #expect(f.errno { try f.fileSystem.createHardLink(at: f.at("h"), to: f.at("dir/inner")) } == EEXIST)
        #expect(try f.fileSystem.unlinkUnlessLast(f.at("via-link")) == true)
        #expect(try f.fileSystem.unlinkUnlessLast(f.at("h")) == false, "h is the last name now")
        #expect(try f.fileSystem.readFile(f.at("h")) == Array("hello".utf8))
        try f.fileSystem.createHardLink(at: f.at("h2"), to: f.at("h"))
        #expect(try f.fileSystem.unlinkUnlessLast(f.at("h2")) == true)
        #expect(try f.kind("h2") == nil && f.fileSystem.linkStatus(f.at("h"))?.linkCount == 1)
        try f.fileSystem.createHardLink(at: f.at("from-outside"), to: f.top + "/outside/secret")
        #expect(try f.fileSystem.readFile(f.at("from-outside")) == Array("secret".utf8), "the existing file may lie anywhere")
    }

    @Test(arguments: Backend.allCases)
    func renameReplacesRefusesOrExchanges(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let fs = f.fileSystem
        let file = try #require(try fs.linkStatus(f.at("file")))
        let inner = try #require(try fs.linkStatus(f.at("dir/inner")))
        #expect(f.errno { try fs.rename(f.at("file"), to: f.at("dir/inner"), mode: .noReplace) } == EEXIST)
        #expect(try fs.linkStatus(f.at("dir/inner"))?.isSameFile(as: inner) == true)
        try fs.rename(f.at("file"), to: f.at("dir/inner"), mode: .exchange)
        #expect(try fs.linkStatus(f.at("dir/inner"))?.isSameFile(as: file) == true)
        #expect(try fs.linkStatus(f.at("file"))?.isSameFile(as: inner) == true)
        try fs.rename(f.at("file"), to: f.at("dir/inner"), mode: .replace)
        #expect(try fs.linkStatus(f.at("file")) == nil)
        #expect(try fs.linkStatus(f.at("dir/inner"))?.isSameFile(as: inner) == true)
        try fs.rename(f.at("dir/inner"), to: f.at("moved"), mode: .noReplace)
        #expect(try fs.readFile(f.at("moved")) == Array("inner".utf8))
        try fs.rename(f.at("dir/sub"), to: f.at("sub2"), mode: .replace)
        #expect(try f.kind("sub2") == .directory)

        #expect(f.errno { try fs.rename(f.at("missing"), to: f.at("x"), mode: .replace) } == ENOENT)
        #expect(f.errno { try fs.rename(f.at("moved"), to: f.at("missing"), mode: .exchange) } == ENOENT)
        #expect(f.errno { try fs.rename(f.at("sub2"), to: f.at("moved"), mode: .replace) } == ENOTDIR)
        try fs.writeFileAtomically(f.at("sub2/x"), [1], sync: false)
        #expect(f.errno { try fs.rename(f.at("moved"), to: f.at("sub2"), mode: .replace) } == EISDIR)
        #expect(f.errno { try fs.rename(f.at("dir"), to: f.at("sub2"), mode: .replace) } == ENOTEMPTY)
        #expect(f.errno { try fs.rename(f.at("sub2"), to: f.at("sub2/inside"), mode: .replace) } == EINVAL)
        #expect(try fs.readFile(f.at("sub2/x")) == [1])
    }

    @Test(arguments: Backend.allCases)
    func directoriesAreMadeAndRemovedOneAtATime(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let fs = f.fileSystem
        try fs.createDirectory(f.at("d"))
        #expect(try f.kind("d") == .directory)
        #expect(f.errno { try fs.createDirectory(f.at("d")) } == EEXIST)
        #expect(f.errno { try fs.createDirectory(f.at("a/b")) } == ENOENT)
        #expect(f.errno { try fs.removeDirectory(f.at("dir")) } == ENOTEMPTY)
        #expect(f.errno { try fs.removeDirectory(f.at("file")) } == ENOTDIR)
        #expect(f.errno { try fs.removeDirectory(f.at("missing")) } == ENOENT)
        #expect(f.errno { try fs.unlink(f.at("dir")) } == EISDIR)
        #expect(f.errno { try fs.unlink(f.at("missing")) } == ENOENT)
        try fs.removeDirectory(f.at("d"))
        #expect(try f.kind("d") == nil)
        try fs.unlink(f.at("link"))
        #expect(try f.kind("link") == nil && f.kind("file") == .regular, "unlink removes the link, not its target")
        try fs.syncDirectory(f.at("dir"))
        try fs.syncDirectory(f.root)
        #expect(f.errno { try fs.syncDirectory(f.at("missing")) } == ENOENT)
        try fs.syncRoot()
    }

    @Test(arguments: Backend.allCases)
    func setModeChangesADirectoryOnly(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let fs = f.fileSystem
        try fs.setMode(f.at("dir/sub"), 0o700)
        #expect(try fs.linkStatus(f.at("dir/sub"))?.permissions == 0o700)
        try fs.setMode(f.at("in/sub"), 0o750)
        #expect(try fs.linkStatus(f.at("dir/sub"))?.permissions == 0o750, "a symlinked parent inside root is followed")
        #expect(f.errno { try fs.setMode(f.at("file"), 0o600) } == ENOTDIR)
        #expect(f.errno { try fs.setMode(f.at("in"), 0o700) } == ENOTDIR, "the last name is not followed")
        #expect(f.errno { try fs.setMode(f.at("missing"), 0o700) } == ENOENT)
        #expect(f.escape { try fs.setMode(f.at("up/x"), 0o700) } == "/root/up", "never beneath a parent outside root")
    }

    @Test(arguments: Backend.allCases)
    func confinedCallsStayBeneathRoot(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let fs = f.fileSystem
        #expect(f.escape { try fs.linkStatus(f.at("out/secret")) } == "/root/out")
        #expect(f.escape { try fs.createSymlink(at: f.at("out/x"), target: "x") } == "/root/out")
        #expect(f.escape { try fs.createSymlink(at: f.at("up/x"), target: "x") } == "/root/up")
        #expect(f.escape { try fs.unlink(f.at("dir/../out/secret")) } == "/root/out")
        #expect(f.escape { try fs.linkStatus(f.top + "/outside/secret") } == "/outside/secret")
        #expect(f.escape { try fs.linkStatus(f.at("dir/../../outside/secret")) } == "/outside/secret")
        #expect(f.escape { try fs.unlink(f.root) } == "/root", "root itself is not beneath root")
        #expect(f.escape { try fs.rename(f.at("file"), to: f.at("out/stolen"), mode: .replace) } == "/root/out")
        #expect(f.escape { try fs.isDirectory(f.at("out")) } == "/root/out")
        #expect(f.errno { try fs.linkStatus(f.at("loop/x")) } == ELOOP)

        #expect(try f.kind("out") == .symlink, "the final name is never followed")
        #expect(try f.kind("in/inner") == .regular)
        #expect(try f.kind("abs-in/inner") == .regular)
        try fs.createSymlink(at: f.at("in/new"), target: "t")
        #expect(try fs.readLink(f.at("dir/new")) == "t", "a symlinked parent inside root is followed")
        #expect(try fs.isDirectory(f.at("in")) && fs.isDirectory(f.at("abs-in/sub")) && fs.isDirectory(f.root))
        #expect(try !fs.isDirectory(f.at("file")) && !fs.isDirectory(f.at("missing")))
        #expect(try fs.readFile(f.top + "/outside/secret") == Array("secret".utf8))
    }

    @Test(arguments: Backend.allCases)
    func unconfinedFilesAndListings(_ backend: Backend) throws {
        let f = try ContractFixture(backend)
        let fs = f.fileSystem
        #expect(try fs.readFile(f.at("missing")) == nil)
        #expect(try fs.readFile(f.at("file"), upTo: 2) == Array("he".utf8))
        #expect(try fs.readFile(f.at("out/secret")) == Array("secret".utf8), "unconfined calls follow any symlink")
        try fs.writeFileAtomically(f.at("file"), Array("new".utf8), sync: true)
        #expect(try fs.readFile(f.at("link")) == Array("new".utf8))
        let names = try fs.directoryEntries(f.root).map(\.name).sorted()
        #expect(names == ["abs-in", "dangling", "dir", "file", "in", "link", "loop", "out", "up"])
        let kinds = Dictionary(uniqueKeysWithValues: try fs.directoryEntries(f.at("dir")).map { ($0.name, $0.kind) })
        #expect(kinds == ["inner": .regular, "sub": .directory])
        #expect(f.errno { try fs.directoryEntries(f.at("missing")) } == ENOENT)
        #expect(f.errno { try fs.createDirectories(f.at("file/x")) } == ENOTDIR)
        try fs.createDirectories(f.top + "/state/plans")
        #expect(try fs.status(f.top + "/state/plans", follow: true)?.kind == .directory)
        try fs.removeFile(f.at("missing"))
        try fs.removeFile(f.at("file"))
        #expect(try fs.status(f.at("file"), follow: false) == nil)
    }
}
