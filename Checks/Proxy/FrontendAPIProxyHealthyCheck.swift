import Foundation
import PreflightCore

/// A proxied Frontend API must answer as Clerk, for the right instance, at the proxy URL.
struct FrontendAPIProxyHealthyCheck: Check {
    static let description = CheckDescription(
        id: "proxy.frontend_api_proxy_healthy",
        title: "The Frontend API proxy answers as Clerk",
        summary: "When the Frontend API is proxied (clerk.proxy_url, or a CLERK_PROXY_URL variable), <proxy_url>/v1/environment answers Clerk's environment for the production instance the publishable key names, and Clerk's own checks (Backend API proxy check, Platform API domain status) agree.",
        rationale: """
            With a proxy, every browser request to Clerk goes through the app: a proxy path the \
            middleware's matcher skips, a rewrite that drops the path, a missing \
            Clerk-Secret-Key or Clerk-Proxy-Url header, or a proxy pointed at the development \
            instance breaks sign-in for everyone, and no DNS record shows it. Preflight asks \
            the proxy for /v1/environment as a browser would (no credential: the proxy adds \
            its own headers) and compares the answer with the one the Frontend API gives \
            directly (the same display_config id is the same instance). With the secret key it \
            asks Clerk's own proxy check (Backend API POST /v1/proxy_checks, for the domain whose \
            proxy it is), and with a Platform API key it reads the domain status's verdict on the \
            proxy.
            """,
        hint: "Route <proxy_url>/* to https://frontend-api.clerk.dev/* with Clerk-Proxy-Url, Clerk-Secret-Key and X-Forwarded-For set (clerkMiddleware({ frontendApiProxy: { enabled: true } }) does it), and include the proxy path in the middleware's matcher",
        references: [
            Reference("Clerk: proxying the Frontend API", "https://clerk.com/docs/guides/dashboard/dns-domains/proxy-fapi"),
            Reference("Clerk Platform API: domain status", "https://clerk.com/docs/reference/platform-api"),
        ],
        defaultSeverity: .critical,
        tags: ["proxy", "instance"],
        needs: .network,
        examples: [
            example("the proxy answers for the instance", proxy: .response(environment()), direct: .response(environment()), expect: .pass),
            example("the app's page instead of Clerk", proxy: .response(page), direct: nil, expect: .problem),
            example("not routed (404)", proxy: .response(HTTPResponse(url: proxyEnvironment, status: 404, body: "not found")), direct: nil, expect: .problem),
            example("the middleware's matcher skips the proxy path", proxy: .response(HTTPResponse(url: proxyEnvironment, status: 404, body: "not found")),
                    direct: nil, matcher: ["/dashboard/:path*", "/(api|trpc)(.*)"], expect: .problem),
            example("another instance behind the proxy", proxy: .response(environment(id: "display_config_dev", type: "development")),
                    direct: .response(environment()), expect: .problem),
            example("no answer", proxy: LiveExample.failure(proxyEnvironment, .timeout, "timed out"), direct: nil, expect: .undecided),
            example("Clerk's own check fails", proxy: .response(environment()), direct: .response(environment()), clerkSuccessful: false, expect: .problem),
            example("Clerk's own check agrees", proxy: .response(environment()), direct: .response(environment()), clerkSuccessful: true, expect: .pass),
            CheckExample("not proxied", input: "# preflight.yml: no clerk.proxy_url, no CLERK_PROXY_URL", expect: .notApplicable) {
                CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile]), configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static let proxyURL = "https://example.com/__clerk"

    /// The app's catch-all page, answering where Clerk should.
    static var page: HTTPResponse {
        var page = HTTPResponse(url: proxyEnvironment, status: 200, headers: [HTTPHeader(name: "Content-Type", value: "text/html")],
                                body: "<!doctype html><title>Shop</title>")
        page.title = "Shop"
        return page
    }
    static let proxyEnvironment = proxyURL + "/v1/environment"

    static func environment(id: String = "display_config_prod", type: String = "production") -> HTTPResponse {
        HTTPResponse(url: proxyEnvironment, status: 200, headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
                     body: #"{"display_config": {"id": "\#(id)", "instance_environment_type": "\#(type)"}}"#)
    }

    static func example(
        _ title: String, proxy: HTTPResult, direct: HTTPResult?, clerkSuccessful: Bool? = nil, matcher: [String]? = nil,
        expect: CheckExample.Expectation
    ) -> CheckExample {
        var shown = "# preflight.yml\nclerk:\n  proxy_url: \(proxyURL)\nGET \(proxyEnvironment) -> "
        switch proxy {
        case .response(let response): shown += "\(response.status) \(response.body.prefix(80))"
        case .failure(let failure): shown += failure.kind.rawValue
        }
        if let clerkSuccessful { shown += "\n$CLERK_SECRET_KEY set: POST https://api.clerk.com/v1/proxy_checks -> successful: \(clerkSuccessful)" }
        if let matcher { shown += "\n// middleware.ts\nexport const config = { matcher: [\(matcher.map { "'\($0)'" }.joined(separator: ", "))] }" }
        return CheckExample(title, input: shown, expect: expect) {
            var configuration = LiveExample.configuration
            configuration.clerk.proxyURL = proxyURL
            var http = [HTTPExchange(probe: probe(proxyURL), result: proxy)]
            if case .response(var response)? = direct {
                response.url = ClerkRequests.environmentURL(host: "clerk.example.com")
                http.append(HTTPExchange(probe: HTTPProbe(url: response.url, certificates: true), result: .response(response)))
            }
            var evidence = Evidence(envFiles: [LiveExample.keyFile], http: http)
            if let matcher {
                evidence.sources = SourceScan(filesScanned: 4, middlewareMatchers: [SourceScan.MiddlewareMatcher(path: "middleware.ts", line: 9, patterns: matcher)])
            }
            if let clerkSuccessful {
                evidence.environment = [EnvironmentVariable(name: "CLERK_SECRET_KEY", value: ExampleInput.liveSecret)]
                let url = "https://api.clerk.com/v1/proxy_checks"
                let body = #"{"object": "proxy_check", "id": "pxc_1", "domain_id": "dmn_1", "last_run_at": 1798761600, "proxy_url": "\#(proxyURL)", "#
                    + #""successful": \#(clerkSuccessful), "created_at": 1798761600, "updated_at": 1798761600}"#
                evidence.proxyChecks = [ProxyCheckEvidence(request: ProxyCheckRequest(apiURL: "https://api.clerk.com", proxyURL: proxyURL), domainID: "dmn_1",
                                                           result: LiveExample.response(url, body: body))]
            }
            return CheckContext(evidence: evidence, configuration: configuration, now: LiveExample.now)
        }
    }

    /// The proxy URL and where it was set: preflight.yml's clerk.proxy_url, else a Clerk
    /// variable of the proxy kind (CLERK_PROXY_URL, NEXT_PUBLIC_CLERK_PROXY_URL, ...).
    static func proxy(_ configuration: Configuration, _ evidence: Evidence) -> (url: String, source: String)? {
        if let url = configuration.clerk.proxyURL { return (url, "preflight.yml clerk.proxy_url") }
        if let variable = evidence.clerkVariables.last(where: { $0.clerk?.kind == .proxyURL && !$0.value.isEmpty }) {
            return (variable.value, variable.target.display)
        }
        return nil
    }

    /// As a browser asks it, with no credential (the proxy adds its own); the same request the
    /// instance checks make through the proxy, so it is made once.
    static func probe(_ proxyURL: String) -> HTTPProbe {
        HTTPProbe(url: ClerkRequests.environmentURL(proxy: proxyURL), certificates: true)
    }

    /// The Frontend API the publishable key names, asked directly: the instance the proxy must reach.
    static func directProbe(_ evidence: Evidence) -> HTTPProbe? {
        evidence.publishableKeyVariables.lazy.compactMap { try? PublishableKey($0.value) }.first
            .map { HTTPProbe(url: ClerkRequests.environmentURL(host: $0.frontendAPIHost), certificates: true) }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard let (url, _) = proxy(context.configuration, context.offlineEvidence) else { return [] }
        return [.http(probe(url))] + [directProbe(context.offlineEvidence)].compactMap { $0.map { .http($0) } }
            + ClerkSources.domainStatusProbes(context) + [clerkCheck(url, context.configuration, context.offlineEvidence)].compactMap { $0.map { .proxyCheck($0) } }
            + [.sourceScan]
    }

    /// When the proxy does not answer as Clerk: the middleware matcher that does not run on
    /// its path (the likeliest cause with clerkMiddleware's frontendApiProxy), as evidence and
    /// a hint; nil when the source has no matcher, or one runs there.
    static func matcherMiss(_ proxyURL: String, _ context: CheckContext) -> (evidence: EvidenceItem, hint: String)? {
        guard let app = context.configuration.app.url, let proxyOrigin = Origin(proxyURL), Origin(app) == proxyOrigin,
              let components = URLComponents(string: ClerkRequests.environmentURL(proxy: proxyURL)) else { return nil }
        let path = components.path
        for matcher in context.evidence.sources?.middlewareMatchers ?? [] {
            guard MatcherPatterns.runs(on: path, patterns: matcher.patterns) == false else { continue }
            let base = URLComponents(string: proxyURL)?.path ?? "/__clerk"
            return (EvidenceItem("middleware matcher", "\(matcher.path):\(matcher.line) does not run on \(path) (\(matcher.patterns.joined(separator: ", ")))"),
                    "Add '\(base.hasSuffix("/") ? String(base.dropLast()) : base)/(.*)' to config.matcher in \(matcher.path), so the middleware (and its frontendApiProxy) runs on the proxy's path")
        }
        return nil
    }

    /// Clerk's own check of the proxy (Backend API), asked when the secret key is there.
    static func clerkCheck(_ proxyURL: String, _ configuration: Configuration, _ evidence: Evidence) -> ProxyCheckRequest? {
        let requests = ClerkRequests(configuration: configuration, evidence: evidence)
        return requests.hasSecretKey ? ProxyCheckRequest(apiURL: requests.apiURL, proxyURL: proxyURL) : nil
    }

    /// What Clerk's own check says, as evidence, and whether it says the proxy does not work.
    /// A second opinion: when it could not be read, the check's own verdict stands, said so.
    static func clerksVerdict(_ proxyURL: String, _ context: CheckContext) -> (evidence: EvidenceItem, failed: Bool)? {
        guard let request = clerkCheck(proxyURL, context.configuration, context.evidence) else { return nil }
        guard let check = context.evidence.proxyCheck(request) else { return (EvidenceItem("Clerk's proxy check", "not asked"), false) }
        switch check.result.successfulResponse() {
        case .failure(let failure): return (EvidenceItem("Clerk's proxy check", "not read: \(failure.message)"), false)
        case .success(let response):
            switch ClerkAPI.decodeReporting(ClerkAPI.ProxyCheck.self, from: response.body) {
            case .failure(let problem): return (EvidenceItem("Clerk's proxy check", "not read: \(problem)"), false)
            case .success(let answer):
                return (EvidenceItem("Clerk's proxy check", (answer.successful ? "successful" : "not successful") + " (domain \(answer.domainId))"), !answer.successful)
            }
        }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let (proxyURL, source) = Self.proxy(context.configuration, context.evidence) else {
            return [.notApplicable("the Frontend API is not proxied (no clerk.proxy_url, no CLERK_PROXY_URL variable)")]
        }
        let url = Self.probe(proxyURL).url
        let target = Target.url(url)
        var evidence = [EvidenceItem("proxy URL", "\(proxyURL) (\(source))")]
        guard let components = URLComponents(string: proxyURL), components.scheme?.lowercased() == "https", components.host != nil else {
            return [.problem("the proxy URL \(proxyURL) is not an https:// URL: browsers on the https site cannot use it", at: target, evidence: evidence)]
        }
        let response: HTTPResponse
        switch HTTPAnswer(Self.probe(proxyURL), context, at: target) {
        case .none(var undecided):
            undecided.evidence = evidence + undecided.evidence
            return [undecided]
        case .response(let value): response = value
        }
        evidence.append(EvidenceItem("proxy answer", "\(response.status)" + (response.header("content-type").map { ", \($0)" } ?? "")))
        // Why the proxy path may not reach the middleware: said only when it does not answer as Clerk.
        let miss = Self.matcherMiss(proxyURL, context)
        let failing = evidence + (miss.map { [$0.evidence] } ?? [])
        guard response.status == 200 else {
            let detail = (300..<400).contains(response.status) ? " to \(response.header("location") ?? "nowhere")" : ""
            return [.problem("the proxy answers \(response.status)\(detail) at \(url): the path does not reach Clerk's Frontend API (a rewrite, or the middleware's matcher, misses it)",
                             at: target, evidence: failing, hint: miss?.hint)]
        }
        guard let environment = ClerkAPI.decode(ClerkAPI.Environment.self, from: response.body), let display = environment.displayConfig else {
            return [.problem("the proxy answers at \(url), but not with Clerk's environment (\(response.title.map { "a page titled '\($0)'" } ?? "not a Clerk answer")): the app answers for Clerk",
                             at: target, evidence: failing, hint: miss?.hint)]
        }
        if let type = display.instanceEnvironmentType { evidence.append(EvidenceItem("instance", type)) }
        guard display.instanceEnvironmentType == "production" else {
            return [.problem("the proxy reaches a \(display.instanceEnvironmentType ?? "unknown") instance, not production: its Clerk-Secret-Key is another instance's",
                             at: target, evidence: evidence)]
        }
        // The same instance the publishable key names, answering directly (when it does: with a
        // proxy, clerk.<domain> may not exist at all).
        if let direct = Self.directProbe(context.evidence), direct.url != url, case .response(let answer)? = context.evidence.http(direct),
           let directID = ClerkAPI.decode(ClerkAPI.Environment.self, from: answer.body)?.displayConfig?.id, let proxiedID = display.id {
            evidence.append(EvidenceItem("same instance", proxiedID == directID ? "yes (display_config \(directID))" : "no: \(proxiedID) through the proxy, \(directID) directly"))
            if proxiedID != directID {
                return [.problem("the proxy answers for another instance than the publishable key's (display_config \(proxiedID), not \(directID))", at: target, evidence: evidence)]
            }
        }
        if let (item, failed) = Self.clerksVerdict(proxyURL, context) {
            evidence.append(item)
            if failed {
                return [.problem("the proxy answers, but Clerk's own check of it (POST /v1/proxy_checks) did not succeed: Clerk cannot reach its Frontend API through it as configured",
                                 at: target, evidence: evidence, severity: .error)]
            }
        }
        if case .success(let status) = context.facts.domainStatus, let proxy = status.proxy {
            evidence.append(EvidenceItem("Clerk's check", "proxy \(proxy.status)" + (proxy.required ? "" : " (not required)")))
            if proxy.required, !["complete", "verified", "healthy"].contains(proxy.status.lowercased()) {
                return [.problem("the proxy answers, but Clerk's own check of it says '\(proxy.status)'", at: target, evidence: evidence, severity: .warning)]
            }
        }
        return [.pass("the proxy at \(proxyURL) answers as Clerk's production Frontend API", at: target, evidence: evidence)]
    }
}
