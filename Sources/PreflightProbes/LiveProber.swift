import Foundation
import Logging
import PreflightCore

/// Runs a set of probe requests concurrently: HTTP on the curl thread, DNS on the c-ares
/// thread. A run takes about as long as its slowest probe, not their sum.
public struct LiveProber: Sendable {
    public var http: HTTPClient
    public var dns: DNSResolver
    /// Sent as `Authorization: Bearer` on authenticated probes; never recorded.
    public var secretKey: String?
    /// The whole gathering must end by then; later probes get what time is left.
    public var deadline: Date?
    public var logger: Logger

    public init(http: HTTPClient, dns: DNSResolver, secretKey: String? = nil, deadline: Date? = nil, logger: Logger = Logger(label: "preflight")) {
        self.http = http
        self.dns = dns
        self.secretKey = secretKey
        self.deadline = deadline
        self.logger = logger
    }

    /// Bounds on the scripts followed from one page.
    public var maxScriptsPerPage = 25
    public var maxScriptBytesPerPage = 25 * 1024 * 1024

    public func run(_ requests: Set<ProbeRequest>) async -> (dns: [DNSAnswer], http: [HTTPExchange], pages: [PageScan]) {
        await withTaskGroup(of: ProbeOutput.self) { group in
            for request in requests {
                group.addTask { await self.run(request) }
            }
            var answers: [DNSAnswer] = []
            var exchanges: [HTTPExchange] = []
            var pages: [PageScan] = []
            for await output in group {
                switch output {
                case .dns(let answer): answers.append(answer)
                case .http(let exchange): exchanges.append(exchange)
                case .page(let page): pages.append(page)
                }
            }
            return (answers.sorted { $0.question < $1.question }, exchanges.sorted { $0.probe < $1.probe }, pages.sorted { $0.url < $1.url })
        }
    }

    enum ProbeOutput: Sendable {
        case dns(DNSAnswer)
        case http(HTTPExchange)
        case page(PageScan)
    }

    func run(_ request: ProbeRequest) async -> ProbeOutput {
        switch request {
        case .dns(let question):
            let answer = await dns.resolve(question)
            logger.debug("dns", metadata: ["question": "\(question)", "outcome": "\(answer.outcome.display)",
                                           "chain": "\(answer.chainDisplay)", "ms": "\(Int(answer.elapsedMs))"])
            return .dns(answer)
        case .page(let url):
            return .page(await scanPage(url))
        case .http(let probe):
            var headers: [String: String] = ["Accept": "*/*"]
            if probe.authenticated {
                guard let secretKey else {
                    return .http(HTTPExchange(probe: probe, result: .failure(HTTPFailure(
                        kind: .transport, message: "no secret key in the environment for an authenticated request", url: probe.url))))
                }
                headers["Authorization"] = "Bearer \(secretKey)"
            }
            let result = await fetch(HTTPRequest(url: probe.url, headers: headers, certificates: probe.certificates))
            switch result {
            case .response(let response):
                logger.debug("http", metadata: ["url": "\(probe.url)", "status": "\(response.status)", "bytes": "\(response.bodyBytes)",
                                                "ms": "\(Int(response.timings.totalMs))"])
            case .failure(let failure):
                logger.debug("http", metadata: ["url": "\(probe.url)", "failure": "\(failure)"])
            }
            return .http(HTTPExchange(probe: probe, result: result))
        }
    }

    /// One exchange within what is left of the run's deadline.
    func fetch(_ request: HTTPRequest) async -> HTTPResult {
        var request = request
        if let deadline {
            let left = Int(deadline.timeIntervalSinceNow * 1000)
            guard left > 0 else {
                return .failure(HTTPFailure(kind: .timeout, message: "the run's deadline passed before this request", url: request.url))
            }
            request.timeoutMs = min(left, request.timeoutMs ?? http.options.timeoutMs)
        }
        return await http.fetch(request)
    }

    /// Fetches a page, reads it with libxml2, scans it and its same-origin scripts
    /// (concurrently, within the bounds) for Clerk keys and development hosts.
    func scanPage(_ url: String) async -> PageScan {
        let page: HTTPResponse
        switch await fetch(HTTPRequest(url: url, headers: ["Accept": "text/html"])).successfulResponse() {
        case .failure(let failure):
            logger.debug("page", metadata: ["url": "\(url)", "failure": "\(failure)"])
            return PageScan(url: url, failure: failure)
        case .success(let response): page = response
        }
        var facts = HTMLExtractor.extract(html: page.body, url: page.url)
        let matches = ClerkStringScanner.scan(page.body)
        facts.inlineScripts = []  // scanned with the page; not kept

        let origin = URLComponents(string: page.url)
        let sameOrigin = facts.scriptSources.filter { source in
            let components = URLComponents(string: source)
            return components?.scheme == origin?.scheme && components?.host == origin?.host && components?.port == origin?.port
        }
        var unique: [String] = []
        for source in sameOrigin where !unique.contains(source) { unique.append(source) }
        let followed = Array(unique.prefix(maxScriptsPerPage))
        var notRead = Array(unique.dropFirst(maxScriptsPerPage))

        let budget = maxScriptBytesPerPage
        var scripts = await withTaskGroup(of: PageScan.Script.self) { group in
            for source in followed {
                group.addTask {
                    switch await self.fetch(HTTPRequest(url: source)).successfulResponse() {
                    case .failure(let failure): return PageScan.Script(url: source, failure: failure)
                    case .success(let response):
                        return PageScan.Script(url: source, bytes: response.bodyBytes, matches: ClerkStringScanner.scan(response.body))
                    }
                }
            }
            return await group.reduce(into: [PageScan.Script]()) { $0.append($1) }
        }
        scripts.sort { $0.url < $1.url }
        // The byte budget is applied in a stable order, so a run reports the same scripts.
        var used = 0
        scripts = scripts.filter { script in
            used += script.bytes
            if used > budget { notRead.append(script.url); return false }
            return true
        }
        logger.debug("page", metadata: ["url": "\(url)", "scripts": "\(scripts.count)", "matches": "\(matches.count)"])
        return PageScan(url: url, status: page.status, facts: facts, matches: matches, scripts: scripts, scriptsNotRead: notRead.sorted())
    }
}
