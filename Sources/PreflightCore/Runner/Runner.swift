import Foundation

/// Gathers evidence for a set of checks. The live one reads files and probes the network;
/// tests pass evidence they built by hand.
public protocol EvidenceGathering: Sendable {
    /// `checks` are the ones that will be evaluated; their `probes` say what to fetch.
    func gather(for checks: [any Check.Type], configuration: Configuration, offline: Bool) async -> Evidence
}

/// Evidence known in advance (tests, `--replay`).
public struct FixedEvidence: EvidenceGathering {
    public var evidence: Evidence
    public init(_ evidence: Evidence) { self.evidence = evidence }
    public func gather(for checks: [any Check.Type], configuration: Configuration, offline: Bool) async -> Evidence {
        evidence
    }
}

/// The pipeline after configuration: plan -> gather -> evaluate -> settle -> sort.
public struct Runner: Sendable {
    public var registry: CheckRegistry
    public var gatherer: any EvidenceGathering

    public init(registry: CheckRegistry, gatherer: any EvidenceGathering) {
        self.registry = registry
        self.gatherer = gatherer
    }

    public struct RunResult: Sendable {
        public var findings: [Finding]
        public var evidence: Evidence
        public var checks: [CheckDescription]
        /// Expired and unused waivers.
        public var waiverNotes: [WaiverNote] = []
    }

    /// `useWaivers: false` is `--no-waivers`: every finding gates as it is. A baseline is not
    /// applied here: the engine applies it once, to the last state of every app's findings.
    public func run(
        configuration: Configuration, selection: Selection, now: Date, useWaivers: Bool = true
    ) async throws(SelectionError) -> RunResult {
        let plan = try registry.plan(selection, configuration: configuration)
        let runnable = plan.filter { $0.skipReason == nil }.map(\.check)
        let evidence = await gatherer.gather(for: runnable, configuration: configuration, offline: selection.offline)
        // Clerk's answers are decoded once, into typed facts every check reads.
        let facts = ClerkFacts(configuration: configuration, evidence: evidence)

        var findings: [Finding] = []
        for planned in plan {
            let description = planned.check.description
            let settings = configuration.checks[description.id] ?? CheckSettings()
            if let reason = planned.skipReason {
                findings.append(Settlement.finding(
                    for: .needs(reason), of: description, settings: settings))
                continue
            }
            let context = CheckContext(evidence: evidence, configuration: configuration, options: settings.options, now: now, facts: facts)
            var results = planned.check.init().evaluate(context)
            if results.isEmpty { results = [.notApplicable("nothing to check")] }
            findings += results.map { Settlement.finding(for: $0, of: description, settings: settings) }
        }
        var notes: [WaiverNote] = []
        if useWaivers { (findings, notes) = Settlement.applyWaivers(configuration.waivers, to: findings, now: now) }
        return RunResult(findings: Settlement.sorted(findings), evidence: evidence, checks: plan.map { $0.check.description },
                         waiverNotes: notes)
    }
}

/// Turning raw check results into findings: severity overrides, waivers, order.
public enum Settlement {
    public static func finding(for result: CheckResult, of description: CheckDescription, settings: CheckSettings) -> Finding {
        // A configured severity wins over both the default and a result's own.
        let severity = settings.severity ?? result.severity ?? description.defaultSeverity
        let outcome: Outcome
        switch result.status {
        case .pass: outcome = .pass
        case .problem: outcome = severity.problemOutcome
        case .undecided(let reason): outcome = .error(reason)
        case .notApplicable(let reason): outcome = .skipped(reason)
        case .toConfirm(let action): outcome = .confirm(action)
        }
        // Every string of a finding may carry outside text: neutralized here, once, for every format.
        var finding = Finding(
            checkID: description.id, title: description.title, outcome: outcome.neutralized, severity: severity,
            message: OutsideText.neutralized(result.message), hint: OutsideText.neutralized(result.hint ?? description.hint),
            target: result.target.neutralized,
            evidence: result.evidence.map { EvidenceItem(OutsideText.neutralized($0.label), OutsideText.neutralized($0.value)) },
            docs: description.docsURL)
        finding.unmetNeed = result.unmetNeed && finding.isSkipped
        return finding
    }

    /// Marks the findings a live waiver covers. Passes and skips are left alone; an expired
    /// waiver is noted in the evidence of what it matched, does not apply, and is named in the
    /// notes, as is a live waiver that matched nothing to waive.
    public static func applyWaivers(_ waivers: [Waiver], to findings: [Finding], now: Date) -> (findings: [Finding], notes: [WaiverNote]) {
        var used: Set<Int> = []
        let settled = findings.map { finding in
            guard finding.outcome != .pass, !finding.isSkipped else { return finding }
            var finding = finding
            for (index, waiver) in waivers.enumerated() where waiver.checkID == finding.checkID && matches(waiver.target, finding.target) {
                if WaiverDate.isActive(expires: waiver.expires, now: now) {
                    finding.waiver = waiver
                    used.insert(index)
                    break
                }
                finding.evidence.append(EvidenceItem("waiver", "expired on \(waiver.expires ?? "?"): \(waiver.reason)"))
            }
            return finding
        }
        var notes: [WaiverNote] = []
        for (index, waiver) in waivers.enumerated() {
            if !WaiverDate.isActive(expires: waiver.expires, now: now) {
                notes.append(WaiverNote(kind: .expired, waiver: waiver))
            } else if !used.contains(index) {
                notes.append(WaiverNote(kind: .unused, waiver: waiver))
            }
        }
        return (settled, notes)
    }

    static func matches(_ pattern: String?, _ target: Target) -> Bool {
        guard let pattern else { return true }
        return pattern == target.identity || pattern == target.display || pattern == target.filePath
    }

    /// Deterministic order: check id, then target, then message.
    public static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.sorted {
            ($0.checkID, $0.target.identity, $0.target.line ?? 0, $0.target.column ?? 0, $0.message)
                < ($1.checkID, $1.target.identity, $1.target.line ?? 0, $1.target.column ?? 0, $1.message)
        }
    }
}
