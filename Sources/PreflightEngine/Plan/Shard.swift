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

    /// Whether an app is in this share: by a hash of its name (the fingerprint's FNV-1a, stable
    /// across runs, platforms and Swift versions), so an app stays in its shard when others are
    /// added, and any N runs cover every app exactly once.
    public func contains(_ name: String) -> Bool {
        let hash = UInt64(Fingerprint.of(checkID: "shard", targetIdentity: name), radix: 16) ?? 0
        // The hash's high bits pick the share (FNV-1a's low bits mix poorly): hash * N / 2^64.
        return Int(hash.multipliedFullWidth(by: UInt64(count)).high) == index - 1
    }
}
