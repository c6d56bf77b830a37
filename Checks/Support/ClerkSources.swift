import Foundation
import PreflightCore

/// Where a fact about the Clerk instance came from; every finding about it names the source.
enum ClerkSource: String {
    case frontendAPI = "Frontend API"
    case backendAPI = "Backend API"
    case platformAPI = "Platform API"
    case snapshot = "instance snapshot"
}

/// Why a source has nothing to say: it was not asked (and what would let it be), or it failed.
enum Unavailable: Error {
    /// Becomes `skipped` with the reason, never a pass.
    case notAsked(String)
    /// Becomes `error`: the source was asked and could not answer.
    case failed(String)

    var reason: String {
        switch self {
        case .notAsked(let reason), .failed(let reason): reason
        }
    }

    /// The result a check gives when this was the source it needed.
    func result(at target: Target = .application, evidence: [EvidenceItem] = []) -> CheckResult {
        switch self {
        case .notAsked(let reason): .notApplicable(reason, at: target)
        case .failed(let reason): .undecided(reason, at: target, evidence: evidence)
        }
    }
}

/// The Clerk APIs and the snapshot as the checks read them. Probes are planned here, answers
/// decoded into `ClerkAPI` models here, so each check states only what it judges.
enum ClerkSources {
    static let defaultAPIURL = "https://api.clerk.com"

    // MARK: Frontend API

    /// The environment URL of the instance behind the keys (the first key that decodes, or the proxy).
    static func environmentURL(_ configuration: Configuration, _ evidence: Evidence) -> String? {
        InstanceProductionActiveCheck.urls(configuration, evidence).first?.2
    }

