import COpenSSL
import Foundation

/// A keyed digest of a secret value (HMAC-SHA256 under a key made for one recording, never
/// stored): two values in one recording can be compared exactly, though neither is kept and
/// the digest alone reveals nothing about the value.
public struct SecretDigest: Sendable {
    private let key: [UInt8]

    public init(key: [UInt8]) {
        self.key = key
    }

    /// A fresh random key (OpenSSL's RAND_bytes).
    public static func random() -> SecretDigest {
        var key = [UInt8](repeating: 0, count: 32)
        if RAND_bytes(&key, Int32(key.count)) != 1 {
            // No randomness: fall back to the system's generator, never to a fixed key.
            var generator = SystemRandomNumberGenerator()
            key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        return SecretDigest(key: key)
    }

    /// The first 16 bytes of HMAC-SHA256(key, value), hex.
    public func digest(_ value: String) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        let bytes = Array(value.utf8)
        _ = key.withUnsafeBytes { keyBytes in
            preflight_hmac_sha256(keyBytes.baseAddress, Int32(key.count), bytes, bytes.count, &out)
        }
        return out.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

/// Whether two values of one evidence set are the same secret: by their keyed digests when a
/// recording masked them (both carry one), else by value.
public func sameSecretValue(_ a: String, digest aDigest: String?, _ b: String, digest bDigest: String?) -> Bool {
    if let aDigest, let bDigest { return aDigest == bDigest }
    if aDigest != nil || bDigest != nil { return false }
    return a == b
}
