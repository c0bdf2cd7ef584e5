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
        lookup(name: name, count: bytes.count, options: options, entry: entry) { fd, offset, sum in
            Self.matches(fd, at: offset, bytes, &sum)
        }
    }

    /// The cached plan for the plan file at `path` (a regular file of at most `limit` bytes),
    /// compared with the cache's copy a chunk at a time: a hit never holds the plan's bytes.
    /// Nil for a miss, and for anything that keeps the file from being read here (the load then
    /// reads it as ever, and says why).
    func lookup(name: String, file path: Path, limit: Int, options: LoadOptions,
                entry: (Path, PlanEntry) -> Void = { _, _ in }) -> Plan? {
        // Not blocking on a FIFO (or a device) named as the plan: it is no regular file, and the
        // load that follows refuses it.
        let plan = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard plan >= 0 else { return nil }
        defer { close(plan) }
        var info = stat()
        guard fstat(plan, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= Int64(limit) else { return nil }
        let count = Int(info.st_size)
        return lookup(name: name, count: count, options: options, entry: entry) { fd, offset, sum in
            var done = 0
            while done < count {
                let n = min(1 << 20, count - done)
                guard let stored = Self.read(fd, at: offset + done, count: n), let read = Self.read(plan, at: done, count: n),
                      stored == read else { return false }
                stored.withUnsafeBufferPointer { sum.add($0) }
                done += n
            }
            // The file ends where the copy does (it did not grow since the fstat).
            var extra: UInt8 = 0
            return pread(plan, &extra, 1, off_t(count)) == 0
        }
    }

    /// The lookup, with `samePlan` comparing the cache's copy of the plan (`count` bytes at the
    /// offset it is given) with the plan, and adding the copy to the checksum.
    private func lookup(name: String, count: Int, options: LoadOptions, entry: (Path, PlanEntry) -> Void,
                        samePlan: (Int32, Int, inout Checksum) -> Bool) -> Plan? {
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
            guard r.int() == count else { return nil }
            sum.add(UnsafeBufferPointer(rebasing: all[8..<8 + r.at]))
            return 8 + r.at
        }
        guard let planAt, planAt + count + 8 <= size, samePlan(fd, planAt, &sum) else { return nil }
        let encodedAt = planAt + count
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
