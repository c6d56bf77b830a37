import Foundation
import PreflightCore

/// The production home page may be indexed: no robots.txt rule, header or meta tag says no.
struct IndexableCheck: Check {
    /// The crawlers whose view decides: each major engine's token, read as RFC 9309 says.
    static let crawlers = ["Googlebot", "Bingbot"]

    static let description = CheckDescription(
        id: "web.indexable",
        title: "Home page may be indexed",
        summary: "robots.txt (RFC 9309: groups, user-agent matching, longest match) lets Googlebot and Bingbot crawl app.url, and neither an X-Robots-Tag header nor a robots meta tag says noindex.",
        rationale: """
            Development and staging deployments are kept out of search engines with a \
            Disallow: / or a noindex, and the setting tends to survive into production: the \
            launch then happens without search traffic, and nothing fails loudly. robots.txt \
            answering 5xx counts as a complete disallow, as crawlers treat it.
            """,
        hint: "Remove the noindex (X-Robots-Tag header, <meta name=\"robots\">) and the Disallow rule covering the home page from the production build; disable this check for apps that must stay out of search",
        references: [
            Reference("RFC 9309: Robots Exclusion Protocol", "https://www.rfc-editor.org/rfc/rfc9309"),
            Reference("Google: robots meta tag and X-Robots-Tag", "https://developers.google.com/search/docs/crawling-indexing/robots-meta-tag"),
        ],
        defaultSeverity: .warning,
        tags: ["web", "seo"],
        needs: .network,
        examples: [
            example("robots.txt allows, no noindex", robots: "User-agent: *\nDisallow: /admin/\n", page: page(), expect: .pass),
            example("Disallow: / left over", robots: "User-agent: *\nDisallow: /\n", page: page(), expect: .problem),
            example("Googlebot's own group allows the page", robots: "User-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nUser-agent: Bingbot\nAllow: /$\nDisallow: /\n",
                    page: page(), expect: .pass),
            example("a noindex meta tag", robots: "", page: page(meta: ["noindex, nofollow"]), expect: .problem),
            example("an X-Robots-Tag header", robots: "", page: page(header: "noindex"), expect: .problem),
            example("robots.txt timed out", robots: nil, page: page(), expect: .undecided),
        ])

    static func page(meta: [String] = [], header: String? = nil) -> PageScan {
        PageScan(url: "https://example.com/", status: 200, headers: header.map { [HTTPHeader(name: "X-Robots-Tag", value: $0)] } ?? [],
                 facts: HTMLFacts(robots: meta))
    }

    static func example(_ title: String, robots: String?, page: PageScan, expect: CheckExample.Expectation) -> CheckExample {
        let url = "https://example.com/robots.txt"
        let result: HTTPResult = robots.map { LiveExample.response(url, status: $0.isEmpty ? 404 : 200, body: $0) }
            ?? LiveExample.failure(url, .timeout, "timed out")
        var shown = "# \(url)\n" + (robots.map { $0.isEmpty ? "(404)" : $0 } ?? "(timeout)")
        if let header = page.header("x-robots-tag") { shown += "\n# https://example.com/ headers\nX-Robots-Tag: \(header)" }
        for content in page.facts.robots { shown += "\n# https://example.com/\n<meta name=\"robots\" content=\"\(content)\">" }
        return LiveExample.example(title, shows: shown, expect: expect, http: [HTTPExchange(probe: HTTPProbe(url: url), result: result)], pages: [page])
    }

    static func robotsURL(_ configuration: Configuration) -> String? {
        guard let url = configuration.app.url, var components = URLComponents(string: url) else { return nil }
        components.path = "/robots.txt"
        components.query = nil
        components.fragment = nil
        return components.string
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard let page = context.configuration.app.url, let robots = robotsURL(context.configuration) else { return [] }
        return [.page(page), .http(HTTPProbe(url: robots))]
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let url = context.configuration.app.url, let robotsURL = Self.robotsURL(context.configuration) else {
            return [.undecided("app.url is not set in preflight.yml", at: .application)]
        }
        var results: [CheckResult] = []

        // robots.txt
        let components = URLComponents(string: url)
        let path = (components?.percentEncodedPath.isEmpty == false ? components!.percentEncodedPath : "/")
            + (components?.percentEncodedQuery.map { "?\($0)" } ?? "")
        switch context.evidence.http(HTTPProbe(url: robotsURL)) {
        case nil:
            results.append(.undecided("\(robotsURL) was not fetched", at: .url(robotsURL)))
        case .failure(let failure)?:
            results.append(.undecided("could not fetch \(robotsURL): \(failure)", at: .url(robotsURL)))
        case .response(let response)? where response.status >= 500:
            results.append(.problem("\(robotsURL) answers \(response.status): crawlers treat that as disallowing the whole site",
                                    at: .url(robotsURL), evidence: [EvidenceItem("status", "\(response.status)")]))
        case .response(let response)? where response.status >= 400:
            results.append(.pass("\(robotsURL) answers \(response.status): no crawling restrictions", at: .url(robotsURL)))
        case .response(let response)?:
            let robots = RobotsTxt(response.body)
            var blocked: [String] = []
            var evidence: [EvidenceItem] = []
            for crawler in Self.crawlers {
                let (allowed, rule) = robots.allows(path, for: crawler)
                evidence.append(EvidenceItem(crawler, (allowed ? "allowed" : "disallowed") + (rule.map { " by \($0.allow ? "Allow" : "Disallow"): \($0.path)" } ?? "")))
                if !allowed { blocked.append(crawler) }
            }
            if blocked.isEmpty {
                results.append(.pass("robots.txt lets \(Self.crawlers.joined(separator: " and ")) crawl \(path)", at: .url(robotsURL), evidence: evidence))
            } else {
                results.append(.problem("robots.txt disallows \(path) for \(blocked.joined(separator: " and "))", at: .url(robotsURL), evidence: evidence))
            }
        }

        // The page's own header and meta tags.
        guard let page = context.evidence.page(url) else {
            results.append(.undecided("\(url) was not fetched", at: .url(url)))
            return results
        }
        if let failure = page.failure {
            results.append(.undecided("could not fetch \(url): \(failure)", at: .url(url)))
            return results
        }
        var noindex: [EvidenceItem] = []
        for header in page.headers where header.name == "x-robots-tag" && Self.saysNoindex(header.value, headerForm: true) {
            noindex.append(EvidenceItem("X-Robots-Tag", header.value))
        }
        for content in page.facts.robots where Self.saysNoindex(content, headerForm: false) {
            noindex.append(EvidenceItem("<meta name=\"robots\">", content))
        }
        if noindex.isEmpty {
            results.append(.pass("\(url) carries no noindex", at: .url(url)))
        } else {
            results.append(.problem("\(url) tells search engines not to index it (\(noindex.map(\.label).joined(separator: ", ")))",
                                    at: .url(url), evidence: noindex))
        }
        return results
    }

    /// `noindex` or `none`; a header may scope directives to one crawler (`otherbot: noindex`),
    /// which does not stop the others.
    static func saysNoindex(_ value: String, headerForm: Bool) -> Bool {
        var text = value.lowercased()
        if headerForm, let colon = text.firstIndex(of: ":") {
            let scope = text[..<colon].trimmingCharacters(in: .whitespaces)
            // "unavailable_after: <date>" is a directive with a value, not a scope.
            if !scope.contains(" "), scope != "unavailable_after", !crawlers.map({ $0.lowercased() }).contains(scope) { return false }
            if scope != "unavailable_after" { text = String(text[text.index(after: colon)...]) }
        }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains { $0 == "noindex" || $0 == "none" }
    }
}
