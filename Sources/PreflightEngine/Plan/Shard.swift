import PreflightCore

/// `--shard I/N`: the apps whose name hashes to share I of N. By name, so an app keeps its
/// shard when others are added.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// `"2/4"`; nil unless 1 <= I <= N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether an app is in this share: by a hash of its name, stable across runs, platforms
    /// and Swift versions, so an app stays in its shard when others are added, and any N runs
    /// cover every app exactly once. The fingerprint's FNV-1a, then MurmurHash3's 64-bit
    /// finaliser: FNV-1a alone leaves its high bits nearly unchanged by a name's last bytes, so
    /// `apps/app-0` … `apps/app-299` fell into 2 of 4 shares.
    public func contains(_ name: String) -> Bool {
        var hash = UInt64(Fingerprint.of(checkID: "shard", targetIdentity: name), radix: 16) ?? 0
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        // The share is hash * N / 2^64: even for any N.
        return Int(hash.multipliedFullWidth(by: UInt64(count)).high) == index - 1
    }
}
