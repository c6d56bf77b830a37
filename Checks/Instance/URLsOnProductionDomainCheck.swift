import Foundation
import PreflightCore

/// Every URL the instance sends users to must be on the production domain.
struct URLsOnProductionDomainCheck: Check {
    static let description = CheckDescription(
        id: "instance.urls_on_production_domain",
        title: "Instance URLs are on the production domain",
        summary: "Every display_config URL (sign-in, sign-up, home, after sign-in/up/out, profile, ...) is on app.domain, its subdomains or a satellite domain; none on a development host.",
        rationale: """
            Paths and redirects do not copy from development to production, and a production \
            instance set up by hand often keeps a sign-in URL on the development Account Portal \
            or localhost. Users then land on the wrong instance after signing in or out, or on a \
            page that does not exist.
            """,
        hint: "Set the instance's paths and redirect URLs to production ones (Clerk Dashboard: Configure > Paths), or pass them to the SDK",
        references: [
            Reference("Clerk: customize redirect URLs", "https://clerk.com/docs/guides/custom-redirects"),
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
        ],
        defaultSeverity: .error,
        tags: ["instance", "clerk-api"],
        needs: .network,
        examples: [
            LiveExample.example(
                "every URL on the domain", shows: #"{"display_config": {"home_url": "https://example.com", "sign_in_url": "https://accounts.example.com/sign-in", … every URL field}}"#,
                expect: .pass, http: [LiveExample.environment(LiveExample.displayConfig())]),
            LiveExample.example(
                "a sign-in URL on the development Account Portal", shows: #"{"display_config": {"sign_in_url": "https://fuzzy-owl-12.accounts.dev/sign-in", …}}"#,
                expect: .problem, http: [LiveExample.environment(LiveExample.displayConfig(["sign_in_url": "https://fuzzy-owl-12.accounts.dev/sign-in"]))]),
            LiveExample.example(
                "an after-switch-session URL on localhost", shows: #"{"display_config": {"after_switch_session_url": "http://localhost:3000/", …}}"#,
                expect: .problem, http: [LiveExample.environment(LiveExample.displayConfig(["after_switch_session_url": "http://localhost:3000/"]))]),
            LiveExample.example(
                "a URL setting that is not a URL", shows: #"{"display_config": {"after_sign_in_url": "URL", …}}"#,
                expect: .undecided, http: [LiveExample.environment(LiveExample.displayConfig(["after_sign_in_url": "URL"]))]),
            LiveExample.example(
                "an answer without a field Clerk's API always carries", shows: #"{"display_config": {…, no after_leave_organization_url}}"#,
                expect: .undecided, http: [LiveExample.environment(LiveExample.displayConfig(["after_leave_organization_url": String?.none]))]),
            LiveExample.example("the Frontend API timed out", shows: "GET /v1/environment -> timeout", expect: .undecided,
                                http: [HTTPExchange(probe: HTTPProbe(url: "https://clerk.example.com/v1/environment", certificates: true),
                                                    result: LiveExample.failure("https://clerk.example.com/v1/environment", .timeout, "timed out"))]),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ClerkSources.frontendProbes(context) + ClerkSources.backendProbes(context, ["/v1/domains"])
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let domain = context.configuration.app.domain else {
            return [.undecided("app.domain is not set in preflight.yml", at: .application)]
        }
        let environment: ClerkAPI.Environment
        switch ClerkSources.environment(context) {
        case .failure(let unavailable): return [unavailable.result(at: .clerkSetting("display_config"))]
        case .success(let value): environment = value
        }
        // Satellite domains share the instance: their URLs are fine.
        var allowed = [domain]
        if case .success(let domains) = ClerkSources.domains(context) {
            for name in domains.data.map({ ClerkHosts.normalize($0.name) }) where !allowed.contains(name) { allowed.append(name) }
        }
        guard let display = environment.displayConfig else {
            return [.undecided("the Frontend API answer has no display_config", at: .clerkSetting("display_config"))]
        }
        var results: [CheckResult] = []
        var judged: [(name: String, value: String)] = []
        for (name, value, optionalLink) in display.urlFields {
            let target = Target.clerkSetting("display_config.\(name)")
            guard let value else {
                // Clerk's spec requires every one of these: an answer without one is malformed.
                results.append(.undecided("the Frontend API answer has no display_config.\(name), which Clerk's API always carries", at: target))
                continue
            }
            if value.isEmpty && optionalLink { continue }
            let evidence = [EvidenceItem(name, value), EvidenceItem("source", ClerkSource.frontendAPI.rawValue)]
            // Only an absolute http(s) URL with a host can be judged; anything else is no answer.
            guard let components = URLComponents(string: value), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = components.host.map(ClerkHosts.normalize), !host.isEmpty else {
                results.append(.undecided("display_config.\(name) is not an absolute http(s) URL: '\(value)'", at: target, evidence: evidence))
                continue
            }
            judged.append((name, value))
            if let problem = URLPolicy.developmentProblem(value) {
                results.append(.problem("\(name) points at \(problem)", at: target, evidence: evidence))
            } else if !allowed.contains(where: { host == $0 || host.hasSuffix(".\($0)") }) {
                results.append(.problem("\(name) points at \(host), outside \(allowed.joined(separator: ", "))", at: target, evidence: evidence))
            }
        }
        if results.isEmpty {
            return [.pass("all \(judged.count) display_config URLs are on \(allowed.joined(separator: ", "))", at: .clerkSetting("display_config"),
                          evidence: judged.map { EvidenceItem($0.name, $0.value) })]
        }
        return results
    }
}
