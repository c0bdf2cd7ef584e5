#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem
import Testing

/// `replaceFile`: how a committed apply puts its staged state in place (and recovery again).
@Suite struct ReplaceFileTests {
    static func check(_ fs: FileSystem, in dir: Path) throws {
        try fs.writeFileAtomically(dir + "/state", Array("old".utf8), sync: false)
        try fs.writeFileAtomically(dir + "/state.next", Array("new".utf8), sync: true)
        try fs.replaceFile(dir + "/state", with: dir + "/state.next")
        #expect(try fs.readFile(dir + "/state") == Array("new".utf8))
        #expect(try fs.readFile(dir + "/state.next") == nil)
        // Done already (a retry, or recovery after a crash that came after it): nothing changes.
        try fs.replaceFile(dir + "/state", with: dir + "/state.next")
        #expect(try fs.readFile(dir + "/state") == Array("new".utf8))
    }

    @Test func onDisk() throws {
        var template = Array("/tmp/mklnk-replace-XXXXXX".utf8CString)
        let dir = Path(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!)! })
        defer {
            for name: Path in ["/state", "/state.next"] { _ = (dir + name).withCString { unlink($0) } }
            _ = dir.withCString { rmdir($0) }
        }
        let fs = LocalFileSystem(root: dir)
        try Self.check(fs, in: dir)
        // A rename, not a copy: the staged file's inode is the state's now.
        try fs.writeFileAtomically(dir + "/state.next", Array("newer".utf8), sync: false)
        let staged = try fs.status(dir + "/state.next", follow: false)?.inode
        try fs.replaceFile(dir + "/state", with: dir + "/state.next")
        #expect(try fs.status(dir + "/state", follow: false)?.inode == staged)
    }

    @Test func inMemory() throws {
        let fs = MemoryFileSystem(root: "/")
        try fs.createDirectories("/s")
        try Self.check(fs, in: "/s")
    }
}
