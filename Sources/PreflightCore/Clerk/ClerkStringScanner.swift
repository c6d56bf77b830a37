/// Finds what a production page or bundle must not carry: Clerk publishable keys (that
/// decode: Stripe's `pk_test_` and placeholders do not) and whole development host names.
///
/// Every bundle that includes Clerk's SDK carries the bare literals `"pk_test_"` and
/// `".accounts.dev"`; only a key that decodes, and a host with a label before the suffix,
/// count (clerk-facts.md section 12).
public enum ClerkStringScanner {
    public struct Match: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case developmentKey = "development_key"
            case productionKey = "production_key"
            case developmentHost = "development_host"
        }

        public var kind: Kind
        public var value: String
        /// 1-based line and column in the scanned text (bundles are often one long line).
        public var line: Int
        public var column: Int

        public init(kind: Kind, value: String, line: Int, column: Int) {
            self.kind = kind
            self.value = value
            self.line = line
            self.column = column
        }
    }

    /// At most this many matches per text: a bundle repeating a key 10,000 times says it once.
    public static let matchLimit = 50

    public static func scan(_ text: String) -> [Match] {
        let bytes = Array(text.utf8)
        var matches: [Match] = []
        var seen: Set<String> = []
        var line = 1
        var lineStart = 0
        var index = 0

        func isKeyByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2B || byte == 0x2F || byte == 0x3D
        }
        func isHostByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E
        }
        func record(_ kind: Match.Kind, _ value: String, at start: Int) {
            guard matches.count < matchLimit, seen.insert("\(kind.rawValue):\(value)").inserted else { return }
            matches.append(Match(kind: kind, value: value, line: line, column: start - lineStart + 1))
        }

        let pk: [UInt8] = Array("pk_".utf8)
        let suffixes = ClerkHosts.developmentSuffixes.map { Array($0.utf8) }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            // A key: "pk_" at a token boundary, then the key's characters.
            if byte == 0x70, index + 3 <= bytes.count, Array(bytes[index..<index + 3]) == pk,
               index == 0 || !isKeyByte(bytes[index - 1]) {
                var end = index + 3
                while end < bytes.count, isKeyByte(bytes[end]) { end += 1 }
                let token = String(decoding: bytes[index..<end], as: UTF8.self)
                if let key = try? PublishableKey(token) {
                    record(key.instance == .development ? .developmentKey : .productionKey, token, at: index)
                }
                index = end
                continue
            }
            // A development host: a run of host characters ending in a known suffix, with at
            // least one label before it.
            if byte == 0x2E {
                for suffix in suffixes where index + suffix.count <= bytes.count
                    && Array(bytes[index..<index + suffix.count]).map({ $0 | 0x20 }) == suffix.map({ $0 | 0x20 })
                    && (index + suffix.count == bytes.count || !isHostByte(bytes[index + suffix.count])) {
                    var start = index
                    while start > 0, isHostByte(bytes[start - 1]) { start -= 1 }
                    // Trim leading dots: ".accounts.dev" alone is the SDK's literal.
                    while start < index, bytes[start] == 0x2E { start += 1 }
                    if start < index {
                        record(.developmentHost, String(decoding: bytes[start..<(index + suffix.count)], as: UTF8.self).lowercased(), at: start)
                    }
                    break
                }
            }
            index += 1
        }
        return matches
    }
}
