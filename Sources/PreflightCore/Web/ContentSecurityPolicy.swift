import Foundation

/// One Content Security Policy, read and matched as CSP Level 3 does: directives split on `;`
/// (the first of a repeated directive wins), fallback lists (`worker-src` -> `child-src` ->
/// `script-src` -> `default-src`), and source matching with schemes, host wildcards
/// (`https://*.example.com`), ports, paths and `'self'`.
public struct ContentSecurityPolicy: Sendable, Hashable {
    /// Directive name (lowercased) -> source expressions as written.
    public var directives: [String: [String]]
    /// Where the policy came from (`header`, `meta`), for evidence.
    public var source: String

    public init(_ text: String, source: String = "header") {
        var directives: [String: [String]] = [:]
        for part in text.split(separator: ";") {
            let tokens = part.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
            guard let name = tokens.first?.lowercased(), directives[name] == nil else { continue }
            directives[name] = Array(tokens.dropFirst())
        }
        self.directives = directives
        self.source = source
    }

    /// The policies in one header value: a comma separates policies that are each enforced.
    public static func policies(header value: String, source: String = "header") -> [ContentSecurityPolicy] {
        value.split(separator: ",").map { ContentSecurityPolicy(String($0), source: source) }.filter { !$0.directives.isEmpty }
    }

    /// CSP3's fallback lists for the directives Clerk's needs touch.
    public static let fallbacks: [String: [String]] = [
        "script-src": ["script-src", "default-src"],
        "style-src": ["style-src", "default-src"],
        "img-src": ["img-src", "default-src"],
        "connect-src": ["connect-src", "default-src"],
        "frame-src": ["frame-src", "child-src", "default-src"],
        "worker-src": ["worker-src", "child-src", "script-src", "default-src"],
    ]

    /// The directive that governs `name` in this policy, or `nil` when none does (allowed).
    public func governing(_ name: String) -> (name: String, sources: [String])? {
        for candidate in Self.fallbacks[name] ?? [name] {
            if let sources = directives[candidate] { return (candidate, sources) }
        }
        return nil
    }

    /// Whether loading `url` under `directive` is allowed on a page at `pageURL`.
    public func allows(_ url: String, directive: String, pageURL: String) -> Bool {
        guard let governing = governing(directive) else { return true }
        return Self.sourceList(governing.sources, matches: url, pageURL: pageURL)
    }

    /// Whether inline styles (or scripts) are allowed: `'unsafe-inline'` without a nonce or
    /// hash, which would switch it off.
    public func allowsUnsafeInline(_ directive: String) -> Bool {
        guard let governing = governing(directive) else { return true }
        let lowered = governing.sources.map { $0.lowercased() }
        let hasNonceOrHash = lowered.contains { $0.hasPrefix("'nonce-") || $0.hasPrefix("'sha256-") || $0.hasPrefix("'sha384-") || $0.hasPrefix("'sha512-") }
        return lowered.contains("'unsafe-inline'") && !hasNonceOrHash
    }

    // MARK: Matching (CSP3 section 6.7.2)

    struct Location {
        var scheme: String
        var host: String?
        var port: Int?
        var path: String

        init?(_ text: String) {
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else { return nil }
            self.scheme = scheme
            host = components.host?.lowercased()
            port = components.port ?? Self.defaultPort(scheme)
            path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        }

        static func defaultPort(_ scheme: String) -> Int? {
            switch scheme {
            case "http", "ws": 80
            case "https", "wss": 443
            default: nil
            }
        }
    }

    static func sourceList(_ sources: [String], matches url: String, pageURL: String) -> Bool {
        guard let target = Location(url), let page = Location(pageURL) else { return false }
        return sources.contains { expression($0, matches: target, page: page) }
    }

    /// A scheme matches itself and its secure upgrade (http -> https, ws -> wss).
    static func schemeMatches(_ expected: String, _ actual: String) -> Bool {
        expected == actual || (expected == "http" && actual == "https") || (expected == "ws" && actual == "wss")
    }

    static func expression(_ raw: String, matches url: Location, page: Location) -> Bool {
        let expression = raw.lowercased()
        if expression == "*" {
            // Network schemes and the page's own; never blob:, data: or filesystem:.
            return ["http", "https", "ws", "wss"].contains(url.scheme) || url.scheme == page.scheme
        }
        if expression == "'self'" {
            return url.host == page.host && schemeMatches(page.scheme, url.scheme)
                && (url.port == page.port || (page.scheme == "http" && url.scheme == "https" && url.port == 443))
        }
        if expression.hasPrefix("'") { return false }  // nonces, hashes, 'unsafe-inline', 'none', ...
        // A scheme source: "https:", "blob:".
        if expression.hasSuffix(":"), !expression.contains("/") {
            return schemeMatches(String(expression.dropLast()), url.scheme)
        }
        // A host source: [scheme://]host[:port][/path]
        var rest = Substring(expression)
        if let range = rest.range(of: "://") {
            guard schemeMatches(String(rest[..<range.lowerBound]), url.scheme) else { return false }
            rest = rest[range.upperBound...]
        } else if !(schemeMatches(page.scheme, url.scheme)) {
            return false
        }
        guard let host = url.host else { return false }
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        let path = rest[pathStart...]
        var hostPort = rest[..<pathStart]
        var portText: Substring?
        if let colon = hostPort.lastIndex(of: ":") {
            portText = hostPort[hostPort.index(after: colon)...]
            hostPort = hostPort[..<colon]
        }
        let hostPattern = String(hostPort)
        if hostPattern.hasPrefix("*.") {
            guard host.hasSuffix(String(hostPattern.dropFirst())) else { return false }
        } else if hostPattern != "*" {
            guard host == hostPattern else { return false }
        }
        if let portText {
            if portText != "*" {
                guard let port = Int(portText), port == url.port else { return false }
            }
        } else {
            // No port: the default port of the expression's (or the URL's) scheme, or the upgrade 80 -> 443.
            guard url.port == Location.defaultPort(url.scheme) else { return false }
        }
        if !path.isEmpty, path != "/" {
            return path.hasSuffix("/") ? url.path.hasPrefix(String(path)) : url.path == String(path)
        }
        return true
    }
}
