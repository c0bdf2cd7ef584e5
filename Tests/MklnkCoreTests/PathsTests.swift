import MklnkFileSystem
import Testing

/// Path arithmetic is on bytes, as the kernel reads paths: a `/` followed by a combining mark is
/// one Character in Swift, and canonically equal names are different files.
@Suite("Paths")
struct PathsTests {
    @Test func normalizeResolvesDotsLexically() {
        #expect(Paths.normalize("/a/./b/../c/") == "/a/c")
        #expect(Paths.normalize("a/../../b") == "../b")
        #expect(Paths.normalize("/../x") == "/x")
        #expect(Paths.normalize("a/..") == ".")
    }

    @Test func aCombiningMarkAfterASlashStartsAComponent() {
        #expect(Paths.normalize("/r/\u{301}../x") == "/r/\u{301}../x")
        #expect(Paths.normalize("/r/a/\u{301}../..") == "/r/a")
        #expect(Paths.normalize("/r//\u{301}x/.") == "/r/\u{301}x")
    }

    @Test func relativeCountsComponentsByBytes() {
        #expect(Paths.relative("/a/b/c", from: "/a/d") == "../b/c")
        #expect(Paths.relative("/a", from: "/a") == ".")
        #expect(Paths.relative("/r/\u{301}x/f", from: "/r/y") == "../\u{301}x/f")
        // The Kelvin sign and `K` are different directories.
        #expect(Paths.relative("/r/K/f", from: "/r/\u{212A}") == "../K/f")
    }

    @Test func pathEqualityIsByBytesNotUnicode() {
        #expect("K" == "\u{212A}")
        #expect(Path("/r/K") != Path("/r/\u{212A}"))
        #expect(Path("/caf\u{E9}") != Path("/cafe\u{301}"))
        #expect(Set([Path("/caf\u{E9}"), Path("/cafe\u{301}")]).count == 2)
        #expect(Path("/a/b") == Path("/a/") + Path("b"))
        #expect(Path("/a") < Path("/a/b") && Path("/a/b") < Path("/b"))
    }

    @Test func abbreviateCutsHomeByBytes() {
        #expect(Paths.abbreviate("/h/\u{301}x", home: "/h") == "~/\u{301}x")
        #expect(Paths.abbreviate("/h/x", home: "/h") == "~/x")
    }
}
