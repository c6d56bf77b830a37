import Foundation
import PreflightCore

/// A page meant for signed-in users must not show its content to anyone else.
struct ProtectedPathsEnforcedCheck: Check {
    static let description = CheckDescription(
        id: "routes.protected_paths_enforced",
        title: "Protected pages refuse signed-out visitors",
        summary: "Each app.protected_paths page, fetched as a browser without cookies, redirects to sign-in or answers 401, 403 or 404; never 200 with content.",
        rationale: """
            A matcher that misses a route (a new folder, a trailing slash, an API path outside \
            the middleware's config.matcher) leaves a page meant for users open to anyone, and \
            nothing in Clerk's settings shows it. Preflight fetches each configured path as a \
            browser's first visit (Accept: text/html, Sec-Fetch-Dest: document, no cookies) and \
            reads the answer as it is, without following a redirect. Clerk's auth.protect() \
            redirects such a visitor to the sign-in page, and answers 404 to other requests.
            """,
        hint: "Protect the route in the middleware (auth.protect() for a createRouteMatcher that matches it, and a config.matcher that runs the middleware there) or in the page itself",
        references: [
            Reference("Clerk: auth.protect()", "https://clerk.com/docs/reference/nextjs/app-router/auth#auth-protect"),
            Reference("Clerk: clerkMiddleware() (protect routes)", "https://clerk.com/docs/reference/nextjs/clerk-middleware"),
        ],
        defaultSeverity: .critical,
        tags: ["routes", "app"],
        needs: .network,
        examples: [
            example("a redirect to sign-in", status: 307,
                    headers: [HTTPHeader(name: "Location", value: "https://accounts.example.com/sign-in?redirect_url=https%3A%2F%2Fexample.com%2Fdashboard")],
                    expect: .pass),
            example("a 404 for a signed-out visitor", status: 404, headers: [HTTPHeader(name: "x-clerk-auth-status", value: "signed-out")], expect: .pass),
            example("the page is served to anyone", status: 200, headers: [HTTPHeader(name: "Content-Type", value: "text/html")],
                    title: "Dashboard · Acme", expect: .problem),
            example("a redirect somewhere else", status: 308, headers: [HTTPHeader(name: "Location", value: "/dashboard/")], expect: .undecided),
            CheckExample("no protected path configured", input: "# preflight.yml: no app.protected_paths", expect: .notApplicable) {
                CheckContext(evidence: Evidence(), configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static let path = "/dashboard"

    static func example(
        _ title: String, status: Int, headers: [HTTPHeader], title pageTitle: String? = nil, expect: CheckExample.Expectation
    ) -> CheckExample {
        let url = "https://example.com\(path)"
        let shown = "# preflight.yml\napp:\n  protected_paths: [\(path)]\nGET \(url) (signed out) -> \(status)"
            + headers.map { "\n\($0.name): \($0.value)" }.joined() + (pageTitle.map { "\n<title>\($0)</title>" } ?? "")
        return CheckExample(title, input: shown, expect: expect) {
            var configuration = LiveExample.configuration
            configuration.app.protectedPaths = [path]
            var response = HTTPResponse(url: url, status: status, headers: headers, body: pageTitle.map { "<title>\($0)</title>" } ?? "")
            response.title = pageTitle
            return CheckContext(evidence: Evidence(http: [HTTPExchange(probe: probe(url), result: .response(response))]),
                                configuration: configuration, now: LiveExample.now)
        }
    }

    /// A browser's first visit: asks for a document, sends no cookie, follows nothing.
    static func probe(_ url: String) -> HTTPProbe {
        HTTPProbe(url: url, followRedirects: false, headers: ["Accept": "text/html", "Sec-Fetch-Dest": "document"])
    }

    /// Each protected path's URL on the app's origin.
    static func urls(_ configuration: Configuration) -> [(path: String, url: String)] {
        configuration.app.protectedPaths.compactMap { path in configuration.app.url(ofPath: path).map { (path, $0) } }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        urls(context.configuration).map { .http(probe($0.url)) }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard !context.configuration.app.protectedPaths.isEmpty else {
            return [.notApplicable("no protected path is configured (app.protected_paths)")]
        }
        let urls = Self.urls(context.configuration)
        guard !urls.isEmpty else { return [.undecided("app.domain or app.url is not set in preflight.yml", at: .application)] }
        return urls.map { judge($0.url, context) }
    }

    func judge(_ url: String, _ context: CheckContext) -> CheckResult {
        let target = Target.url(url)
        let response: HTTPResponse
        switch HTTPAnswer(Self.probe(url), context, at: target) {
        case .none(let undecided): return undecided
        case .response(let value): response = value
        }
        var evidence = [EvidenceItem("signed-out visit", "\(response.status)")]
        if let status = response.header("x-clerk-auth-status") { evidence.append(EvidenceItem("x-clerk-auth-status", status)) }
        let location = SignInRedirect.location(of: response, from: url)
        if let location { evidence.append(EvidenceItem("location", location)) }
        switch response.status {
        case 300..<400:
            guard let location else { return .undecided("\(url) answered \(response.status) without a Location", at: target, evidence: evidence) }
            if SignInRedirect.isSignIn(location, context) {
                return .pass("\(url) sends a signed-out visitor to sign-in", at: target, evidence: evidence)
            }
            return .undecided("\(url) redirects to \(location), not to sign-in: fetch that (or list it in app.protected_paths) to tell whether it is protected",
                              at: target, evidence: evidence)
        case 401, 403, 404:
            return .pass("\(url) refuses a signed-out visitor (\(response.status))", at: target, evidence: evidence)
        case 200..<300:
            if let title = response.title, !title.isEmpty { evidence.append(EvidenceItem("title", title)) }
            let shown = response.title.map { " ('\($0)')" } ?? ""
            if response.bodyBytes == 0 {
                return .problem("\(url) answers \(response.status) to a signed-out visitor, with no content", at: target, evidence: evidence, severity: .warning)
            }
            return .problem("\(url) serves its content\(shown) to a signed-out visitor (\(response.status), \(response.bodyBytes) bytes)",
                            at: target, evidence: evidence)
        case 500..<600:
            return .undecided("\(url) failed with \(response.status) for a signed-out visitor: cannot tell whether it is protected", at: target, evidence: evidence)
        default:
            return .pass("\(url) refuses a signed-out visitor (\(response.status))", at: target, evidence: evidence)
        }
    }
}
