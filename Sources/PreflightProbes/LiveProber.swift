import Foundation
import Logging
import PreflightCore

/// Runs a set of probe requests concurrently: HTTP on the curl thread, DNS on the c-ares
/// thread. A run takes about as long as its slowest probe, not their sum.
public struct LiveProber: Sendable {
    public var http: any HTTPFetching
    public var dns: any DNSResolving
    /// Sent as `Authorization: Bearer` on authenticated probes; never recorded.
    public var secretKey: String?
    /// Sent as `Authorization: Bearer` on Platform API probes; never recorded.
    public var platformToken: String?
    /// The whole gathering must end by then; later probes get what time is left.
    public var deadline: Date?
    public var logger: Logger

    public init(
        http: any HTTPFetching, dns: any DNSResolving, secretKey: String? = nil, platformToken: String? = nil, deadline: Date? = nil,
        logger: Logger = Logger(label: "preflight")
    ) {
        self.http = http
        self.dns = dns
        self.secretKey = secretKey
        self.platformToken = platformToken
        self.deadline = deadline
        self.logger = logger
    }

    /// A 429 is asked again after its Retry-After, at most this many times, when the wait fits
    /// in the run's deadline; otherwise the 429 is the answer (and the check cannot decide).
    public var rateLimitRetries = 3
    /// Shared by the apps of one run: identical probes once, and the concurrency caps.
    public var sharing: ProbeSharing?

    /// Bounds on the scripts followed from one page (and the scripts they import).
    public var maxScriptsPerPage = 50
    public var maxScriptBytesPerPage = 25 * 1024 * 1024
    /// Scripts of one page fetched at once: memory stays under this many body caps.
    public var scriptConcurrency = 6
    /// The deployment's own secret values: found in the page or a script under any name, a leak.
    public var knownSecrets: [String] = []
    /// Decides which scripts belong to the page's own site.
    public var publicSuffixes: PublicSuffixList = .shared

    /// What a set of probes gathered, each list sorted.
    public struct Results: Sendable {
        public var dns: [DNSAnswer] = []
        public var http: [HTTPExchange] = []
        public var pages: [PageScan] = []
        public var proxyChecks: [ProxyCheckEvidence] = []

        public init() {}
    }

    public func run(_ requests: Set<ProbeRequest>) async -> Results {
        // A page fetch also gives the certificate and headers of its URL: one request per URL.
        var requests = requests
        let pageURLs = Set(requests.compactMap { request -> String? in if case .page(let url) = request { url } else { nil } })
        for url in pageURLs {
            requests.remove(.http(HTTPProbe(url: url, certificates: true)))
            requests.remove(.http(HTTPProbe(url: url)))
        }
        return await withTaskGroup(of: [ProbeOutput].self) { group in
            for request in requests {
                group.addTask {
                    guard let sharing = self.sharing else { return await self.run(request) }
                    return await sharing.cache.outputs(for: self.cacheKey(request)) { await self.run(request) }
                }
            }
            var results = Results()
            for await outputs in group {
                for output in outputs {
                    switch output {
                    case .dns(let answer): results.dns.append(answer)
                    case .http(let exchange): results.http.append(exchange)
                    case .page(let page): results.pages.append(page)
                    case .proxyCheck(let check): results.proxyChecks.append(check)
                    }
                }
            }
            results.dns.sort { $0.question < $1.question }
            results.http.sort { $0.probe < $1.probe }
            results.pages.sort { $0.url < $1.url }
            results.proxyChecks.sort { ($0.request.apiURL, $0.request.proxyURL) < ($1.request.apiURL, $1.request.proxyURL) }
            return results
        }
    }

    /// The request, and a hash of the credential it carries (never the credential itself).
    func cacheKey(_ request: ProbeRequest) -> String {
        var credential = ""
        if case .http(let probe) = request {
            if probe.authenticated { credential += Fingerprint.of(checkID: "secret", targetIdentity: secretKey ?? "") }
            if probe.platform { credential += Fingerprint.of(checkID: "platform", targetIdentity: platformToken ?? "") }
        }
        // A page scan looks for the app's own secrets: two apps' scans of one page differ.
        if case .page = request, !knownSecrets.isEmpty {
            credential += Fingerprint.of(checkID: "known-secrets", targetIdentity: knownSecrets.joined(separator: "\u{0}"))
        }
        return "\(request)|\(credential)"
    }

