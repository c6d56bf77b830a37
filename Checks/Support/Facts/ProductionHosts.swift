import Foundation
import PreflightCore

extension CheckContext {
    /// The hosts the production Frontend API answers at: the live keys' hosts, clerk.<app.domain>,
    /// and the proxy's. What an integration or a native app must name instead of a development host.
    var productionFrontendAPIHosts: [String] {
        var hosts = evidence.publishableKeyVariables.compactMap { try? PublishableKey($0.value) }
            .filter { $0.instance == .production }.map { ClerkHosts.normalize($0.frontendAPIHost) }
        if let host = configuration.frontendAPIHost { hosts.append(host) }
        if let proxy = configuration.clerk.proxyURL.flatMap({ URLComponents(string: $0)?.host }) { hosts.append(ClerkHosts.normalize(proxy)) }
        var seen: Set<String> = []
        return hosts.filter { seen.insert($0).inserted }
    }
}
