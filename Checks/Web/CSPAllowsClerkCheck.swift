import Foundation
import PreflightCore

/// A Content Security Policy on the app must let Clerk's scripts, requests, images, workers,
/// styles and frames through.
struct CSPAllowsClerkCheck: Check {
    static let extraSources = OptionKey(
        "extra_sources", summary: "more URLs that script-src and connect-src must allow (a CDN serving clerk-js, a satellite's Frontend API)",
        default: [String]())

    static let description = CheckDescription(
        id: "web.csp_allows_clerk",
        title: "Content Security Policy allows Clerk",
        summary: "When app.url sends a CSP (header or meta), every policy allows what Clerk needs in script-src, connect-src, img-src, worker-src, style-src and frame-src. No CSP passes.",
        rationale: """
            A CSP written for the app alone blocks clerk-js from the Frontend API, Cloudflare's \
            bot-protection challenge, Clerk's images, the session worker and inline styles: the \
            sign-in component then renders empty or fails at the captcha, in production only, \
            since development often runs without the CSP. Each policy the page sends is \
            enforced on its own; sources are matched as CSP Level 3 does (host wildcards, \
            'self', scheme sources, fallback to child-src, script-src and default-src). \
            Report-only policies block nothing and are not read.
            """,
        hint: "Add Clerk's sources to the CSP: script-src and connect-src <Frontend API> https://*.protect.clerk.com, script-src and frame-src https://challenges.cloudflare.com, img-src https://img.clerk.com, worker-src 'self' blob:, style-src 'unsafe-inline'",
        references: [
            Reference("Clerk: CSP headers", "https://clerk.com/docs/security/clerk-csp"),
            Reference("CSP Level 3: matching source expressions", "https://www.w3.org/TR/CSP3/#match-url-to-source-expression"),
        ],
        defaultSeverity: .error,
        tags: ["web", "security"],
        needs: .network,
        options: [
            extraSources.declaration,
        ],
        examples: [
            example("no CSP", csp: nil, expect: .pass),
            example("Clerk's documented sources", csp: """
                default-src 'self'; script-src 'self' https://clerk.example.com https://challenges.cloudflare.com https://*.protect.clerk.com; \
                connect-src 'self' https://clerk.example.com https://*.protect.clerk.com:*; img-src 'self' https://img.clerk.com; \
                worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-src https://challenges.cloudflare.com https://*.protect.clerk.com
                """, expect: .pass),
            example("a wildcard for the domain covers the Frontend API", csp: """
                default-src 'self' https://*.example.com; script-src 'self' https://*.example.com https://challenges.cloudflare.com https://*.protect.clerk.com; \
                connect-src 'self' https://*.example.com https://*.protect.clerk.com:*; img-src https:; worker-src 'self' blob:; \
                style-src 'self' 'unsafe-inline'; frame-src https://challenges.cloudflare.com https://*.protect.clerk.com
                """, expect: .pass),
            example("the app's own sources only", csp: "default-src 'self'; style-src 'self' 'unsafe-inline'", expect: .problem),
            example("a nonce switches 'unsafe-inline' off", csp: """
                default-src 'self' https: blob:; style-src 'self' 'unsafe-inline' 'nonce-r4nd0m'
                """, expect: .problem),
            ScanFindings.example(
                "the page did not load", shows: "GET https://example.com/ -> 503", expect: .undecided,
                scan: PageScan(url: "https://example.com/", failure: HTTPFailure(kind: .httpStatus, message: "HTTP 503 (server error)", url: "https://example.com/"))),
        ])

    static func example(_ title: String, csp: String?, expect: CheckExample.Expectation) -> CheckExample {
        let headers = csp.map { [HTTPHeader(name: "Content-Security-Policy", value: $0)] } ?? []
        return ScanFindings.example(
            title, shows: csp.map { "Content-Security-Policy: \($0)" } ?? "(no Content-Security-Policy header or meta tag)", expect: expect,
            scan: PageScan(url: "https://example.com/", status: 200, headers: headers))
    }

    /// What Clerk needs, per directive: URLs that must load, plus inline styles. Wildcard
    /// requirements are tested with a host no policy would name on its own.
    static func requirements(frontendAPI: String, page: String, extra: [String]) -> [(directive: String, urls: [String])] {
        let protect = "https://preflight-check.protect.clerk.com/"
        let origin = URLComponents(string: page).map { "\($0.scheme ?? "https")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")" } ?? page
        return [
            ("script-src", ["\(frontendAPI)/npm/@clerk/clerk-js@5/dist/clerk.browser.js", "https://challenges.cloudflare.com/turnstile/v0/api.js", protect] + extra),
            ("connect-src", ["\(frontendAPI)/v1/client", "https://preflight-check.protect.clerk.com:8443/"] + extra),
            ("img-src", ["https://img.clerk.com/preflight.png"]),
            ("worker-src", ["\(origin)/worker.js", "blob:\(origin)/0f4a3c1e"]),
            ("frame-src", ["https://challenges.cloudflare.com/", protect]),
        ]
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { ScanFindings.probes(context) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let url = context.configuration.app.url else { return [.undecided("app.url is not set in preflight.yml", at: .application)] }
        let target = Target.url(url)
        guard let page = context.evidence.page(url) else { return [.undecided("\(url) was not fetched", at: target)] }
        if let failure = page.failure { return [.undecided("could not fetch \(url): \(failure)", at: target)] }
        guard let frontendAPI = context.configuration.frontendAPIOrigin else {
            return [.undecided("app.domain is not set in preflight.yml, so the Frontend API origin is unknown", at: target)]
        }
        let policies = page.headers.filter { $0.name == "content-security-policy" }.flatMap { ContentSecurityPolicy.policies(header: $0.value) }
            + page.facts.contentSecurityPolicies.flatMap { ContentSecurityPolicy.policies(header: $0, source: "meta") }
        guard !policies.isEmpty else { return [.pass("\(url) sends no Content-Security-Policy: nothing blocks Clerk", at: target)] }

        let requirements = Self.requirements(frontendAPI: frontendAPI, page: url, extra: context[Self.extraSources])
        var blocked: [String] = []
        var evidence: [EvidenceItem] = []
        for (number, policy) in policies.enumerated() {
            let name = policies.count > 1 ? "policy \(number + 1) (\(policy.source))" : "policy (\(policy.source))"
            for (directive, urls) in requirements {
                let denied = urls.filter { !policy.allows($0, directive: directive, pageURL: url) }
                guard !denied.isEmpty else { continue }
                let governing = policy.governing(directive)
                blocked.append(directive)
                evidence.append(EvidenceItem("\(name) \(directive)", "blocks \(denied.joined(separator: ", "))"
                    + (governing.map { " (\($0.name): \($0.sources.joined(separator: " ")))" } ?? "")))
            }
            if !policy.allowsUnsafeInline("style-src") {
                blocked.append("style-src")
                let governing = policy.governing("style-src")
                evidence.append(EvidenceItem("\(name) style-src", "no effective 'unsafe-inline'"
                    + (governing.map { " (\($0.name): \($0.sources.joined(separator: " ")))" } ?? "")))
            }
        }
        var unique: [String] = []
        for directive in blocked where !unique.contains(directive) { unique.append(directive) }
        if unique.isEmpty {
            return [.pass("the Content-Security-Policy of \(url) allows what Clerk needs", at: target,
                          evidence: [EvidenceItem("policies", "\(policies.count)")])]
        }
        return [.problem("the Content-Security-Policy of \(url) blocks what Clerk needs in \(unique.joined(separator: ", "))", at: target, evidence: evidence)]
    }
}
