import Foundation
import PreflightCore

/// Why a source has nothing to say, as a check states it: not asked (and what would let it be),
/// or asked and failed. From the typed `FactAbsence` of the facts layer.
enum Unavailable: Error {
    /// Becomes `skipped` with the reason, never a pass; `need`: something the user can give
    /// would let it be asked (listed in the summary).
    case notAsked(String, need: Bool = true)
    /// Becomes `error`: the source was asked and could not answer.
    case failed(String)

    init(_ absence: FactAbsence) {
        switch absence {
        case .notAsked(let need): self = .notAsked(need.description, need: need.canBeGiven)
        case .failed(let reason): self = .failed(reason)
        case .notCarried(let reason): self = .notAsked(reason, need: false)
        }
    }

    var reason: String {
        switch self {
        case .notAsked(let reason, _), .failed(let reason): reason
        }
    }

    /// The result a check gives when this was the source it needed.
    func result(at target: Target = .application, evidence: [EvidenceItem] = []) -> CheckResult {
        switch self {
        case .notAsked(let reason, let need): need ? .needs(reason, at: target) : .notApplicable(reason, at: target)
        case .failed(let reason): .undecided(reason, at: target, evidence: evidence)
        }
    }
}

/// The Clerk facts as the checks read them: probes are planned through `ClerkRequests` (where
/// answers are also read), and answers come decoded from `context.facts`, so each check states
/// only what it judges.
enum ClerkSources {
    static func requests(_ context: ProbePlanningContext) -> ClerkRequests {
        ClerkRequests(configuration: context.configuration, evidence: context.offlineEvidence)
    }

    // MARK: Frontend API

    static func frontendProbes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        requests(context).environmentProbes.map { .http($0) }
    }

    /// The environment of a production instance (a development one's settings say nothing about production).
    static func environment(_ context: CheckContext) -> Result<ClerkAPI.Environment, Unavailable> {
        context.facts.productionEnvironment.mapError(Unavailable.init)
    }

    // MARK: Backend API

    static func backendProbes(_ context: ProbePlanningContext, _ paths: [String]) -> [ProbeRequest] {
        let requests = requests(context)
        guard requests.hasSecretKey else { return [] }
        return paths.map { .http(requests.backendProbe($0)) }
    }

    static func instance(_ context: CheckContext) -> Result<ClerkAPI.Instance, Unavailable> { context.facts.instance.mapError(Unavailable.init) }
    static func domains(_ context: CheckContext) -> Result<ClerkAPI.DomainList, Unavailable> { context.facts.domains.mapError(Unavailable.init) }
    static func usersCount(_ context: CheckContext) -> Result<ClerkAPI.TotalCount, Unavailable> { context.facts.usersCount.mapError(Unavailable.init) }
    static func jwtTemplates(_ context: CheckContext) -> Result<[ClerkAPI.JWTTemplate], Unavailable> {
        context.facts.jwtTemplates.mapError(Unavailable.init)
    }
    static func redirectURLs(_ context: CheckContext) -> Result<ClerkAPI.RedirectURLList, Unavailable> {
        context.facts.redirectURLs.mapError(Unavailable.init)
    }

    /// The per-instance DNS targets, keyed by host; `nil` when the Backend API was not asked or failed.
    static func cnameTargets(_ context: CheckContext) -> [String: ClerkAPI.CNAMETarget]? {
        guard case .success(let domains) = domains(context) else { return nil }
        var targets: [String: ClerkAPI.CNAMETarget] = [:]
        for target in domains.data.flatMap({ $0.requiredCNAMEs?.targets ?? [] }) {
            targets[ClerkHosts.normalize(target.host)] = ClerkAPI.CNAMETarget(
                host: ClerkHosts.normalize(target.host), value: ClerkHosts.normalize(target.value), required: target.required)
        }
        return targets
    }

    /// Where the DNS checks' expected targets came from, as evidence.
    static func cnameTargetsSource(_ context: CheckContext) -> String {
        switch domains(context) {
        case .success(let domains): "Backend API " + (domains.data.compactMap { $0.requiredCNAMEs?.source }.first ?? "cname_targets")
        case .failure(.notAsked): "any *.clerk.services (no secret key in the environment: Backend API not asked)"
        case .failure(.failed(let reason)): "any *.clerk.services (\(reason))"
        }
    }

    // MARK: Platform API

    static func platformProbes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        let requests = requests(context)
        guard requests.hasPlatformKey, let probe = requests.platformConfigProbe else { return [] }
        return [.http(probe)]
    }

    static func domainStatusProbes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        let requests = requests(context)
        guard requests.hasPlatformKey, let probe = requests.domainStatusProbe else { return [] }
        return [.http(probe)]
    }

    static func platformConfig(_ context: CheckContext) -> Result<ClerkAPI.PlatformConfig, Unavailable> {
        context.facts.platformConfig.mapError(Unavailable.init)
    }

    /// Clerk's verdict on the domain, read as its spec defines it.
    static func domainStatus(_ context: CheckContext) -> Result<ClerkAPI.PlatformDomainStatus, Unavailable> {
        context.facts.domainStatus.mapError(Unavailable.init)
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
