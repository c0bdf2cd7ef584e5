import CMklnkSys

/// The GNU build ID of the running executable (its `NT_GNU_BUILD_ID` note, a hash the linker
/// makes of the linked binary), read from memory: two builds of mklnk that differ in any byte
/// have different IDs, however the binary was started (a loader or valgrind in front of it
/// changes `/proc/self/exe`, not this). Nil when the executable has none.
enum BuildID {
    static let current: [UInt8]? = {
        var id = [UInt8](repeating: 0, count: 64)
        let length = id.withUnsafeMutableBufferPointer { Int(mklnk_build_id($0.baseAddress, UInt($0.count))) }
        return length > 0 ? Array(id.prefix(length)) : nil
    }()
}
