/// One conclusion of one check about one target, after severity overrides and waivers.
public struct Finding: Sendable, Hashable {
    public var checkID: String
    public var title: String
    public var outcome: Outcome
    public var severity: Severity
    /// What was observed, one line, lowercase, no trailing period.
    public var message: String
    /// What to do about it.
    public var hint: String
    public var target: Target
    /// The facts the conclusion rests on, already redacted.
    public var evidence: [EvidenceItem]
    public var docs: String?
    /// Set when a waiver in the configuration covers this finding.
    public var waiver: Waiver?
    /// Set when a baseline was given: an `unchanged` finding does not gate.
    public var baselineState: BaselineState?
    /// The app it is about, in a run over several apps; `nil` in a run over one.
    public var app: String?
    /// Skipped for want of what the user can give (`CheckResult.needs`): the summary groups
    /// these by their reason.
    public var unmetNeed: Bool = false

    public init(
        checkID: String, title: String, outcome: Outcome, severity: Severity, message: String,
        hint: String, target: Target, evidence: [EvidenceItem] = [], docs: String? = nil,
        waiver: Waiver? = nil, baselineState: BaselineState? = nil, app: String? = nil, unmetNeed: Bool = false
    ) {
        self.unmetNeed = unmetNeed
        self.checkID = checkID
        self.title = title
        self.outcome = outcome
        self.severity = severity
        self.message = message
        self.hint = hint
        self.target = target
        self.evidence = evidence
        self.docs = docs
        self.waiver = waiver
        self.baselineState = baselineState
        self.app = app
    }

    public var isSkipped: Bool { if case .skipped = outcome { true } else { false } }

    /// Whether the gate reads this finding: not waived, not an old finding of the baseline.
    public var gates: Bool { waiver == nil && baselineState != .unchanged }

    /// Stable across runs for the same problem: check id plus target identity (plus the app,
    /// in a run over several apps, so two apps' findings about one host stay apart).
    public var fingerprint: String {
        Fingerprint.of(checkID: checkID, targetIdentity: app.map { "\($0)\u{0}\(target.identity)" } ?? target.identity)
    }
}

/// One labelled fact shown under a finding (`key: value`).
public struct EvidenceItem: Sendable, Hashable, Codable {
    public var label: String
    public var value: String
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}