    enum ProbeOutput: Sendable {
        case dns(DNSAnswer)
        case http(HTTPExchange)
        case page(PageScan)
        case proxyCheck(ProxyCheckEvidence)
    }

    func run(_ request: ProbeRequest) async -> [ProbeOutput] {
        switch request {
        case .dns(let question):
            let answer: DNSAnswer
            if let sharing {
                answer = await sharing.limited(host: nil) { await self.dns.resolve(question) }
            } else {
                answer = await dns.resolve(question)
            }
            logger.debug("dns", metadata: ["question": "\(question)", "outcome": "\(answer.outcome.display)",
                                           "chain": "\(answer.chainDisplay)", "ms": "\(Int(answer.elapsedMs))"])
            return [.dns(answer)]
        case .assetScan, .repositoryScan, .sourceScan:
            return []  // files, not network: the gatherer reads them
        case .proxyCheck(let check):
            return [.proxyCheck(await proxyCheck(check))]
        case .page(let url):
            let (page, exchange) = await scanPage(url)
            // The same exchange answers a certificate probe of the URL, with or without certificates asked.
            return [.page(page), .http(exchange), .http(HTTPExchange(probe: HTTPProbe(url: url), result: exchange.result))]
        case .http(let probe):
            var headers: [String: String] = ["Accept": "*/*"]
            // A check's own headers (the test event's); never a credential, which is the gatherer's alone.
            for (name, value) in probe.headers ?? [:] where !["authorization", "cookie", "proxy-authorization"].contains(name.lowercased()) {
                headers[name] = value
            }
            if probe.authenticated {
                guard let secretKey else {
                    return [.http(HTTPExchange(probe: probe, result: .failure(HTTPFailure(
                        kind: .transport, message: "no secret key in the environment for an authenticated request", url: probe.url))))]
                }
                headers["Authorization"] = "Bearer \(secretKey)"
            }
            if probe.platform {
                guard let platformToken else {
                    return [.http(HTTPExchange(probe: probe, result: .failure(HTTPFailure(
                        kind: .transport, message: "no Platform API key in the environment", url: probe.url))))]
                }
                headers["Authorization"] = "Bearer \(platformToken)"
            }
            // A POST is sent once: never again after a 429, never after a redirect.
            let request = HTTPRequest(
                url: probe.url, headers: headers, certificates: probe.certificates, followRedirects: probe.followRedirects && probe.method == nil,
                method: probe.method, body: probe.body)
            var result = probe.method == nil ? await fetchRetryingRateLimits(request) : await fetch(request)
            if case .response(var response) = result, let title = Self.title(of: response) {
                response.title = title
                result = .response(response)
            }
            if probe.platform, case .response(var response) = result {
                response.body = Self.scrubbingSecrets(response.body)
                result = .response(response)
            }
            switch result {
            case .response(let response):
                logger.debug("http", metadata: ["url": "\(probe.url)", "status": "\(response.status)", "bytes": "\(response.bodyBytes)",
                                                "ms": "\(Int(response.timings.totalMs))"])
            case .failure(let failure):
                logger.debug("http", metadata: ["url": "\(probe.url)", "failure": "\(failure)"])
            }
            return [.http(HTTPExchange(probe: probe, result: result))]
        }
    }

    /// An exchange, asked again after a 429's Retry-After (seconds) while the wait fits in the
    /// run's deadline; the waits are logged.
    func fetchRetryingRateLimits(_ request: HTTPRequest) async -> HTTPResult {
        var attempt = 0
        while true {
            let result = await fetch(request)
            guard case .response(let response) = result, response.status == 429, attempt < rateLimitRetries,
                  let wait = response.header("retry-after").flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), wait >= 0, wait <= 60
            else { return result }
            if let deadline, Date().addingTimeInterval(wait + 0.05) >= deadline { return result }
            attempt += 1
            logger.debug("http", metadata: ["url": "\(request.url)", "status": "429", "retry_after_s": "\(wait)", "attempt": "\(attempt)"])
            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
    }

