import Foundation
import PreflightCore

/// The secret key and the publishable key must belong to the same instance.
struct KeysMatchCheck: Check {
    static let description = CheckDescription(
        id: "instance.keys_match",
        title: "Secret and publishable keys belong together",
        summary: "Some domain of GET /v1/domains (asked with the secret key) has a frontend_api_url whose host is the publishable key's host (satellite domains too, in any order).",
        rationale: """
            Prefixes cannot tell two applications' keys apart: a pk_live_ key of one app and an \
            sk_live_ key of another both look right, and every session token then fails to \
            verify on the server. Clerk's own CLI matches keys this way: the publishable key's \
            Frontend API host must be one of the secret key's instance's domains.
            """,
        hint: "Copy both keys from the same production instance in the Clerk Dashboard (API keys) and redeploy",
        references: [
            Reference("Clerk Backend API: domains", "https://clerk.com/docs/reference/backend-api/tag/Domains"),
            Reference("clerk/cli keyless-target.ts", "https://github.com/clerk/cli"),
        ],
        defaultSeverity: .critical,
        tags: ["instance", "keys", "clerk-api"],
        needs: .credentials,
        examples: [
            LiveExample.example("the key's host is the instance's", shows: #"GET /v1/domains -> {"data": [{"name": "example.com", "frontend_api_url": "https://clerk.example.com"}]}"#,
                                expect: .pass, http: [domains(["https://clerk.example.com"])]),
            LiveExample.example("a satellite's host, second in the list", shows: #"{"data": [{"frontend_api_url": "https://clerk.other.com"}, {"frontend_api_url": "https://clerk.example.com", "is_satellite": true}]}"#,
                                expect: .pass, http: [domains(["https://clerk.other.com", "https://clerk.example.com"])]),
            LiveExample.example("keys of two applications", shows: #"GET /v1/domains -> {"data": [{"frontend_api_url": "https://clerk.other-app.com"}]}"#,
                                expect: .problem, http: [domains(["https://clerk.other-app.com"])]),
            LiveExample.example("the secret key was refused", shows: "GET /v1/domains -> 401", expect: .undecided,
                                http: [LiveExample.backend("/v1/domains", #"{"errors":[{"code":"authentication_invalid"}]}"#, status: 401)]),
            LiveExample.example("no secret key in the environment", shows: "(CLERK_SECRET_KEY is not set)", expect: .notApplicable),
        ])

    static func domains(_ urls: [String]) -> HTTPExchange {
        let entries = urls.enumerated().map { LiveExample.domainJSON("d\($0.offset).com", frontendAPI: $0.element, satellite: $0.offset > 0) }
        return LiveExample.backend("/v1/domains", #"{"data": [\#(entries.joined(separator: ", "))], "total_count": \#(urls.count)}"#)
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { ClerkSources.backendProbes(context, ["/v1/domains"]) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let keys = context.evidence.publishableKeyVariables.compactMap { variable in (try? PublishableKey(variable.value)).map { (variable, $0) } }
        guard !keys.isEmpty else { return [.notApplicable("no publishable key that decodes is configured")] }
        let domains: ClerkAPI.DomainList
        switch ClerkSources.domains(context) {
        case .failure(let unavailable): return [unavailable.result(at: keys[0].0.target)]
        case .success(let value): domains = value
        }
        let hosts = domains.data.compactMap { URLComponents(string: $0.frontendApiUrl)?.host.map(ClerkHosts.normalize) }
        var seen: Set<String> = []
        return keys.compactMap { variable, key in
            let host = ClerkHosts.normalize(key.frontendAPIHost)
            guard seen.insert("\(variable.name)|\(host)").inserted else { return nil }
            let evidence = [EvidenceItem("publishable key host", host), EvidenceItem("instance domains (Backend API)", hosts.joined(separator: ", "))]
            if hosts.contains(host) {
                return .pass("\(variable.name) and the secret key belong to the instance at \(host)", at: variable.target, evidence: evidence)
            }
            return .problem("\(variable.name) points at \(host), but the secret key's instance serves \(hosts.isEmpty ? "no domain" : hosts.joined(separator: ", "))",
                            at: variable.target, evidence: evidence)
        }
    }
}
