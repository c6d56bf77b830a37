import Foundation
import PreflightCore

/// The instance behind the publishable key must answer, and be a production instance.
struct InstanceProductionActiveCheck: Check {
    static let description = CheckDescription(
        id: "instance.production_active",
        title: "Production instance answers",
        summary: "The Frontend API at the host decoded from the publishable key answers GET /v1/environment as a production instance.",
        rationale: """
            The publishable key only names a host; whether a working production instance is behind \
            it shows when its Frontend API answers. /v1/environment needs no credentials and \
            carries display_config.instance_environment_type: a key that decodes fine but points \
            at a development or staging instance, or at a host that does not answer, fails here \
            before users find out.
            """,
        hint: "Finish the production instance's setup in the Clerk Dashboard (domain, DNS, certificates) and use its publishable key",
        references: [
            Reference("Clerk Frontend API: environment", "https://clerk.com/docs/reference/frontend-api"),
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
        ],
        defaultSeverity: .critical,
        tags: ["instance", "clerk-api"],
        needs: .network,
        examples: [
            answer("a production instance", status: 200, body: #"{"display_config": {"instance_environment_type": "production"}}"#, expect: .pass),
            answer("a development instance", status: 200, body: #"{"display_config": {"instance_environment_type": "development"}}"#, expect: .problem),
            answer("the Frontend API answers 503", status: 503, body: "", expect: .undecided),
            answer("a malformed answer", status: 200, body: #"{"display_config": "#, expect: .undecided),
            LiveExample.example(
                "an answer that is not UTF-8", shows: #"GET https://clerk.example.com/v1/environment -> 200 {"display_config": {"instance_environment_type": "production\xFF"}}"#,
                expect: .undecided,
                http: [HTTPExchange(probe: HTTPProbe(url: environmentURL(host: "clerk.example.com"), certificates: true), result: .response(HTTPResponse(
                    url: environmentURL(host: "clerk.example.com"), status: 200,
                    body: "{\"display_config\": {\"instance_environment_type\": \"production\u{FFFD}\"}}", invalidUTF8Offset: 60)))]),
        ])

    static func environmentURL(host: String) -> String { ClerkRequests.environmentURL(host: host) }

    /// An example where clerk.example.com's /v1/environment answers `status` with `body`.
    static func answer(_ title: String, status: Int, body: String, expect: CheckExample.Expectation) -> CheckExample {
        let url = environmentURL(host: "clerk.example.com")
        return LiveExample.example(
            title, shows: "GET \(url) -> \(status) \(body)", expect: expect,
            http: [HTTPExchange(probe: HTTPProbe(url: url, certificates: true), result: LiveExample.response(url, status: status, body: body))])
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ClerkSources.frontendProbes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let targets = ClerkRequests(configuration: context.configuration, evidence: context.evidence).environmentTargets()
        guard !targets.isEmpty else { return [.notApplicable("no publishable key that decodes is configured")] }
        var seen: Set<String> = []
        return targets.compactMap { variable, key, url in
            guard seen.insert(url).inserted else { return nil }
            let target = Target.url(url)
            let environment: ClerkAPI.Environment
            switch context.facts.environments[url] ?? .failure(.failed("\(url) was not fetched")) {
            case .failure(let absence): return .undecided(Unavailable(absence).reason, at: target)
            case .success(let value): environment = value
            }
            guard let type = environment.displayConfig?.instanceEnvironmentType else {
                return .undecided("the answer has no display_config.instance_environment_type", at: target)
            }
            let evidence = [EvidenceItem("instance_environment_type", type), EvidenceItem("key", "\(variable.name) (\(key.instance.rawValue) key)")]
            if type == "production" {
                return .pass("\(key.frontendAPIHost) is a production instance", at: target, evidence: evidence)
            }
            return .problem("\(key.frontendAPIHost) is a \(type) instance", at: target, evidence: evidence)
        }
    }
}
