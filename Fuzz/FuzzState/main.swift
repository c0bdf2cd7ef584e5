@testable import MklnkCore

/// The state decoder on arbitrary bytes: whatever links it reads, written back and read again,
/// are the same links.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzState(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let links = AppliedState(encoded: bytes).links
    let again = AppliedState(links: links)
    precondition(again.links == links, "state does not survive a round trip")
    precondition(again.digest == AppliedState.digest(of: links.keys), "digest of a written state")
    return 0
}
