import MklnkFileSystem

/// A backup is `NAME.mklnk-backup-<YYYYmmddTHHMMSS>[-N]` in the same directory (SPEC §1), and
/// a name may hold at most 255 bytes (NAME_MAX on Linux's and macOS's file systems). A file
/// whose backup name would not fit is a conflict at plan time: found at the rename, it would
/// fail the apply half way, with a name that nothing can look up again.
enum BackupName {
    /// `.mklnk-backup-` (14), the timestamp (15) and room for `-N` up to `-99999` (6).
    static let suffixBytes = 35
    static let nameMax = 255

    /// Why `path` cannot be backed up, or nil when it can.
    static func refusal(_ path: Path) -> String? {
        let length = Paths.name(path).count
        guard length + suffixBytes > nameMax else { return nil }
        return "its name is \(length) bytes, too long for the backup name NAME.mklnk-backup-<timestamp> (at most \(nameMax - suffixBytes) bytes can be backed up)"
    }
}
