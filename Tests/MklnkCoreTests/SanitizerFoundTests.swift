import MklnkTestSupport
import MklnkFileSystem
import Testing

/// What `make test-sanitizers` found; each case fails under AddressSanitizer before its fix.
@Suite("Found by the sanitizers")
struct SanitizerFoundTests {
    /// `readdir` entries copied whole (`entry.pointee.d_name`, 256 bytes) read past the end of
    /// the directory buffer when its last entry had a short name: a heap-buffer-overflow.
    @Test func everyNameOfALargeDirectoryIsListed() throws {
        let tree = try TempTree()
        var names: Set<String> = []
        for i in 0..<1_500 {
            let name = String(repeating: "n", count: 1 + i % 200) + "-\(i)"
            tree.file("big/" + name)
            names.insert(name)
        }
        let listed = try LocalFileSystem(root: Path(tree.root)).directoryEntries(Path(tree.path("big"))).map(\.name.description)
        #expect(listed.count == names.count)
        #expect(Set(listed) == names)
    }
}
