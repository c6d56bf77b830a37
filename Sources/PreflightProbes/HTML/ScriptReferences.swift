import Foundation

/// The other scripts a JavaScript file loads, so a key in a vendor or lazy chunk is found:
/// static `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`, dynamic
/// `import("./x.js")`, Vite's preload dependency list (`__vite__mapDeps`), and the chunks a
/// Next.js build manifest names.
///
/// Not a JavaScript parser: it reads string literals right after the `import`, `from` and
/// `import(` keywords, which is what bundlers emit. Bare specifiers (`"react"`) are skipped:
/// a built bundle has none, and they are not URLs.
public enum ScriptReferences {
    /// At most this many references are taken from one script.
    static let limit = 200

    public static func extract(from script: String, url: String) -> [String] {
        guard let base = URL(string: url) else { return [] }
        let bytes = Array(script.utf8)
        var specifiers: [String] = []

        // `import("x")`, `import "x"`, `import{a}from"x"`, `export*from"x"`.
        for keyword in ["import", "from"] {
            let needle = Array(keyword.utf8)
            var index = 0
            while index + needle.count <= bytes.count, specifiers.count < limit {
                guard bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle,
                      index == 0 || !isIdentifierByte(bytes[index - 1]),
                      index + needle.count == bytes.count || !isIdentifierByte(bytes[index + needle.count])
                else { index += 1; continue }
                var cursor = index + needle.count
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x0A || bytes[cursor] == 0x09 { cursor += 1 }
                if keyword == "import", cursor < bytes.count, bytes[cursor] == 0x28 {  // import(
                    cursor += 1
                    while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
                }
                if let (literal, end) = stringLiteral(bytes, at: cursor) {
                    specifiers.append(literal)
                    index = end
                } else {
                    index = cursor
                }
            }
        }

        // Vite: const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/a.js",...])))
        // lists chunk paths relative to the site's base; Next.js manifests list "static/chunks/…"
        // relative to /_next/.
        var rooted: [(String, URL)] = []
        if script.contains("__vite__mapDeps"), let root = URL(string: "/", relativeTo: base) {
            rooted += literals(in: bytes).filter { $0.hasPrefix("assets/") && isScriptPath($0) }.map { ($0, root) }
        }
        if url.contains("/_next/static/"), url.hasSuffix("_buildManifest.js") || url.hasSuffix("_ssgManifest.js"),
           let range = url.range(of: "/_next/"), let nextRoot = URL(string: String(url[..<range.upperBound])) {
            rooted += literals(in: bytes).filter { $0.hasPrefix("static/") && isScriptPath($0) }.map { ($0, nextRoot) }
        }

        var result: [String] = []
        var seen: Set<String> = []
        for specifier in specifiers where isURLSpecifier(specifier) {
            guard let resolved = URL(string: specifier, relativeTo: base)?.absoluteURL.absoluteString, seen.insert(resolved).inserted else { continue }
            result.append(resolved)
        }
        for (path, root) in rooted.prefix(limit) {
            guard let resolved = URL(string: path, relativeTo: root)?.absoluteURL.absoluteString, seen.insert(resolved).inserted else { continue }
            result.append(resolved)
        }
        return Array(result.prefix(limit))
    }

    /// A module specifier that is a URL or path: `./x.js`, `../x.js`, `/x.js`, `https://…`.
    static func isURLSpecifier(_ specifier: String) -> Bool {
        specifier.hasPrefix("./") || specifier.hasPrefix("../") || specifier.hasPrefix("/") || specifier.hasPrefix("https://")
            || specifier.hasPrefix("http://")
    }

    static func isScriptPath(_ path: String) -> Bool {
        let bare = path.split(separator: "?").first.map(String.init) ?? path
        return bare.hasSuffix(".js") || bare.hasSuffix(".mjs") || bare.hasSuffix(".cjs")
    }

    /// The text of a '…', "…" or `…` literal starting at `index` (no escapes or
    /// template holes: module specifiers have none), and the index after it.
    static func stringLiteral(_ bytes: [UInt8], at index: Int) -> (String, Int)? {
        guard index < bytes.count, [0x22, 0x27, 0x60].contains(bytes[index]) else { return nil }
        let quote = bytes[index]
        var end = index + 1
        while end < bytes.count, bytes[end] != quote {
            if bytes[end] == 0x5C || bytes[end] == 0x0A || (quote == 0x60 && bytes[end] == 0x24) || end - index > 2048 { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        return (String(decoding: bytes[(index + 1)..<end], as: UTF8.self), end + 1)
    }

    /// Every short double- or single-quoted literal, for manifest lists.
    static func literals(in bytes: [UInt8]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < bytes.count, result.count < limit * 4 {
            if bytes[index] == 0x22 || bytes[index] == 0x27, let (literal, end) = stringLiteral(bytes, at: index) {
                result.append(literal)
                index = end
            } else {
                index += 1
            }
        }
        return result
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x24
    }
}
