#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MklnkFileSystem

extension PlanCache {
    /// The cached plan for these bytes and options, or nil. `entry` sees each entry as it is
    /// decoded, once everything else matched (a file that fails after that is damaged all the
    /// same, and gives nil).
    ///
    /// The file is read in parts: its copy of the plan's bytes is compared a chunk at a time, so
    /// that only the encoded plan is ever held, never a second copy of the plan beside it.
    func lookup(name: String, bytes: [UInt8], options: LoadOptions, entry: (Path, PlanEntry) -> Void = { _, _ in }) -> Plan? {
        guard let key = Self.key(name: name, options: options) else { return nil }
        let fd = file(name: name, options: options).withCString { open($0, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size >= 16 else { return nil }
        let size = Int(info.st_size)
        // Magic, key, the variables looked up and the plan's length: a few hundred bytes.
        guard let head = Self.read(fd, at: 0, count: min(size - 8, 1 << 16)), head.starts(with: Self.magic) else { return nil }
        var sum = Checksum()
        let planAt: Int? = head.withUnsafeBufferPointer { all in
            var r = ByteReader(UnsafeBufferPointer(rebasing: all[8...]))
            guard let storedKey = r.raw(), storedKey.elementsEqual(key), let lookups = r.count() else { return nil }
            for _ in 0..<lookups {
                guard let name = r.string(), let present = r.flag(), let value = r.string() else { return nil }
                let now = options.facts.environment.values[name]
                guard present ? now == value : now == nil && value.isEmpty else { return nil }
            }
            guard r.int() == bytes.count else { return nil }
            sum.add(UnsafeBufferPointer(rebasing: all[8..<8 + r.at]))
            return 8 + r.at
        }
        guard let planAt, planAt + bytes.count + 8 <= size,
              Self.matches(fd, at: planAt, bytes, &sum) else { return nil }
        let encodedAt = planAt + bytes.count
        guard var encoded = Self.read(fd, at: encodedAt, count: size - encodedAt) else { return nil }
        var recorded: UInt64 = 0
        for i in 0..<8 { recorded |= UInt64(encoded[encoded.count - 8 + i]) << (8 * UInt64(i)) }
        encoded.removeLast(8)
        return encoded.withUnsafeBufferPointer { body -> Plan? in
            sum.add(body)
            guard recorded == sum.value else { return nil }
            var r = ByteReader(body)
            guard let decoded = PlanCodec.decode(&r, entry: entry), r.remaining == 0 else { return nil }
            return decoded
        }
    }

    /// Exactly `count` bytes at `offset`, or nil.
    private static func read(_ fd: Int32, at offset: Int, count: Int) -> [UInt8]? {
        var done = 0
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            initialized = done
        }
        return done == count ? out : nil
    }

    /// Whether the file holds `bytes` at `offset`; adds what it read to `sum`.
    private static func matches(_ fd: Int32, at offset: Int, _ bytes: [UInt8], _ sum: inout Checksum) -> Bool {
        let chunk = 1 << 20
        var done = 0
        while done < bytes.count {
            let count = min(chunk, bytes.count - done)
            guard let part = read(fd, at: offset + done, count: count) else { return false }
            let same = part.withUnsafeBufferPointer { p in
                bytes.withUnsafeBufferPointer { b in memcmp(p.baseAddress!, b.baseAddress! + done, count) == 0 }
            }
            guard same else { return false }
            part.withUnsafeBufferPointer { sum.add($0) }
            done += count
        }
        return true
    }
}
