import Foundation
import PreflightCore

/// The instance's domains from Clerk's Backend API (`GET /v1/domains` with the secret key):
/// the authoritative per-instance DNS targets (`cname_targets`). Optional: asked only when the
/// secret key is in the environment; without it the DNS checks accept any `*.clerk.services`
/// target where the exact one depends on the instance.
enum BackendDomains {
    static let defaultAPIURL = "https://api.clerk.com"

    /// One record Clerk asks for.
    struct CNAMETarget: Hashable {
        var host: String
        var value: String
        var required: Bool
    }

    /// The Backend API base: `CLERK_API_URL` (environment or env file) or Clerk's.
    static func apiURL(_ evidence: Evidence) -> String {
        let configured = evidence.clerkVariables.first { $0.clerk?.kind == .apiURL && !$0.value.isEmpty }?.value
        var base = configured ?? defaultAPIURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base
    }

    static func domainsProbe(_ configuration: Configuration, _ evidence: Evidence) -> HTTPProbe {
        HTTPProbe(url: apiURL(evidence) + "/v1/domains", authenticated: true)
    }

    /// Asked only when the process environment holds the secret key (the prober sends only that one).
    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        let name = context.configuration.clerk.secretKeyEnv
        guard context.offlineEvidence.environment.contains(where: { $0.name == name && !$0.value.isEmpty }) else { return [] }
        return [.http(domainsProbe(context.configuration, context.offlineEvidence))]
    }

    /// The targets the Backend API gave, keyed by host; `nil` when it was not asked or did not answer.
    static func cnameTargets(_ context: CheckContext) -> [String: CNAMETarget]? {
        if case .targets(let targets) = answer(context) { return targets }
        return nil
    }

    /// What the Backend API said, for the evidence of the checks that fall back without it.
    enum Answer {
        case notAsked
        case failed(String)
        case targets([String: CNAMETarget])

        /// Where the expected targets came from, shown as evidence.
        var source: String {
            switch self {
            case .notAsked: "any *.clerk.services (no secret key in the environment: Backend API not asked)"
            case .failed(let reason): "any *.clerk.services (Backend API GET /v1/domains failed: \(reason))"
            case .targets: "Backend API cname_targets"
            }
        }
    }

    static func answer(_ context: CheckContext) -> Answer {
        guard let result = context.evidence.http(domainsProbe(context.configuration, context.evidence)) else { return .notAsked }
        let response: HTTPResponse
        switch result.successfulResponse() {
        case .failure(let failure):
            return .failed(failure.kind == .httpStatus && failure.message.hasPrefix("HTTP 401") ? "HTTP 401, the secret key was refused" : failure.description)
        case .success(let success): response = success
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
              let domains = json["data"] as? [[String: Any]]
        else { return .failed("malformed JSON") }
        var targets: [String: CNAMETarget] = [:]
        for domain in domains {
            for entry in domain["cname_targets"] as? [[String: Any]] ?? [] {
                guard let host = entry["host"] as? String, let value = entry["value"] as? String else { continue }
                let target = CNAMETarget(host: ClerkHosts.normalize(host), value: ClerkHosts.normalize(value), required: entry["required"] as? Bool ?? true)
                targets[target.host] = target
            }
        }
        return .targets(targets)
    }
}
