import Foundation
import PreflightCore

/// Reading the redirect a signed-out visitor gets: whether it leads to sign-in, and where the
/// sign-in page is told to send the visitor back (Clerk's `redirect_url`).
enum SignInRedirect {
    /// The answer's `Location`, made absolute against the URL asked.
    static func location(of response: HTTPResponse, from url: String) -> String? {
        response.header("location").map { URL(string: $0, relativeTo: URL(string: url))?.absoluteURL.absoluteString ?? $0 }
    }

    /// Path words of sign-in pages: Clerk's (`/sign-in`, the Account Portal's) and common ones.
    static let signInWords = ["sign-in", "signin", "sign_in", "login", "log-in"]

    /// Whether `location` is a sign-in page: the instance's `sign_in_url` (Frontend API), or a
    /// path that names one.
    static func isSignIn(_ location: String, _ context: CheckContext) -> Bool {
        guard let components = URLComponents(string: location) else { return false }
        let path = components.path.lowercased()
        if case .success(let environment) = context.facts.productionEnvironment,
           let configured = environment.displayConfig?.signInUrl.flatMap({ URLComponents(string: $0) }),
           configured.host?.lowercased() == components.host?.lowercased(), !configured.path.isEmpty, path.hasPrefix(configured.path.lowercased()) {
            return true
        }
        return signInWords.contains { path.contains($0) }
    }

    /// Query parameters that carry where to go after signing in: Clerk's, then common ones.
    static let returnParameters = ["redirect_url", "redirectUrl", "return_to", "returnTo", "next", "callbackUrl"]

    /// The URL the sign-in page is told to return to, and the parameter that carried it.
    static func returnURL(in location: String) -> (parameter: String, url: String)? {
        guard let items = URLComponents(string: location)?.queryItems else { return nil }
        for name in returnParameters {
            if let value = items.first(where: { $0.name == name })?.value, !value.isEmpty { return (name, value) }
        }
        return nil
    }

    /// How a URL misses the app's public origin (`https://<app.domain>`): what a reverse proxy
    /// that drops X-Forwarded-Proto / X-Forwarded-Host leaves behind, or simply another host.
    enum OriginProblem: Equatable, CustomStringConvertible {
        case notAbsolute
        case plainHTTP
        case scheme(String)
        case localhost
        case privateAddress(String)
        case internalName(String)
        case port(Int)
        case otherOrigin(String, expected: String)

        /// An address no visitor can reach from outside (not merely another public host).
        var isInner: Bool {
            switch self {
            case .otherOrigin: false
            default: true
            }
        }

        var description: String {
            switch self {
            case .notAbsolute: "it is not an absolute URL"
            case .plainHTTP: "it is http:// (the proxy does not forward X-Forwarded-Proto: https)"
            case .scheme(let scheme): "its scheme is \(scheme):"
            case .localhost: "its host is localhost"
            case .privateAddress(let host): "its host is a private address (\(host))"
            case .internalName(let host): "its host '\(host)' is an internal name (a container or service)"
            case .port(let port): "it carries a port (\(port)): the app's inner address"
            case .otherOrigin(let origin, let expected): "its origin is \(origin), not \(expected)"
            }
        }
    }

    /// Why `url` is not on `publicOrigin`, or nil when it is.
    static func originProblem(_ url: String, publicOrigin: Origin) -> OriginProblem? {
        guard let origin = Origin(url) else { return .notAbsolute }
        if origin == publicOrigin { return nil }
        let host = origin.host
        if origin.scheme == "http" && host == publicOrigin.host { return .plainHTTP }
        if host == "localhost" || host.hasSuffix(".localhost") { return .localhost }
        if isPrivateAddress(host) { return .privateAddress(host) }
        if !host.contains(".") { return .internalName(host) }
        if origin.scheme != "https" { return .scheme(origin.scheme) }
        if origin.port != 443 { return .port(origin.port) }
        return .otherOrigin(origin.display, expected: publicOrigin.display)
    }

    /// 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, and IPv6 loopback, link-local and unique-local.
    static func isPrivateAddress(_ host: String) -> Bool {
        let trimmed = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if trimmed.contains(":") {
            return trimmed == "::1" || trimmed.hasPrefix("fe80:") || trimmed.hasPrefix("fc") || trimmed.hasPrefix("fd")
        }
        let parts = trimmed.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4, parts.allSatisfy({ (0...255).contains($0) }) else { return false }
        switch (parts[0], parts[1]) {
        case (10, _), (127, _): return true
        case (172, 16...31), (192, 168), (169, 254): return true
        default: return false
        }
    }
}
