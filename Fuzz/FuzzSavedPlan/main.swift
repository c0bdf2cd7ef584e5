@testable import MklnkCore

/// The saved-plan decoder on arbitrary bytes: refused or a plan, and a decoded plan encodes to
/// bytes that decode to the same plan. (Format 2 is sealed with a checksum: the seeds carry a
/// valid one, so mutations reach the line decoder as well as the seal.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSavedPlan(_ data: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    guard case .success(let saved) = SavedPlan.decode(bytes) else { return 0 }
    let encoded = saved.encoded()
    guard case .success(let again) = SavedPlan.decode(encoded) else { preconditionFailure("an encoded saved plan does not decode") }
    precondition(again.encoded() == encoded, "a saved plan does not survive a round trip")
    return 0
}
