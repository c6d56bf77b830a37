import Foundation
import PreflightCore

/// Reads where an integration names Clerk's issuer: Convex's `convex/auth.config.{ts,js}`
/// (a `domain:` literal, or the `process.env.NAME` it reads) and Supabase's
/// `supabase/config.toml` (`domain` in `[auth.third_party.clerk]`). As text: the first is code,
/// and of the second only one key of one table is read.
enum IssuerSettingReader {
    static func isCandidate(_ relative: String) -> Bool {
        let name = (relative as NSString).lastPathComponent
        let folder = ((relative as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return (folder == "convex" && ["auth.config.ts", "auth.config.js", "auth.config.mjs"].contains(name))
            || (folder == "supabase" && name == "config.toml")
    }

    static func read(_ text: String, path: String) -> [SourceScan.IssuerSetting] {
        path.hasSuffix("config.toml") ? supabase(text, path: path) : convex(text, path: path)
    }

    /// Each `domain:` of the providers: a string literal, or `process.env.NAME`.
    static func convex(_ text: String, path: String) -> [SourceScan.IssuerSetting] {
        var settings: [SourceScan.IssuerSetting] = []
        var start = text.startIndex
        while let range = text.range(of: "domain:", range: start..<text.endIndex) {
            start = range.upperBound
            let rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" }
            guard let first = rest.first else { continue }
            let place = TextPosition.of(rest.startIndex, in: text)
            if "'\"`".contains(first), let close = rest.dropFirst().firstIndex(of: first) {
                settings.append(.init(path: path, line: place.line, column: place.column, integration: "Convex", value: String(rest[rest.index(after: rest.startIndex)..<close])))
            } else if rest.hasPrefix("process.env.") {
                let name = rest.dropFirst("process.env.".count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !name.isEmpty { settings.append(.init(path: path, line: place.line, column: place.column, integration: "Convex", variable: String(name))) }
            }
        }
        return settings
    }

    /// `domain = "..."` in the `[auth.third_party.clerk]` table.
    static func supabase(_ text: String, path: String) -> [SourceScan.IssuerSetting] {
        var inTable = false
        var offset = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            defer { offset += raw.count + 1 }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                inTable = line == "[auth.third_party.clerk]"
                continue
            }
            guard inTable, line.hasPrefix("domain"), let equals = line.firstIndex(of: "=") else { continue }
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard value.count >= 2, let quote = value.first, "\"'".contains(quote), let close = value.dropFirst().firstIndex(of: quote) else { continue }
            let column = (raw.range(of: String(value.prefix(1)) + value[value.index(after: value.startIndex)..<close]).map { raw.distance(from: raw.startIndex, to: $0.lowerBound) } ?? 0) + 1
            return [.init(path: path, line: index + 1, column: column, integration: "Supabase", value: String(value[value.index(after: value.startIndex)..<close]))]
        }
        return []
    }
}
