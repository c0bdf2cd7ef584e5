import MklnkFileSystem

// Tests write expected paths as text: these compare a path's bytes with the text's UTF-8 bytes
// (never Unicode equivalence), so an expectation still fails on a name that differs in bytes.

func == (a: Path, b: String) -> Bool { a == Path(b) }
func == (a: String, b: Path) -> Bool { Path(a) == b }
func == (a: Path?, b: String?) -> Bool { a.map { Optional($0.bytes) } == b.map { Optional(Array($0.utf8)) } }
func == (a: String?, b: Path?) -> Bool { b == a }
func == (a: [Path], b: [String]) -> Bool { a == b.map { Path($0) } }
func != (a: Path, b: String) -> Bool { !(a == b) }
func != (a: Path?, b: String?) -> Bool { !(a == b) }
