import Foundation

/// A readiness check: a pure function of gathered evidence, described by its type.
///
/// One check lives in one file under `Checks/<Pack>/`, and is listed in the registry.
public protocol Check: Sendable {
    static var description: CheckDescription { get }
    /// The live facts this check reads; gathered once, before evaluation.
    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest]
    init()
    /// Every result names its target; a check with nothing to say about a target returns
    /// nothing for it. Never `pass` when the evidence is missing: say `undecided`.
    func evaluate(_ context: CheckContext) -> [CheckResult]
}

/// What a check sees: the evidence, the Clerk facts decoded from it, the configuration, its
/// own options, and the clock.
public struct CheckContext: Sendable {
    public let evidence: Evidence
    public let configuration: Configuration
    /// Clerk's answers, decoded once from `evidence` (the runner decodes them once per app).
    public let facts: ClerkFacts
    public var options: [String: OptionValue]
    public var now: Date

    public init(
        evidence: Evidence, configuration: Configuration = Configuration(),
        options: [String: OptionValue] = [:], now: Date = Date(timeIntervalSince1970: 0), facts: ClerkFacts? = nil
    ) {
        self.evidence = evidence
        self.configuration = configuration
        self.facts = facts ?? ClerkFacts(configuration: configuration, evidence: evidence)
        self.options = options
        self.now = now
    }

    /// The configured value of `option`, else its default. The loader has checked the type
    /// against the declaration, so a value of another type cannot be here.
    public subscript<Value>(option: OptionKey<Value>) -> Value {
        options[option.name].flatMap(Value.init(option:)) ?? option.defaultValue
    }
}

/// A check's raw conclusion about one target, before severity and waivers are applied.
public struct CheckResult: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case pass
        /// Becomes `fail` or `warn` according to the effective severity.
        case problem
        /// The evidence was missing or broken: becomes `error`.
        case undecided(String)
        /// Nothing to check here: becomes `skipped`.
        case notApplicable(String)
        /// No source states the fact; a person must check it as the reason says (the exact
        /// values to find): becomes `confirm`, never a pass.
        case toConfirm(String)
    }

    public var status: Status
    public var message: String
    public var target: Target
    public var evidence: [EvidenceItem]
    /// Replaces the default severity for this result (e.g. "expires soon" vs "expired").
    public var severity: Severity?
    /// Replaces the check's generic hint when the result knows better.
    public var hint: String?
    /// A `notApplicable` result that something the user can give would let run (the network, a
    /// key, a snapshot): the summary lists these by what would let them. Typed, not read from
    /// the reason's words.
    public var unmetNeed: Bool

    public init(
        status: Status, message: String, target: Target, evidence: [EvidenceItem] = [],
        severity: Severity? = nil, hint: String? = nil, unmetNeed: Bool = false
    ) {
        self.status = status
        self.message = message
        self.target = target
        self.evidence = evidence
        self.severity = severity
        self.hint = hint
        self.unmetNeed = unmetNeed
    }

    public static func pass(_ message: String, at target: Target, evidence: [EvidenceItem] = []) -> Self {
        Self(status: .pass, message: message, target: target, evidence: evidence)
    }

    public static func problem(
        _ message: String, at target: Target, evidence: [EvidenceItem] = [],
        severity: Severity? = nil, hint: String? = nil
    ) -> Self {
        Self(status: .problem, message: message, target: target, evidence: evidence, severity: severity, hint: hint)
    }

    public static func undecided(_ reason: String, at target: Target, evidence: [EvidenceItem] = []) -> Self {
        Self(status: .undecided(reason), message: reason, target: target, evidence: evidence)
    }

    public static func notApplicable(_ reason: String, at target: Target = .application) -> Self {
        Self(status: .notApplicable(reason), message: reason, target: target)
    }

    /// Could not run for want of what `reason` names (the network, a key, a snapshot): skipped,
    /// and listed in the summary under what would let it run.
    public static func needs(_ reason: String, at target: Target = .application) -> Self {
        Self(status: .notApplicable(reason), message: reason, target: target, unmetNeed: true)
    }
}

extension Array where Element == CheckResult {
    /// Results judged on evidence that was not read whole: every problem found stands, but no
    /// pass and no "not applicable" does (what was not read may hold what they rest on), and
    /// an `undecided` result says what was missing. `missing` nil: the results as they are.
    public func requiringWholeEvidence(missing: String?, at target: Target = .application) -> [CheckResult] {
        guard let missing else { return self }
        let kept = filter {
            switch $0.status {
            case .pass, .notApplicable: false
            case .problem, .undecided, .toConfirm: true
            }
        }
        return kept + [.undecided(missing, at: target)]
    }
}
