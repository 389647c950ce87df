import Foundation

/// Checks a zip archive's directory before ZIPFoundation walks it. ZIPFoundation 0.9.20
/// trusts the offsets and sizes an archive gives: a 64-bit one above `Int64.max` (a
/// ZIP64 end record, extra field or data descriptor) traps in its conversions to
/// `off_t`/`Int64`, and a size the file cannot hold becomes an allocation of that size.
/// This reads the same records the way ZIPFoundation does (the end record nearest the end
/// of the file, the ZIP64 record right before it, each central directory entry, its
/// local header and data descriptor) and refuses an archive in which any of them points
/// outside the file, stores more bytes than the file has, or claims to expand more than
/// deflate can. Found by fuzzing (Fixtures/fuzz-regressions/weights/).
public enum ZipDirectory {
    /// deflate's largest expansion: 258 bytes from about 2 bits, so about 1032 to 1.
    public static let maximumExpansion: UInt64 = 1032

    /// The most bytes an entry of `compressed` bytes can hold when deflated (stored
    /// entries hold exactly their compressed size).
    public static func expansionLimit(compressed: UInt64) -> UInt64 { compressed * maximumExpansion + 1024 }

    /// Why the archive in `bytes` cannot be read safely, or nil when its directory stays
    /// inside the file (or is so broken that ZIPFoundation refuses it on its own).
    public static func problem(in bytes: UnsafeRawBufferPointer) -> String? {
        let length = UInt64(bytes.count)
        func u16(_ at: UInt64) -> UInt64? { at <= length && length - at >= 2 ? UInt64(bytes.loadUnaligned(fromByteOffset: Int(at), as: UInt16.self).littleEndian) : nil }
        func u32(_ at: UInt64) -> UInt64? { at <= length && length - at >= 4 ? UInt64(bytes.loadUnaligned(fromByteOffset: Int(at), as: UInt32.self).littleEndian) : nil }
        func u64(_ at: UInt64) -> UInt64? { at <= length && length - at >= 8 ? bytes.loadUnaligned(fromByteOffset: Int(at), as: UInt64.self).littleEndian : nil }

        // The end of central directory record: the signature nearest the end.
        guard length >= 22 else { return nil }
        var position = length - 22
        while u32(position) != 0x0605_4B50 {
            guard position > 0 else { return "no end of central directory record" }
            position -= 1
        }
        let eocd = position
        guard var directory = u32(eocd + 16) else { return nil }
        var count = u16(eocd + 10) ?? 0
        // A ZIP64 end record (version 4.5 or later) directly before its locator, directly
        // before the end record, replaces the counts and the directory offset.
        if eocd > 76, u32(eocd - 20) == 0x0706_4B50, u32(eocd - 76) == 0x0606_4B50, let version = u16(eocd - 76 + 14), version >= 45,
           let n = u64(eocd - 76 + 32), let offset = u64(eocd - 76 + 48) {
            count = n
            directory = offset
        }
        guard directory <= length else { return "the central directory is said to start at byte \(directory), past the end (\(length) bytes)" }

        // Each entry, as ZIPFoundation's iterator meets them; it stops at the first that
        // does not parse.
        var entry: UInt64 = 0
        while entry < count, u32(directory) == 0x0201_4B50, let nameLength = u16(directory + 28), let extraLength = u16(directory + 30),
              let commentLength = u16(directory + 32), directory + 46 + nameLength + extraLength + commentLength <= length {
            let at = "central directory entry \(entry) (byte \(directory))"
            let versionMadeBy = u16(directory + 4) ?? 0, versionNeeded = u16(directory + 6) ?? 0, flags = u16(directory + 8) ?? 0
            let method = u16(directory + 10) ?? 0
            var compressed = u32(directory + 20) ?? 0, uncompressed = u32(directory + 24) ?? 0
            var local = u32(directory + 42) ?? 0
            let disk = u16(directory + 34) ?? 0
            let attributes = u32(directory + 38) ?? 0
            // The ZIP64 extended information field: one slot per 32-bit field that is all
            // ones, in this order, and exactly that long (otherwise ZIPFoundation ignores it).
            let extra = directory + 46 + nameLength
            var zip64 = false
            var field: UInt64 = 0
            while extraLength >= 4, field < extraLength - 4, let id = u16(extra + field), let size = u16(extra + field + 2) {
                guard field + 4 + size <= extraLength else { break }
                if id == 0x0001 {
                    var slots: [UInt64] = []
                    if uncompressed == 0xFFFF_FFFF { slots.append(8) }
                    if compressed == 0xFFFF_FFFF { slots.append(8) }
                    if local == 0xFFFF_FFFF { slots.append(8) }
                    if disk == 0xFFFF { slots.append(4) }
                    if slots.reduce(0, +) == size {
                        zip64 = true
                        var slot = extra + field + 4
                        if uncompressed == 0xFFFF_FFFF, let v = u64(slot) { if v > 0 { uncompressed = v }; slot += 8 }
                        if compressed == 0xFFFF_FFFF, let v = u64(slot) { if v > 0 { compressed = v }; slot += 8 }
                        if local == 0xFFFF_FFFF, let v = u64(slot), v > 0 { local = v }
                    }
                    break
                }
                field += 4 + size
            }
            zip64 = zip64 || versionNeeded & 0xFF >= 45
            if (versionMadeBy >> 8 == 3 || versionMadeBy >> 8 == 19), (attributes >> 16) & 0xF000 == 0xA000 {
                return "\(at) is a symbolic link"
            }
            guard local <= length else { return "\(at) says its local header is at byte \(local), past the end (\(length) bytes)" }
            guard u32(local) == 0x0403_4B50, let localName = u16(local + 26), let localExtra = u16(local + 28),
                  local + 30 + localName + localExtra <= length else {
                // ZIPFoundation ends its walk here: nothing past this entry is read.
                return nil
            }
            guard u16(local + 8) == method else { return "\(at): the local header's compression method differs from the directory's" }
            let data = local + 30 + localName + localExtra
            var sizes = [(compressed, uncompressed)]
            if flags & 0x8 != 0 {
                // A data descriptor after the data, whose sizes ZIPFoundation then uses.
                let span = method != 0 ? compressed : uncompressed
                guard span <= length - data else { return "\(at) says its data runs \(span) bytes from byte \(data), past the end (\(length) bytes)" }
                let descriptor = data + span
                let signed = u32(descriptor) == 0x0807_4B50 ? UInt64(4) : 0
                if zip64 {
                    if let c = u64(descriptor + signed + 4), let u = u64(descriptor + signed + 12) { sizes.append((c, u)) }
                } else if let c = u32(descriptor + signed + 4), let u = u32(descriptor + signed + 8) {
                    sizes.append((c, u))
                }
            }
            for (c, u) in sizes {
                guard c <= length - data else { return "\(at) says it holds \(c) compressed bytes from byte \(data), past the end (\(length) bytes)" }
                let most = method == 0 ? length - data : expansionLimit(compressed: c)
                guard u <= most else { return "\(at) says it expands to \(u) bytes, more than its \(c) bytes can hold" }
            }
            directory += 46 + nameLength + extraLength + commentLength
            entry += 1
        }
        return nil
    }
}
