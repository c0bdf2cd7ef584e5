@testable import MklnkCore
import MklnkFileSystem
import Testing

/// A large plan holds one of each of these per link: their sizes are what the peak memory of
/// 100,000 links is made of (ARCHITECTURE.md, *Memory*).
@Suite struct CompactRecordTests {
    @Test("a link of the graph fits in 88 bytes (a large plan holds one per link)")
    func linkSize() {
        #expect(MemoryLayout<Link>.stride <= 88, "\(MemoryLayout<Link>.stride)")
    }

    @Test("an action fits in 112 bytes (a large plan holds one per link)")
    func actionSize() {
        #expect(MemoryLayout<Action>.stride <= 112, "\(MemoryLayout<Action>.stride)")
    }

    @Test("a read-ahead answer fits in 64 bytes; its link status survives the compact form whatever it is",
          arguments: [nil, FileStatus(kind: .symlink), FileStatus(kind: .symlink, device: 3, inode: 9),
                      FileStatus(kind: .regular, device: 1, inode: 2, linkCount: 3, size: 4, modified: 5, permissions: 0o600),
                      FileStatus(kind: .directory)])
    func answerSize(status: FileStatus?) {
        #expect(MemoryLayout<Prefetch.Answer>.stride <= 64, "\(MemoryLayout<Prefetch.Answer>.stride)")
        var answer = Prefetch.Answer()
        #expect(answer.link == .unread)
        answer.setLinkStatus(status)
        #expect(answer.linkStatus == status)
        #expect(answer.link != .unread)
        #expect((answer.rare == nil) == (status == nil || status == FileStatus(kind: .symlink)))
    }
}
