import CMemmem
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Finds what a production page, bundle or env value must not carry: Clerk publishable keys
/// (that decode: Stripe's `pk_test_` and placeholders do not), whole development host names,
/// and Clerk secret keys.
///
/// Every bundle that includes Clerk's SDK carries the bare literals `"pk_test_"`,
/// `".accounts.dev"` and `".accounts.lclclerk.com"`; only a key that decodes, and a host with a
/// label before the longest development suffix it ends with, count (clerk-facts.md section 12).
/// A name that begins with a dot is a suffix, not a host.
///
/// Works on bytes (one SIMD pass finds the few anchors; everything else is verified around
/// them), so a 50 MB bundle is scanned without becoming a Swift `String`.
public enum ClerkStringScanner {
    public struct Match: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            case developmentKey = "development_key"
            case productionKey = "production_key"
            case developmentHost = "development_host"
            /// `sk_live_`/`sk_test_` whose own assignment names Clerk (see `isClerkSecretKey`).
            case secretKey = "secret_key"
        }

        public var kind: Kind
        /// The key or host as found; a secret key is kept masked (`sk_live_…abcd`).
        public var value: String
        /// 1-based line and column in the scanned text (bundles are often one long line).
        public var line: Int
        public var column: Int
        /// A few characters around the match on its line, secrets masked.
        public var excerpt: String?

        public init(kind: Kind, value: String, line: Int, column: Int, excerpt: String? = nil) {
            self.kind = kind
            self.value = value
            self.line = line
            self.column = column
            self.excerpt = excerpt
        }
    }

    /// At most this many matches per text: a bundle repeating a key 10,000 times says it once.
    public static let matchLimit = 50
    /// How far back (bytes) a secret key looks for the name it is assigned to. Stripe shares
    /// the `sk_` prefixes, and bundlers inline Stripe's and Clerk's keys side by side in one
    /// env object; the key's own assignment tells them apart (`CLERK_SECRET_KEY:"sk_live_…"`,
    /// `createClerkClient({secretKey:"sk_live_…"})`, `CLERK_SECRET_KEY=sk_live_…`).
    public static let secretContextWindow = 80
    /// Characters of context each side of a match in its excerpt.
    static let excerptRadius = 40

    public static func scan(_ text: String, knownSecrets: [String] = []) -> [Match] {
        var text = text
        return text.withUTF8 { scan(bytes: UnsafeRawBufferPointer($0), knownSecrets: knownSecrets) }
    }

    /// Scans raw bytes; matches come in the order they appear. `knownSecrets` are the values the
    /// environment and env files hold for Clerk's secrets (the secret key, the webhook signing
    /// secret): found anywhere, under any name, each is a `secretKey` match.
    public static func scan(bytes: UnsafeRawBufferPointer, knownSecrets: [String] = []) -> [Match] {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return [] }
        var hits: [(offset: Int, kind: Match.Kind, value: String, end: Int)] = []
        var seen: Set<String> = []
        func record(_ offset: Int, _ end: Int, _ kind: Match.Kind, _ value: String) {
            guard seen.insert("\(kind.rawValue):\(value)").inserted else { return }
            hits.append((offset, kind, value, end))
        }

        // One pass finds every anchor in order (CMemmem's SSE2 filter): keys are "k_test_" /
        // "k_live_" preceded by "p" or "s" at a token boundary; every development suffix
        // contains ".dev" or "lclclerk.com", and a host anchor is widened to the whole run of
        // host characters around it, which is then judged once.
        var keysSearchedTo = 0
        var judgedRuns: Set<Int> = []
        var anchors = [UInt64](repeating: 0, count: 512)
        var position = 0
        while position < bytes.count {
            var resume = 0
            let found = anchors.withUnsafeMutableBufferPointer {
                preflight_find_anchors(base.assumingMemoryBound(to: UInt8.self), bytes.count, position, $0.baseAddress, $0.count, &resume)
            }
            for entry in anchors[0..<found] {
                let offset = Int(entry >> 2)
                switch Int(entry & 3) {
                case PREFLIGHT_ANCHOR_KEY_TEST, PREFLIGHT_ANCHOR_KEY_LIVE:
                    guard offset >= 1, offset >= keysSearchedTo else { continue }
                    let start = offset - 1
                    let letter = bytes[start]
                    // A token starts after anything that cannot be part of a name: `KEY=sk_…`,
                    // `"pk_…"`, `(pk_…`. (`=`, `+` and `/` are key characters, but not before one.)
                    guard letter == 0x70 || letter == 0x73, start == 0 || !isNameByte(bytes[start - 1]) else { continue }
                    var end = offset + 7
                    while end < bytes.count, isKeyByte(bytes[end]) { end += 1 }
                    keysSearchedTo = end
                    let token = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    if letter == 0x70 {
                        if let key = try? PublishableKey(token) {
                            record(start, end, key.instance == .development ? .developmentKey : .productionKey, token)
                        }
                    } else if isClerkSecretKey(token, at: start, end: end, in: bytes) {
                        record(start, end, .secretKey, Redactor.mask(token))
                    }
                default:
                    var start = offset
                    while start > 0, isHostByte(bytes[start - 1]) { start -= 1 }
                    guard judgedRuns.insert(start).inserted else { continue }
                    var end = offset + 1
                    while end < bytes.count, isHostByte(bytes[end]) { end += 1 }
                    while end > start, bytes[end - 1] == 0x2E { end -= 1 }  // "... at foo.accounts.dev."
                    let run = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).lowercased()
                    if let host = developmentHost(in: run) { record(start, end, .developmentHost, host) }
                }
            }
            position = resume
        }
        // Known values, wherever they sit and whatever they are called (`let s="sk_live_…"`).
        for secret in knownSecrets where secret.utf8.count >= 16 {
            let needle = Array(secret.utf8)
            var from = 0
            while from < bytes.count, hits.count < matchLimit * 2,
                  let found = needle.withUnsafeBytes({ preflight_memmem(base + from, bytes.count - from, $0.baseAddress, needle.count) }) {
                let offset = base.distance(to: UnsafeRawPointer(found))
                record(offset, offset + needle.count, .secretKey, Redactor.mask(secret))
                from = offset + needle.count
            }
        }

        hits.sort { $0.offset < $1.offset }
        if hits.count > matchLimit { hits.removeLast(hits.count - matchLimit) }
        // Lines and columns in one forward pass over the newlines before each hit.
        var matches: [Match] = []
        var line = 1
        var lineStart = 0
        var cursor = 0
        for hit in hits {
            while cursor < hit.offset, let newline = memchr(base + cursor, 0x0A, hit.offset - cursor) {
                let offset = base.distance(to: UnsafeRawPointer(newline))
                line += 1
                lineStart = offset + 1
                cursor = offset + 1
            }
            cursor = max(cursor, hit.offset)
            matches.append(Match(
                kind: hit.kind, value: hit.value, line: line, column: hit.offset - lineStart + 1,
                excerpt: excerpt(bytes, start: hit.offset, end: hit.end, masking: hit.kind == .secretKey ? hit.value : nil, knownSecrets: knownSecrets)))
        }
        return matches
    }

    /// The development host a run of host characters names, if it is one: a label before the
    /// longest development suffix the run ends with. `nil` for a bare suffix (".accounts.dev",
    /// "accounts.lclclerk.com") and for names under no development suffix.
    public static func developmentHost(in run: String) -> String? {
        guard !run.hasPrefix(".") else { return nil }
        // Clerk's own local hosts (`api.lclclerk.com`, `LOCAL_API_URL` in @clerk/shared, and
        // every *.lclclerk.com) ship inside its SDKs: never an app's host.
        if run == "lclclerk.com" || run.hasSuffix(".lclclerk.com") { return nil }
        for suffix in suffixesLongestFirst where run == suffix || run.hasSuffix("." + suffix) {
            // The longest suffix decides: "accounts.lclclerk.com" is the suffix itself, not a
            // host "accounts" under ".lclclerk.com".
            let before = run.dropLast(suffix.count + 1)
            guard !before.isEmpty, !before.hasSuffix(".") else { return nil }
            return run
        }
        return nil
    }

    // MARK: Details

    /// Development suffixes without their leading dot, longest first, so "dev.lclclerk.com"
    /// wins over "lclclerk.com".
    static let suffixesLongestFirst: [String] = ClerkHosts.developmentSuffixes
        .map { String($0.dropFirst()) }.sorted { $0.count > $1.count }

    /// A Clerk secret key: a real-looking payload (not a placeholder, not Stripe's 100-character
    /// shape) that is Clerk's by its own shape (`isClerkShaped`), or whose assignment — the text
    /// before it back to a `,`, `;` or line break — names Clerk.
    static func isClerkSecretKey(_ token: String, at start: Int, end: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
        let payload = token.split(separator: "_", maxSplits: 2).last.map(String.init) ?? ""
        guard payload.count >= 20, payload.count < 90, !SecretKey.isPlaceholder(payload) else { return false }
        if isClerkShaped(payload) { return true }
        var from = start
        while from > 0, start - from < secretContextWindow, ![0x2C, 0x3B, 0x0A].contains(bytes[from - 1]) { from -= 1 }
        return containsCaseInsensitive(UnsafeRawBufferPointer(rebasing: bytes[from..<start]), "clerk")
    }

    /// The shape of a Clerk secret key's payload, told from the other `sk_live_`/`sk_test_`
    /// keys a bundle may carry: 30 to 64 base62 characters mixing upper case, lower case and
    /// digits. Stripe's are 24 (older) or about 99 characters (newer, starting `51`);
    /// Paystack's are 40 lower-case hex digits.
    static func isClerkShaped(_ payload: String) -> Bool {
        guard (30...64).contains(payload.count), payload.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
        return payload.contains(where: \.isUppercase) && payload.contains(where: \.isLowercase) && payload.contains(where: \.isNumber)
    }

    static func containsCaseInsensitive(_ bytes: UnsafeRawBufferPointer, _ word: String) -> Bool {
        let needle = Array(word.lowercased().utf8)
        guard bytes.count >= needle.count else { return false }
        for index in 0...(bytes.count - needle.count) {
            var matched = true
            for (offset, byte) in needle.enumerated() where bytes[index + offset] | 0x20 != byte {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    static func excerpt(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int, masking secret: String?, knownSecrets: [String] = []) -> String {
        var from = max(0, start - excerptRadius)
        var to = min(bytes.count, end + excerptRadius)
        // Stay on the match's line.
        if let newline = (from..<start).last(where: { bytes[$0] == 0x0A }) { from = newline + 1 }
        if let newline = (end..<to).first(where: { bytes[$0] == 0x0A }) { to = newline }
        // A known secret near the match is masked whole: the window never cuts one in two.
        for known in knownSecrets where !known.isEmpty {
            let needle = Array(known.utf8)
            var cursor = max(0, from - needle.count)
            let limit = min(bytes.count, to + needle.count)
            while cursor < limit, let base = bytes.baseAddress,
                  let found = needle.withUnsafeBytes({ preflight_memmem(base + cursor, limit - cursor, $0.baseAddress, needle.count) }) {
                let offset = base.distance(to: UnsafeRawPointer(found))
                if offset < from && offset + needle.count > from { from = offset }
                if offset < to && offset + needle.count > to { to = offset + needle.count }
                cursor = offset + needle.count
            }
        }
        let before = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[from..<start]), as: UTF8.self)
        let match = secret ?? String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        let after = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[end..<to]), as: UTF8.self)
        var text = (from > 0 && bytes[from - 1] != 0x0A ? "…" : "") + before + match + after + (to < bytes.count && bytes[to] != 0x0A ? "…" : "")
        for known in knownSecrets where !known.isEmpty { text = text.replacingOccurrences(of: known, with: Redactor.mask(known)) }
        return text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\r", with: "")
    }

    @inline(__always) static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F || byte == 0x2B || byte == 0x2F || byte == 0x3D
    }

    @inline(__always) static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x24
    }

    @inline(__always) static func isHostByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x2E
    }
}