    static func frontendProbes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        InstanceProductionActiveCheck.probes(context)
    }

    /// With `--offline` no Clerk API is asked: a check that can decide from the snapshot does.
    static let offlineReason = "not asked: --offline was given"

    static func environment(_ context: CheckContext) -> Result<ClerkAPI.Environment, Unavailable> {
        if context.evidence.offline { return .failure(.notAsked(offlineReason)) }
        guard let url = environmentURL(context.configuration, context.evidence) else {
            return .failure(.notAsked("needs a publishable key that decodes, to find the Frontend API"))
        }
        guard let result = context.evidence.http(HTTPProbe(url: url, certificates: true)) else {
            return .failure(.failed("\(url) was not fetched"))
        }
        switch result.successfulResponse() {
        case .failure(let failure): return .failure(.failed("the Frontend API did not answer: \(failure)"))
        case .success(let response):
            if let offset = response.invalidUTF8Offset {
                return .failure(.failed("the Frontend API answered \(url) with bytes that are not UTF-8 (at byte \(offset))"))
            }
            guard let environment = ClerkAPI.decode(ClerkAPI.Environment.self, from: response.body) else {
                return .failure(.failed("the Frontend API answered \(url) with malformed JSON"))
            }
            // The settings of a development instance say nothing about production; that the key
            // leads there is instance.production_active's finding, reported once.
            if let type = environment.displayConfig?.instanceEnvironmentType, type != "production" {
                return .failure(.notAsked("the publishable key leads to a \(type) instance, whose settings say nothing about production (reported by instance.production_active)"))
            }
            return .success(environment)
        }
    }

    // MARK: Backend API

    /// `--clerk-api-url`, else `CLERK_API_URL` (environment or env file), else Clerk's; without `/v1`.
    static func apiURL(_ configuration: Configuration, _ evidence: Evidence) -> String {
        let configured = configuration.clerk.apiURL
            ?? evidence.clerkVariables.first { $0.clerk?.kind == .apiURL && !$0.value.isEmpty }?.value
        return trimmedBase(configured ?? defaultAPIURL)
    }

    static func trimmedBase(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base
    }

    static func backendProbe(_ path: String, _ configuration: Configuration, _ evidence: Evidence) -> HTTPProbe {
        HTTPProbe(url: apiURL(configuration, evidence) + path, authenticated: true)
    }

    /// The prober sends only the secret key of the process environment: ask only when it is there.
    static func hasSecretKey(_ configuration: Configuration, _ evidence: Evidence) -> Bool {
        evidence.environment.contains { $0.name == configuration.clerk.secretKeyEnv && !$0.value.isEmpty }
    }

    static func backendProbes(_ context: ProbePlanningContext, _ paths: [String]) -> [ProbeRequest] {
        guard hasSecretKey(context.configuration, context.offlineEvidence) else { return [] }
        return paths.map { .http(backendProbe($0, context.configuration, context.offlineEvidence)) }
    }

    static func backend<T: Decodable>(_ type: T.Type, _ path: String, _ context: CheckContext) -> Result<T, Unavailable> {
        let name = context.configuration.clerk.secretKeyEnv
        if context.evidence.offline { return .failure(.notAsked(offlineReason)) }
        guard hasSecretKey(context.configuration, context.evidence) else {
            return .failure(.notAsked("needs the secret key in the environment ($\(name)) to ask the Backend API"))
        }
        let probe = backendProbe(path, context.configuration, context.evidence)
        guard let result = context.evidence.http(probe) else { return .failure(.failed("\(probe.url) was not fetched")) }
        switch result.successfulResponse() {
        case .failure(let failure):
            if case .response(let response) = result, response.status == 401 {
                return .failure(.failed("the Backend API refused the secret key in $\(name) (HTTP 401)"))
            }
            if case .response(let response) = result, response.status == 429 {
                return .failure(.failed("the Backend API kept rate limiting GET \(path) (HTTP 429" + (response.header("retry-after").map { ", retry after \($0) s" } ?? "")
                    + ") past the run's deadline"))
            }
            return .failure(.failed("the Backend API did not answer GET \(path): \(failure)"))
        case .success(let response):
            if let offset = response.invalidUTF8Offset {
                return .failure(.failed("the Backend API answered GET \(path) with bytes that are not UTF-8 (at byte \(offset))"))
            }
            guard let value = ClerkAPI.decode(type, from: response.body) else {
                return .failure(.failed("the Backend API answered GET \(path) with an unexpected shape"))
            }
            return .success(value)
        }
    }

    /// The per-instance DNS targets, keyed by host; `nil` when the Backend API was not asked or failed.
    static func cnameTargets(_ context: CheckContext) -> [String: ClerkAPI.CNAMETarget]? {
        guard case .success(let domains) = backend(ClerkAPI.DomainList.self, "/v1/domains", context) else { return nil }
        var targets: [String: ClerkAPI.CNAMETarget] = [:]
        for target in domains.data.flatMap({ $0.requiredCNAMEs?.targets ?? [] }) {
            targets[ClerkHosts.normalize(target.host)] = ClerkAPI.CNAMETarget(
                host: ClerkHosts.normalize(target.host), value: ClerkHosts.normalize(target.value), required: target.required)
        }
        return targets
    }

    /// Where the DNS checks' expected targets came from, as evidence.
    static func cnameTargetsSource(_ context: CheckContext) -> String {
        switch backend(ClerkAPI.DomainList.self, "/v1/domains", context) {
        case .success(let domains): "Backend API " + (domains.data.compactMap { $0.requiredCNAMEs?.source }.first ?? "cname_targets")
        case .failure(.notAsked): "any *.clerk.services (no secret key in the environment: Backend API not asked)"
        case .failure(.failed(let reason)): "any *.clerk.services (\(reason))"
        }
    }

    // MARK: Platform API

    static func hasPlatformToken(_ configuration: Configuration, _ evidence: Evidence) -> Bool {
        evidence.environment.contains { configuration.clerk.platformTokenEnvs.contains($0.name) && !$0.value.isEmpty }
    }

    /// The application and instance the Platform API is asked about: configured, else the
    /// snapshot's; the instance may be named by its environment, as Clerk's CLI does
    /// (`instances/production/config`), so only the application id is needed.
    static func platformIDs(_ configuration: Configuration, _ evidence: Evidence) -> (application: String, instance: String)? {
        guard let application = configuration.clerk.applicationID ?? evidence.snapshot?.application?.id else { return nil }
        return (application, configuration.clerk.instanceID ?? evidence.snapshot?.instance?.id ?? "production")
    }

    /// Clerk serves both APIs from one host: the Platform API follows the Backend API's base.
    static func platformBase(_ configuration: Configuration, _ evidence: Evidence) -> String {
        trimmedBase(configuration.clerk.platformURL ?? apiURL(configuration, evidence))
    }

    static func platformConfigProbe(_ configuration: Configuration, _ evidence: Evidence) -> HTTPProbe? {
        guard let ids = platformIDs(configuration, evidence) else { return nil }
        return HTTPProbe(url: "\(platformBase(configuration, evidence))/v1/platform/applications/\(ids.application)/instances/\(ids.instance)/config", platform: true)
    }

    static func platformProbes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard hasPlatformToken(context.configuration, context.offlineEvidence),
              let probe = platformConfigProbe(context.configuration, context.offlineEvidence) else { return [] }
        return [.http(probe)]
    }

    /// Clerk's own verdict on the production domain (`.../domains/{domain}/status`).
    static func domainStatusProbe(_ configuration: Configuration, _ evidence: Evidence) -> HTTPProbe? {
        guard let ids = platformIDs(configuration, evidence), let domain = configuration.app.domain else { return nil }
        return HTTPProbe(url: "\(platformBase(configuration, evidence))/v1/platform/applications/\(ids.application)/domains/\(domain)/status", platform: true)
    }

    static func domainStatusProbes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard hasPlatformToken(context.configuration, context.offlineEvidence),
              let probe = domainStatusProbe(context.configuration, context.offlineEvidence) else { return [] }
        return [.http(probe)]
    }

    /// Clerk's verdict on the domain, read as its spec defines it (a required field missing is
    /// a failure naming it).
    static func domainStatus(_ context: CheckContext) -> Result<ClerkAPI.PlatformDomainStatus, Unavailable> {
        if context.evidence.offline { return .failure(.notAsked(offlineReason)) }
        guard hasPlatformToken(context.configuration, context.evidence),
              let probe = domainStatusProbe(context.configuration, context.evidence) else {
            return .failure(.notAsked("needs a Platform API key in \(context.configuration.clerk.platformTokenEnvDisplay) and clerk.application_id"))
        }
        guard let result = context.evidence.http(probe) else { return .failure(.failed("\(probe.url) was not fetched")) }
        switch result.successfulResponse() {
        case .failure(let failure): return .failure(.failed("the Platform API did not give the domain's status: \(failure)"))
        case .success(let response):
            switch ClerkAPI.decodeReporting(ClerkAPI.PlatformDomainStatus.self, from: response.body) {
            case .success(let status): return .success(status)
            case .failure(let problem): return .failure(.failed("the Platform API's domain status is malformed: \(problem)"))
            }
        }
    }

    static func platformConfig(_ context: CheckContext) -> Result<ClerkAPI.PlatformConfig, Unavailable> {
        // The variable that held it, when one did; else where it can go.
        let name = context.evidence.environment.first { context.configuration.clerk.platformTokenEnvs.contains($0.name) && !$0.value.isEmpty }
            .map { "$" + $0.name } ?? context.configuration.clerk.platformTokenEnvDisplay
        if context.evidence.offline { return .failure(.notAsked(offlineReason)) }
        guard hasPlatformToken(context.configuration, context.evidence) else {
            return .failure(.notAsked("needs a Platform API key (ak_…) in \(name)"))
        }
        guard let probe = platformConfigProbe(context.configuration, context.evidence) else {
            return .failure(.notAsked("needs clerk.application_id (or the snapshot's application id) to ask the Platform API"))
        }
        guard let result = context.evidence.http(probe) else { return .failure(.failed("\(probe.url) was not fetched")) }
        switch result.successfulResponse() {
        case .failure(let failure):
            if case .response(let response) = result, [401, 403].contains(response.status) {
                return .failure(.failed("the Platform API refused the key in \(name) (HTTP \(response.status))"))
            }
            return .failure(.failed("the Platform API did not answer: \(failure)"))
        case .success(let response):
            if let offset = response.invalidUTF8Offset {
                return .failure(.failed("the Platform API answered with bytes that are not UTF-8 (at byte \(offset))"))
            }
            guard let config = ClerkAPI.decode(ClerkAPI.PlatformConfig.self, from: response.body) else {
                return .failure(.failed("the Platform API answered with an unexpected shape"))
            }
            return .success(config)
        }
    }

    // MARK: Snapshot

    static func snapshot(_ context: CheckContext) -> Result<InstanceSnapshot, Unavailable> {
        guard let snapshot = context.evidence.snapshot else {
            return .failure(.notAsked("needs an instance snapshot (clerk.instance_snapshot; `preflight snapshot` writes a starter)"))
        }
        return .success(snapshot)
    }

    /// The plan: preflight.yml's clerk.plan wins over the snapshot's.
    static func plan(_ context: CheckContext) -> (plan: ClerkPlan, source: String)? {
        if let plan = context.configuration.clerk.plan { return (plan, "preflight.yml clerk.plan") }
        if let text = context.evidence.snapshot?.plan, let plan = ClerkPlan(rawValue: text) { return (plan, ClerkSource.snapshot.rawValue) }
        return nil
    }
}
