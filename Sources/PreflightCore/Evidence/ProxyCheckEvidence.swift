/// What Clerk is asked to check: a proxy URL, through the Backend API at `apiURL`.
public struct ProxyCheckRequest: Sendable, Hashable, Codable {
    /// The Backend API base, without `/v1`.
    public var apiURL: String
    public var proxyURL: String

    public init(apiURL: String, proxyURL: String) {
        self.apiURL = apiURL
        self.proxyURL = proxyURL
    }
}

/// Clerk's answer to a proxy check: which domain was checked, and the `POST /v1/proxy_checks`
/// exchange (or why it could not be made: the domains lookup failed, or no domain was found).
public struct ProxyCheckEvidence: Sendable, Hashable, Codable {
    public var request: ProxyCheckRequest
    /// The domain the check was made for; nil when none could be chosen.
    public var domainID: String?
    public var result: HTTPResult

    public init(request: ProxyCheckRequest, domainID: String?, result: HTTPResult) {
        self.request = request
        self.domainID = domainID
        self.result = result
    }
}
