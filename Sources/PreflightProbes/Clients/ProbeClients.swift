import PreflightCore

/// What the prober asks HTTP of. `HTTPClient` (libcurl) is the one a run uses; the engine's
/// in-process tests answer from a table, so a fleet's caps and a wait's schedule are tested
/// without sockets. An implementation bounds what it reads and never throws: every failure is
/// an `HTTPFailure`.
public protocol HTTPFetching: Sendable {
    /// The time for one exchange when the request does not say (the run's deadline may shorten it).
    var defaultTimeoutMs: Int { get }
    func fetch(_ request: HTTPRequest) async -> HTTPResult
}

/// What the prober asks DNS of. `DNSResolver` (c-ares) is the one a run uses.
public protocol DNSResolving: Sendable {
    func resolve(_ question: DNSQuestion) async -> DNSAnswer
}

extension HTTPClient: HTTPFetching {
    public var defaultTimeoutMs: Int { options.timeoutMs }
}

extension DNSResolver: DNSResolving {}