    /// Clerk's check of a proxy: the Backend API's domains (the one whose `proxy_url` is the
    /// proxy, else the primary), then `POST /v1/proxy_checks` for it. Each request goes the way
    /// every authenticated probe goes (the secret key to its own https origin only).
    func proxyCheck(_ check: ProxyCheckRequest) async -> ProxyCheckEvidence {
        let domainsURL = check.apiURL + "/v1/domains"
        func unasked(_ kind: HTTPFailureKind, _ message: String) -> ProxyCheckEvidence {
            ProxyCheckEvidence(request: check, domainID: nil, result: .failure(HTTPFailure(kind: kind, message: message, url: domainsURL)))
        }
        guard case .http(let lookup)? = await run(.http(HTTPProbe(url: domainsURL, authenticated: true))).first else {
            return unasked(.transport, "the Backend API's domains were not asked")
        }
        let answer: HTTPResponse
        switch lookup.result.successfulResponse() {
        case .failure(let failure): return unasked(failure.kind, "the Backend API's domains could not be read: \(failure.message)")
        case .success(let response): answer = response
        }
        let domains: ClerkAPI.DomainList
        switch ClerkAPI.decodeReporting(ClerkAPI.DomainList.self, from: answer.body) {
        case .failure(let problem): return unasked(.decoding, "the Backend API's domains answer is malformed: \(problem)")
        case .success(let list): domains = list
        }
        let wanted = ClerkRequests.trimmedBase(check.proxyURL)
        guard let domain = domains.data.first(where: { $0.proxyUrl.map(ClerkRequests.trimmedBase) == wanted })
            ?? domains.data.first(where: { !$0.isSatellite }) ?? domains.data.first else {
            return unasked(.decoding, "the Backend API lists no domain to check the proxy for")
        }
        let body = (try? JSONSerialization.data(withJSONObject: ["domain_id": domain.id, "proxy_url": check.proxyURL], options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        let probe = HTTPProbe(url: check.apiURL + "/v1/proxy_checks", authenticated: true, followRedirects: false, method: "POST", body: body,
                              headers: ["Content-Type": "application/json"])
        guard case .http(let exchange)? = await run(.http(probe)).first else { return unasked(.transport, "the proxy check was not sent") }
        return ProxyCheckEvidence(request: check, domainID: domain.id, result: exchange.result)
    }

    /// The title of an HTML answer (a protected page that answered a signed-out visitor says
    /// what it showed), read with libxml2; nil for anything else.
    static func title(of response: HTTPResponse) -> String? {
        guard (response.header("content-type") ?? "").lowercased().contains("text/html"), !response.body.isEmpty else { return nil }
        return HTMLExtractor.extract(html: response.body, url: response.url).title
    }

    /// The Platform API answers with OAuth client secrets; evidence keeps only that they are
    /// set. Every string under a key that names a secret or private key becomes "[set]" (or
    /// stays empty); an answer that is not JSON is dropped.
    static func scrubbingSecrets(_ body: String) -> String {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) else { return "" }
        func scrub(_ value: Any, key: String?) -> Any {
            if let object = value as? [String: Any] {
                return object.reduce(into: [String: Any]()) { $0[$1.key] = scrub($1.value, key: $1.key) }
            }
            if let array = value as? [Any] { return array.map { scrub($0, key: key) } }
            if let text = value as? String, let key = key?.lowercased(), key.contains("secret") || key.contains("private_key") {
                return text.isEmpty ? "" : "[set]"
            }
            return value
        }
        let scrubbed = scrub(json, key: nil)
        guard let data = try? JSONSerialization.data(withJSONObject: scrubbed, options: [.sortedKeys, .fragmentsAllowed]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// One exchange within what is left of the run's deadline.
    func fetch(_ request: HTTPRequest) async -> HTTPResult {
        var request = request
        if let deadline {
            let left = Int(deadline.timeIntervalSinceNow * 1000)
            guard left > 0 else {
                return .failure(HTTPFailure(kind: .timeout, message: "the run's deadline passed before this request", url: request.url))
            }
            request.timeoutMs = min(left, request.timeoutMs ?? http.defaultTimeoutMs)
        }
        guard let sharing else { return await http.fetch(request) }
        let host = URLComponents(string: request.url)?.host
        let prepared = request
        return await sharing.limited(host: host) { await self.http.fetch(prepared) }
    }

    /// Fetches a page (with its certificates), reads it with libxml2, and scans it and the
    /// scripts of its own site it loads, following their imports, for Clerk strings. Scripts
    /// are fetched `scriptConcurrency` at a time as they are discovered, so a chain
    /// page -> entry -> lazy chunk costs one request per link and memory stays bounded.
    func scanPage(_ url: String) async -> (PageScan, HTTPExchange) {
        let result = await fetch(HTTPRequest(url: url, headers: ["Accept": "text/html"], certificates: true))
        var kept = result
        if case .response(var response) = result {
            response.body = ""  // the page's facts are kept below; its body is not evidence
            kept = .response(response)
        }
        let exchange = HTTPExchange(probe: HTTPProbe(url: url, certificates: true), result: kept)
        let page: HTTPResponse
        switch result.successfulResponse() {
        case .failure(let failure):
            logger.debug("page", metadata: ["url": "\(url)", "failure": "\(failure)"])
            return (PageScan(url: url, failure: failure), exchange)
        case .success(let response): page = response
        }
        var facts = HTMLExtractor.extract(html: page.body, url: page.url)
        let matches = ClerkStringScanner.scan(page.body, knownSecrets: knownSecrets)
        var initial = facts.scriptSources
        for inline in facts.inlineScripts { initial += ScriptReferences.extract(from: inline, url: page.url) }
        facts.inlineScripts = []  // scanned with the page; not kept

        let site = URLComponents(string: page.url)?.host.map { publicSuffixes.site(of: $0) }
        func isOwnSite(_ source: String) -> Bool {
            guard let components = URLComponents(string: source), let host = components.host,
                  ["https", "http"].contains(components.scheme?.lowercased() ?? "") else { return false }
            return publicSuffixes.site(of: host) == site
        }

        var queue: [String] = []
        var seen: Set<String> = []
        var notRead: [String] = []
        for source in initial where isOwnSite(source) && seen.insert(source).inserted { queue.append(source) }
        var scripts: [PageScan.Script] = []
        var launched = 0
        var bytesRead = 0
        await withTaskGroup(of: (PageScan.Script, [String]).self) { group in
            var running = 0
            while true {
                while running < scriptConcurrency, !queue.isEmpty {
                    let source = queue.removeFirst()
                    guard launched < maxScriptsPerPage, bytesRead < maxScriptBytesPerPage else { notRead.append(source); continue }
                    launched += 1
                    running += 1
                    group.addTask {
                        switch await self.fetch(HTTPRequest(url: source)).successfulResponse() {
                        case .failure(let failure): return (PageScan.Script(url: source, failure: failure), [])
                        case .success(let response):
                            let script = PageScan.Script(url: source, bytes: response.bodyBytes,
                                                         matches: ClerkStringScanner.scan(response.body, knownSecrets: self.knownSecrets))
                            return (script, ScriptReferences.extract(from: response.body, url: response.url))
                        }
                    }
                }
                guard let (script, references) = await group.next() else { break }
                running -= 1
                bytesRead += script.bytes
                scripts.append(script)
                for reference in references where isOwnSite(reference) && seen.insert(reference).inserted {
                    queue.append(reference)
                }
            }
        }
        scripts.sort { $0.url < $1.url }
        logger.debug("page", metadata: ["url": "\(url)", "scripts": "\(scripts.count)", "matches": "\(matches.count)"])
        let scan = PageScan(
            url: url, status: page.status, headers: page.headers, facts: facts, matches: matches, scripts: scripts,
            scriptsNotRead: notRead.sorted())
        return (scan, exchange)
    }
}
