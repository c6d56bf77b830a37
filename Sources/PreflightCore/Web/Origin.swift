import Foundation

/// A URL's origin as browsers compare them: scheme, host and port (the scheme's default when
/// none is given). A credential stays with its origin; a sign-in return URL must be the app's.
public struct Origin: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int

    public init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        guard let port = components.port ?? ["https": 443, "http": 80][scheme] else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// `https://example.com:443`.
    public var description: String { "\(scheme)://\(host):\(port)" }

    /// `https://example.com`: the port only when it is not the scheme's.
    public var display: String {
        ["https": 443, "http": 80][scheme] == port ? "\(scheme)://\(host)" : description
    }
}
