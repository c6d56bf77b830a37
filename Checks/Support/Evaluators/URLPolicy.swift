import Foundation
import PreflightCore

/// What a production URL may not point at: a developer's machine or a development instance.
enum URLPolicy {
    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }

    /// Why `url` does not belong in production settings, or `nil`. Custom schemes
    /// (`myapp://callback`) are native-app callbacks and fine.
    static func developmentProblem(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return nil }
        guard ["http", "https"].contains(scheme) else { return nil }
        guard let host = components.host.map(ClerkHosts.normalize), !host.isEmpty else { return nil }
        if let suffix = ClerkHosts.developmentSuffix(of: host) { return "development host \(host) (\(suffix))" }
        if host == "localhost" || host.hasSuffix(".localhost") { return "localhost" }
        if isIPAddress(host) { return "an IP address (\(host))" }
        return nil
    }
}
