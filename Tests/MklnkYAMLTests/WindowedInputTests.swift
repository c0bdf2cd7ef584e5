import MklnkYAML
import Testing

/// The reader takes its input a window at a time (`YAMLBytes`): what it reads, and where it
/// places an error, must not depend on where a window ends.
@Suite("YAML read in windows")
struct WindowedInputTests {
    /// Bytes handed out at most `step` at a time, as a file read in small pieces would be.
    final class Trickle: YAMLBytes {
        let bytes: [UInt8], step: Int
        var reads = 0
        init(_ bytes: [UInt8], step: Int) { (self.bytes, self.step) = (bytes, step) }
        func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
            reads += 1
            return YAMLByteArray.copy(bytes, at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(step, buffer.count)]))
        }
    }

    /// Fails every read from `failAt` on.
    final class Failing: YAMLBytes {
        let bytes: [UInt8], failAt: Int
        init(_ bytes: [UInt8], failAt: Int) { (self.bytes, self.failAt) = (bytes, failAt) }
        func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
            offset >= failAt ? nil : YAMLByteArray.copy(bytes, at: offset, into: buffer)
        }
        var failure: String? { "Input/output error" }
    }

    static func plan(links: Int) -> [UInt8] {
        var text = "version: 1\nlinks:\n"
        for i in 0..<links { text += "  \"~/d\(i % 97)/caf\u{E9}-\(i)\": 'dots/t\(i)'\r\n" }
        return Array(text.utf8)
    }

    @Test(arguments: [1, 7, 4096, 1 << 18])
    func theTreeIsTheSameWhateverTheWindow(step: Int) throws {
        let bytes = Self.plan(links: 3000)
        let whole = try YAMLReader.parse(bytes)
        let (trickled, problems) = try YAMLReader.parseDocument(Trickle(bytes, step: step))
        #expect(problems.isEmpty)
        let a = try #require(whole?["links"]), b = try #require(trickled?["links"])
        guard case .mapping(let x) = a.content, case .mapping(let y) = b.content else { Issue.record("not mappings"); return }
        #expect(x.count == 3000 && y.count == 3000)
        #expect(x.map { $0.key.scalar! + "=" + $0.value.scalar! } == y.map { $0.key.scalar! + "=" + $0.value.scalar! })
        #expect(x.map(\.value.mark) == y.map(\.value.mark))
    }

    @Test func aLargeInputIsReadInFewReads() throws {
        let bytes = Self.plan(links: 40000)
        let input = Trickle(bytes, step: Int.max)
        _ = try YAMLReader.parseDocument(input)
        #expect(bytes.count > 1 << 20)
        // libyaml asks for 16 KiB at a time; the reader's window is 256 KiB.
        #expect(input.reads <= bytes.count / (1 << 18) + 2)
    }

    @Test func anEncodingErrorFarIntoTheInputIsPlacedByItsLineAndColumn() throws {
        var bytes = Self.plan(links: 60000)
        let lines = bytes.filter { $0 == 10 }.count
        bytes += Array("  \"~/é".utf8) + [0xFF] + Array("\": x\n".utf8)
        let error = try #require(parseError(bytes))
        let windowed: YAMLError
        do {
            _ = try YAMLReader.parseDocument(Trickle(bytes, step: 5000))
            Issue.record("parsed")
            return
        } catch { windowed = error }
        #expect(bytes.count > 2 << 20)
        #expect(error.mark == at(lines + 1, 7))
        #expect(windowed.mark == error.mark && windowed.message == error.message)
    }

    @Test func anErrorAtTheEndIsPlacedOnTheLastLineWhateverItsLineBreaks() throws {
        // The CR of a CR LF is the last byte of the first 1 MiB window: the pair is still one
        // line break; a lone CR is one too.
        let head = Array("#\n".utf8) + Array(String(repeating: "#\r\n", count: 400_000).utf8)
        #expect(head[(1 << 20) - 1] == 13)
        for (tail, expected) in [("a: [b\r\n", at(400_003, 1)), ("a: [b\r", at(400_003, 1)), ("a: [b", at(400_002, 6))] {
            let bytes = head + Array(tail.utf8)
            let whole = try #require(parseError(bytes))
            #expect(whole.mark == expected, "\(tail.debugDescription)")
            do {
                _ = try YAMLReader.parseDocument(Trickle(bytes, step: 2))
                Issue.record("parsed")
            } catch {
                #expect(error.mark == whole.mark, "\(tail.debugDescription)")
            }
        }
    }

    @Test func aReadErrorIsReportedNotTakenForTheEnd() throws {
        let bytes = Self.plan(links: 20000)
        do {
            _ = try YAMLReader.parseDocument(Failing(bytes, failAt: 1 << 19))
            Issue.record("a plan cut short by a read error parsed")
        } catch {
            #expect(error.message == "cannot read the file: Input/output error")
        }
    }

    @Test func anInputThatGrowsPastTheLimitIsRefused() throws {
        final class Unknown: YAMLBytes {
            let bytes: [UInt8]
            init(_ bytes: [UInt8]) { self.bytes = bytes }
            func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
                YAMLByteArray.copy(bytes, at: offset, into: buffer)
            }
        }
        let bytes = Self.plan(links: 100)
        do {
            _ = try YAMLReader.parseDocument(Unknown(bytes), limits: YAMLLimits(maxInputBytes: 1000))
            Issue.record("parsed past the limit")
        } catch {
            #expect(error.message == "the file is more than the limit of 1000 bytes")
        }
        #expect(throws: Never.self) { try YAMLReader.parseDocument(Unknown(bytes), limits: YAMLLimits(maxInputBytes: bytes.count)) }
    }
}
