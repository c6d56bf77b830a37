import PreflightCore

/// Settings of the HTTP client, from flags; the defaults suit a CI job.
public struct HTTPClientOptions: Sendable, Hashable {
    /// Time for one exchange (one hop), connection included.
    public var timeoutMs: Int = 10_000
    public var connectTimeoutMs: Int = 5_000
    /// Bodies are cut here, counted after decompression (a gzip bomb stops at the cap).
    public var bodyCap: Int = 5 * 1024 * 1024
    public var maxRedirects: Int = 5
    public var userAgent: String = "preflight/\(PreflightVersion.current)"
    /// curl's `--resolve host:port:address`.
    public var resolve: [String] = []
    /// curl's `--connect-to host:port:connect-host:connect-port`.
    public var connectTo: [String] = []
    /// Trust these CAs instead of the system's.
    public var caBundle: String?

    public init() {}
}

/// One request on the wire.
public struct HTTPRequest: Sendable, Hashable {
    public var url: String
    public var headers: [String: String]
    public var certificates: Bool
    public var followRedirects: Bool
    /// Overrides the client's per-exchange timeout (a run's deadline shortens it).
    public var timeoutMs: Int?

    /// Whether the request carries a credential (an `Authorization` or `Cookie` header). Such a
    /// request is bound to its origin: it is sent only over `https:`, and a redirect to another
    /// origin or scheme is not followed (curl would drop the header there; a hand-followed
    /// redirect has to refuse by itself).
    public var carriesCredential: Bool {
        headers.keys.contains { ["authorization", "cookie", "proxy-authorization"].contains($0.lowercased()) }
    }

    /// `POST` with `body`; nil is `GET`.
    public var method: String?
    public var body: String?

    public init(
        url: String, headers: [String: String] = [:], certificates: Bool = false, followRedirects: Bool = true, timeoutMs: Int? = nil,
        method: String? = nil, body: String? = nil
    ) {
        self.url = url
        self.headers = headers
        self.certificates = certificates
        self.followRedirects = followRedirects
        self.timeoutMs = timeoutMs
        self.method = method
        self.body = body
    }
}
