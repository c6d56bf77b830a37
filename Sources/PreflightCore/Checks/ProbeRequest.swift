/// A live fact a check needs. Checks declare them; the gatherer deduplicates and runs them
/// all concurrently before any check is evaluated.
public enum ProbeRequest: Sendable, Hashable {
    case dns(DNSQuestion)
    case http(HTTPProbe)
    /// Fetch a page (with its certificates and headers), parse it, and scan it and the
    /// scripts of its own site for Clerk strings.
    case page(String)
    /// Scan the built client output (`app.assets`) for Clerk strings. Files, not network: it
    /// is gathered in `--offline` runs too.
    case assetScan
    /// Read what the app's git repository tracks (and, with `--history`, held) for Clerk
    /// secret keys. Files: gathered offline too.
    case repositoryScan
    /// Read the app's source code for Clerk's middleware and webhook calls. Files: gathered
    /// offline too.
    case sourceScan
    /// Ask Clerk to check a Frontend API proxy: the Backend API's domains, then
    /// `POST /v1/proxy_checks` for the domain that has (or is the primary for) the proxy. Two
    /// requests, the second built from the first's answer; both with the secret key, to its origin.
    case proxyCheck(ProxyCheckRequest)
}

/// What a check sees when it plans its probes: the configuration and the offline evidence
/// (env files), since live targets often come from them (the host in a publishable key).
public struct ProbePlanningContext: Sendable {
    public var configuration: Configuration
    public var offlineEvidence: Evidence
    public init(configuration: Configuration, offlineEvidence: Evidence) {
        self.configuration = configuration
        self.offlineEvidence = offlineEvidence
    }
}

extension Check {
    /// Offline checks need no probes.
    public static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [] }
}
