/// Stable finding identity, used by baselines, waivers and SARIF `partialFingerprints`.
public enum Fingerprint {
    /// FNV-1a 64 over `checkID` and the target identity, as 16 hex digits. Not a security
    /// hash: it only has to be stable across runs, platforms and Swift versions, which
    /// `Hasher` is not.
    public static func of(checkID: String, targetIdentity: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array("\(checkID)\u{0}\(targetIdentity)".utf8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
