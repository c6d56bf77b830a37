import Foundation
import PreflightCore

/// The key the deployed app ships must be the production key of the production domain.
struct LivePublishableKeyCheck: Check {
    static let description = CheckDescription(
        id: "web.publishable_key_live",
        title: "Deployed app ships the production key",
        summary: "The publishable key the live app ships (Clerk's script-tag attribute or a bundle) is a pk_live_ key for the production Frontend API host and equals the env file's key.",
        rationale: """
            The env file says what the build should have used; the deployed page says what it \
            did use. A build from a stale cache, another branch's environment or a different \
            Clerk application ships a live key for the wrong host, which signs users into the \
            wrong user pool or fails outright. Development keys in the page are reported by \
            leakage.no_development_keys.
            """,
        hint: "Rebuild and redeploy with the production instance's publishable key (the one in your production env file)",
        references: [
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
            Reference("clerk/javascript keys.ts (parsePublishableKey)", "https://github.com/clerk/javascript/blob/main/packages/shared/src/keys.ts"),
        ],
        defaultSeverity: .critical,
        tags: ["web", "keys"],
        needs: .network,
        examples: [
            ScanFindings.example(
                "the script tag carries the env file's live key", shows: #"<script data-clerk-publishable-key="pk_live_Y2xlcmsuZXhhbXBsZS5jb20k" src="https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js">"#,
                expect: .pass,
                scan: PageScan(url: "https://example.com/", status: 200, facts: HTMLFacts(clerkScriptAttributes: ["data-clerk-publishable-key": ExampleInput.liveKey]))),
            ScanFindings.example(
                "a live key of another application in the bundle", shows: #"https://example.com/app.js: "pk_live_Y2xlcmsub3RoZXItYXBwLmNvbSQ" (clerk.other-app.com)"#,
                expect: .problem,
                scan: PageScan(url: "https://example.com/", status: 200, scripts: [PageScan.Script(url: "https://example.com/app.js", bytes: 900, matches: [
                    ClerkStringScanner.Match(kind: .productionKey, value: "pk_live_Y2xlcmsub3RoZXItYXBwLmNvbSQ", line: 1, column: 31)])])),
            ScanFindings.example(
                "no key visible (loaded at run time)", shows: "https://example.com/ and its scripts: no publishable key", expect: .notApplicable,
                scan: PageScan(url: "https://example.com/", status: 200)),
            ScanFindings.example(
                "the page did not load", shows: "GET https://example.com/ -> tls-expired", expect: .undecided,
                scan: PageScan(url: "https://example.com/", failure: HTTPFailure(kind: .tlsExpired, message: "certificate has expired", url: "https://example.com/"))),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { ScanFindings.probes(context) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let url = context.configuration.app.url else { return [.undecided("app.url is not set in preflight.yml", at: .application)] }
        guard let page = context.evidence.page(url) else { return [.undecided("\(url) was not scanned", at: .url(url))] }
        if let failure = page.failure { return [.undecided("could not read \(url): \(failure)", at: .url(url))] }

        // Every live key the page ships, with where it was seen.
        var shipped: [(key: String, target: Target)] = []
        if let attribute = page.facts.clerkScriptAttributes["data-clerk-publishable-key"], attribute.hasPrefix(PublishableKey.livePrefix) {
            shipped.append((attribute, .url(url)))
        }
        for (source, match) in page.allMatches where match.kind == .productionKey && !shipped.contains(where: { $0.key == match.value }) {
            shipped.append((match.value, .file(path: source, line: match.line, column: match.column, subject: match.value)))
        }
        guard !shipped.isEmpty else {
            if page.allMatches.contains(where: { $0.match.kind == .developmentKey }) {
                return [.notApplicable("the page ships only development keys (reported by leakage.no_development_keys)", at: .url(url))]
            }
            return [.notApplicable("no publishable key in \(url) or the \(page.scripts.count) scripts read: nothing to compare", at: .url(url))]
        }

        let configured = context.evidence.publishableKeyVariables
        let configuredLive = configured.filter { $0.value.hasPrefix(PublishableKey.livePrefix) }
        var expected = context.configuration.app.domain.map(ClerkHosts.expectedFrontendAPIHosts(forDomain:)) ?? []
        if let proxy = context.configuration.clerk.proxyURL, let host = URLComponents(string: proxy)?.host { expected.append(ClerkHosts.normalize(host)) }

        return shipped.map { key, target in
            guard let decoded = try? PublishableKey(key) else {
                return .problem("the page ships a publishable key that does not decode", at: target, evidence: [EvidenceItem("key", key)])
            }
            let host = ClerkHosts.normalize(decoded.frontendAPIHost)
            var evidence = [EvidenceItem("shipped", key), EvidenceItem("frontend API host", host)]
            evidence += configuredLive.map { EvidenceItem("configured (\($0.name))", $0.value) }
            if !expected.isEmpty, !expected.contains(host) {
                return .problem("the deployed app ships a live key for \(host), expected \(expected.joined(separator: " or "))", at: target, evidence: evidence)
            }
            if let other = configuredLive.first, !configuredLive.contains(where: { $0.value == key }) {
                return .problem("the deployed app ships a different live key than \(other.name) (\(host))", at: target, evidence: evidence)
            }
            guard !configured.isEmpty || !expected.isEmpty else {
                return .undecided("neither a publishable key nor app.domain is configured to compare \(host) with", at: target, evidence: evidence)
            }
            return .pass("the deployed app ships the production key for \(host)", at: target, evidence: evidence)
        }
    }
}
