import Foundation
import PreflightCore

extension Configuration {
    /// The Frontend API host of the production domain: `clerk.<app.domain>`.
    var frontendAPIHost: String? { app.domain.map { "clerk.\($0)" } }

    /// The Account Portal host of the production domain: `accounts.<app.domain>`.
    var accountsPortalHost: String? { app.domain.map { "accounts.\($0)" } }

    /// The origin the browser reaches the Frontend API at: the proxy's, or `https://clerk.<domain>`.
    var frontendAPIOrigin: String? {
        if let proxy = clerk.proxyURL, let components = URLComponents(string: proxy), let scheme = components.scheme, let host = components.host {
            return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
        }
        return frontendAPIHost.map { "https://\($0)" }
    }
}
