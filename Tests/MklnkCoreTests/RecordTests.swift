@testable import MklnkCore
import MklnkFileSystem
import Testing

/// Journal, state and saved-plan records keep every byte of a path (issue 9, defect 9).
@Suite struct RecordTests {
    static let odd: [Path] = [
        "cr\r\nlf", "trail\\", "back\\\u{301}mark", "tab\there", "lf\nonly", "\\\\t", "",
        Path(bytes: Array("caf".utf8) + [0xE9, 0x5C, 0xFF]),
    ]

    @Test func oddPathsRoundTripThroughOneRecord() {
        let fields: [RecordField] = ["kind"] + Self.odd.map { .path($0) }
        let bytes = Record.line(fields)
        #expect(bytes.filter { $0 == 10 }.count == 1)  // one line, whatever the names hold
        #expect(bytes.filter { $0 == 9 }.count == Self.odd.count)
        let parsed = Record.parse(bytes)
        #expect(parsed.count == 1)
        #expect(parsed[0][0] == "kind")
        #expect((1...Self.odd.count).map { parsed[0].path($0) } == Self.odd)
    }

    @Test func journalStepsWithOddNamesRoundTrip() {
        let original = Original(kind: .symlink, target: "old\r\n\\", device: 1, inode: 2)
        let steps: [Step] = [
            .makeDirectory(path: "/r/d\r\n"),
            .makeDirectory(path: "/r/private", mode: 0o700),
            .create(path: "/r/cr\r\nlf", link: NewLink(kind: .symlink, target: "/t/trail\\")),
            .replace(path: "/r/back\\\u{301}", link: NewLink(kind: .symlink, target: "/t"), temporary: "/r/.t",
                     original: original),
            .delete(path: Path(bytes: Array("/r/".utf8) + [0xFF]), trash: "/r/.x", original: original),
            .delete(path: "/r/dangling", trash: "/r/.y", original: original, dangling: true),
        ]
        var writer = Record.Writer()
        for step in steps { step.write(to: &writer) }
        #expect(Record.parse(writer.bytes).map { Step(record: $0) } == steps)
    }

    @Test func writerFieldsAreRecordFields() {
        var writer = Record.Writer()
        for path in Self.odd {
            writer.field(path)
            writer.field("t\\e\txt")
        }
        for n: UInt64 in [0, 7, 10, 1_234_567_890, .max] { writer.field(n) }
        writer.end()
        let fields = Self.odd.flatMap { [RecordField.path($0), .text("t\\e\txt")] }
            + [0, 7, 10, 1_234_567_890, UInt64.max].map { .text(String($0)) }
        #expect(writer.bytes == Record.line(fields))
    }

    @Test func plainScanFindsEveryByteToEscape() {
        for length in 0..<20 {
            for position in 0..<max(length, 1) {
                for special: UInt8 in [9, 10, 13, 92, 0x01, 0x0E, 0x5B, 0xFF] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    if length > 0 { bytes[position] = special }
                    let plain = bytes.withUnsafeBufferPointer { Record.Writer.isPlain($0) }
                    #expect(plain == !bytes.contains { $0 < 14 || $0 == 92 }, "\(bytes)")
                }
            }
        }
    }

    @Test func stateKeepsOddLinkPaths() {
        let links = Self.odd.filter { !$0.isEmpty }.map {
            RecordedLink(path: "/r/" + $0, kind: .symlink, stored: "/t/" + $0, device: 0, inode: 0)
        }
        let state = AppliedState(encoded: AppliedState.encode(links))
        #expect(state.links.count == links.count)
        for link in links { #expect(state.links[link.path] == link) }
    }
}
