import Foundation
import PreflightCore

/// The way back from sign-in must be the app's public address, or users loop.
struct SignInRedirectPublicOriginCheck: Check {
    static let description = CheckDescription(
        id: "routes.sign_in_redirect_public_origin",
        title: "The sign-in redirect returns to the app's public origin",
        summary: "When a protected page sends a signed-out visitor to sign-in, the redirect and the return URL it carries (redirect_url) are on https://<app.domain>: not http://, localhost, a private address, a port or a container name.",
        rationale: """
            Clerk's middleware builds the return URL from the request it sees. Behind a reverse \
            proxy (nginx, a load balancer, a container platform) that does not forward \
            X-Forwarded-Proto and X-Forwarded-Host, that request is http://app:3000/...: after \
            signing in the user is sent there, or to http://, and loops or fails. Preflight reads \
            the redirect that each app.protected_paths page gives a signed-out browser (the same \
            request routes.protected_paths_enforced makes) and checks the Location and its \
            redirect_url.
            """,
        hint: "Forward the public host and scheme from the proxy (X-Forwarded-Host: $host, X-Forwarded-Proto: https) so the app builds its URLs from them",
        references: [
            Reference("Clerk: deploy behind a proxy", "https://clerk.com/docs/guides/development/deployment/behind-a-proxy"),
            Reference("MDN: X-Forwarded-Proto", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Forwarded-Proto"),
        ],
        defaultSeverity: .error,
        tags: ["routes", "app"],
        needs: .network,
        examples: [
            example("back to the public origin",
                    location: "https://accounts.example.com/sign-in?redirect_url=https%3A%2F%2Fexample.com%2Fdashboard", expect: .pass),
            example("the proxy drops X-Forwarded-Proto",
                    location: "https://accounts.example.com/sign-in?redirect_url=http%3A%2F%2Fexample.com%2Fdashboard", expect: .problem),
            example("the inner host and port",
                    location: "https://accounts.example.com/sign-in?redirect_url=http%3A%2F%2Fapp%3A3000%2Fdashboard", expect: .problem),
            example("the redirect itself to localhost", location: "http://localhost:3000/sign-in?redirect_url=%2Fdashboard", expect: .problem),
            CheckExample("no protected path configured", input: "# preflight.yml: no app.protected_paths", expect: .notApplicable) {
                CheckContext(evidence: Evidence(), configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static func example(_ title: String, location: String, expect: CheckExample.Expectation) -> CheckExample {
        let url = "https://example.com/dashboard"
        let shown = "# preflight.yml\napp:\n  protected_paths: [/dashboard]\nGET \(url) (signed out) -> 307\nLocation: \(location)"
        return CheckExample(title, input: shown, expect: expect) {
            var configuration = LiveExample.configuration
            configuration.app.protectedPaths = ["/dashboard"]
            let response = HTTPResponse(url: url, status: 307, headers: [HTTPHeader(name: "Location", value: location)])
            return CheckContext(evidence: Evidence(http: [HTTPExchange(probe: ProtectedPathsEnforcedCheck.probe(url), result: .response(response))]),
                                configuration: configuration, now: LiveExample.now)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ProtectedPathsEnforcedCheck.probes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard !context.configuration.app.protectedPaths.isEmpty else {
            return [.notApplicable("no protected path is configured (app.protected_paths): no page to read the sign-in redirect from")]
        }
        guard let appURL = context.configuration.app.url, let publicOrigin = Origin(appURL) else {
            return [.undecided("app.domain or app.url is not set in preflight.yml", at: .application)]
        }
        var results: [CheckResult] = []
        var unread: [String] = []
        for (_, url) in ProtectedPathsEnforcedCheck.urls(context.configuration) {
            guard case .response(let response)? = context.evidence.http(ProtectedPathsEnforcedCheck.probe(url)) else {
                unread.append(url)
                continue
            }
            guard (300..<400).contains(response.status), let location = SignInRedirect.location(of: response, from: url),
                  SignInRedirect.isSignIn(location, context) else { continue }
            results.append(judge(url: url, location: location, publicOrigin: publicOrigin))
        }
        if results.isEmpty {
            if let first = unread.first {
                return [.undecided("could not read the sign-in redirect: \(first) was not answered", at: .url(first))]
            }
            return [.notApplicable("no protected path redirected a signed-out visitor to sign-in (see routes.protected_paths_enforced)")]
        }
        // One verdict per distinct redirect: every path usually shares the middleware's.
        return results
    }

    func judge(url: String, location: String, publicOrigin: Origin) -> CheckResult {
        let target = Target.url(url)
        var evidence = [EvidenceItem("location", location), EvidenceItem("public origin", publicOrigin.display)]
        // The sign-in page itself may be on another host (the Account Portal), but never on an inner address.
        if let problem = SignInRedirect.originProblem(location, publicOrigin: publicOrigin), problem.isInner {
            return .problem("\(url) redirects a signed-out visitor to \(location): \(problem)", at: target, evidence: evidence)
        }
        guard let (parameter, back) = SignInRedirect.returnURL(in: location) else {
            return .pass("\(url) redirects to sign-in without a return URL to get wrong", at: target, evidence: evidence)
        }
        evidence.append(EvidenceItem(parameter, back))
        // A relative return URL is resolved on the page that redirected: the public one.
        guard back.contains("://") else {
            return .pass("\(url) redirects to sign-in with a relative \(parameter) (\(back)), on the public origin", at: target, evidence: evidence)
        }
        if let problem = SignInRedirect.originProblem(back, publicOrigin: publicOrigin) {
            return .problem("after sign-in, users of \(url) are sent to \(back): \(problem), so they loop or land on an address they cannot reach",
                            at: target, evidence: evidence)
        }
        return .pass("\(url) sends signed-out visitors to sign-in and back to \(publicOrigin.display)", at: target, evidence: evidence)
    }
}
