import Foundation

/// Everything a reporter needs, and nothing it has to look up: reporters are pure functions
/// of this value, so time, version and paths arrive here.
public struct Report: Sendable {
    public var metadata: ReportMetadata
    /// Sorted deterministically by the runner.
    public var findings: [Finding]
    /// Descriptions of the checks that ran, for formats that list rules (SARIF, docs links).
    public var checks: [CheckDescription]
    /// Expired and unused waivers, for a person to act on.
    public var waiverNotes: [WaiverNote]
    /// Baseline entries not seen again (fixed, or no longer checked); `nil` without a baseline.
    public var baselineFixed: Int?
    /// The apps of a run over several; empty for a run over one.
    public var apps: [AppInfo]

    public init(
        metadata: ReportMetadata, findings: [Finding], checks: [CheckDescription], waiverNotes: [WaiverNote] = [],
        baselineFixed: Int? = nil, apps: [AppInfo] = []
    ) {
        self.metadata = metadata
        self.findings = findings
        self.checks = checks
        self.waiverNotes = waiverNotes
        self.baselineFixed = baselineFixed
        self.apps = apps
    }

    /// Whether this is a run over several apps.
    public var isFleet: Bool { !apps.isEmpty }

    /// The run's exit code: the verdict's, or 4 when `--wait` ran out of time before the app was
    /// ready (the report is then the last attempt's).
    public var exitCode: Int32 {
        let code = verdict.exitCode
        return metadata.waitTimedOut == true && code != 0 ? Self.waitTimedOutExitCode : code
    }

    public static let waitTimedOutExitCode: Int32 = 4

    /// Each app with its verdict and counts, worst first (not ready, could not decide, ready),
    /// then by name.
    public var appSummaries: [(app: AppInfo, verdict: Verdict, summary: ReportSummary)] {
        // Grouped once: a fleet has thousands of apps and tens of thousands of findings.
        let byApp = Dictionary(grouping: findings) { $0.app ?? "" }
        return apps.map { app in
            let findings = byApp[app.name] ?? []
            return (app, Verdict(findings: findings, failOn: metadata.failOn), ReportSummary(findings: findings))
        }.sorted { a, b in
            let rank = { (verdict: Verdict) in verdict == .notReady ? 0 : verdict == .undecided ? 1 : 2 }
            return (rank(a.verdict), a.app.name) < (rank(b.verdict), b.app.name)
        }
    }

    /// The findings that make the verdict what it is: those at or above the gate that fail,
    /// warn or could not decide, and are neither waived nor old in the baseline.
    public var gatingFindings: [Finding] {
        findings.filter { finding in
            guard finding.gates, finding.severity >= metadata.failOn else { return false }
            switch finding.outcome {
            case .fail, .warn, .error, .confirm: return true
            case .pass, .skipped: return false
            }
        }
    }

    public var summary: ReportSummary { ReportSummary(findings: findings) }
    public var verdict: Verdict { Verdict(findings: findings, failOn: metadata.failOn) }

    /// Checks that were skipped for want of something the user can give (the network, a
    /// secret key, a token, a snapshot), grouped by what would let them run (`Finding.unmetNeed`).
    public var unmetNeeds: [(need: String, checkIDs: [String])] {
        var byNeed: [String: [String]] = [:]
        for finding in findings {
            guard finding.unmetNeed, case .skipped(let reason) = finding.outcome else { continue }
            if !(byNeed[reason]?.contains(finding.checkID) ?? false) { byNeed[reason, default: []].append(finding.checkID) }
        }
        return byNeed.map { ($0.key, $0.value.sorted()) }.sorted { ($0.checkIDs.count, $1.need) > ($1.checkIDs.count, $0.need) }
    }
}

/// One app of a run over several.
public struct AppInfo: Sendable, Hashable, Codable {
    /// Unique in the run: from `--apps`, else the folder as given.
    public var name: String
    public var path: String
    public var configPath: String?
    /// Lines of its configuration keys, for formats that point at them (SARIF).
    public var configLines: [String: Int]

    public init(name: String, path: String, configPath: String? = nil, configLines: [String: Int] = [:]) {
        // Folder names come from the disk and the apps file: shown safely in every format.
        self.name = OutsideText.neutralized(name)
        self.path = OutsideText.neutralized(path)
        self.configPath = configPath.map(OutsideText.neutralized)
        self.configLines = configLines
    }
}

/// Facts about the run itself.
public struct ReportMetadata: Sendable, Hashable {
    public var toolVersion: String
    public var startedAt: Date
    public var finishedAt: Date
    /// The folder that was checked, as given on the command line.
    public var targetPath: String
    /// The configuration file that was read, if any.
    public var configPath: String?
    /// The line of each configuration key (`app.domain`, `app.url`, ...), so a finding about a
    /// URL or DNS name can point at the line that configures it (SARIF).
    public var configLines: [String: Int]
    public var failOn: Severity
    public var offline: Bool
    /// The baseline file given with `--baseline`.
    public var baselinePath: String?
    /// With `--wait`: whether the time ran out with network checks still failing; nil without it.
    public var waitTimedOut: Bool?

    public init(
        toolVersion: String, startedAt: Date, finishedAt: Date, targetPath: String,
        configPath: String?, configLines: [String: Int] = [:], failOn: Severity, offline: Bool, baselinePath: String? = nil,
        waitTimedOut: Bool? = nil
    ) {
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.targetPath = OutsideText.neutralized(targetPath)
        self.configPath = configPath.map(OutsideText.neutralized)
        self.configLines = configLines
        self.failOn = failOn
        self.offline = offline
        self.baselinePath = baselinePath.map(OutsideText.neutralized)
        self.waitTimedOut = waitTimedOut
    }
}

/// Counts of findings by outcome.
public struct ReportSummary: Sendable, Hashable, Codable {
    public var pass = 0, fail = 0, warn = 0, skipped = 0, error = 0, waived = 0
    /// Items to confirm by hand (`Outcome.confirm`).
    public var confirm = 0

    /// Old findings of the baseline (counted in their outcome as well).
    public var baselined = 0

    public init(findings: [Finding]) {
        for finding in findings {
            if finding.waiver != nil { waived += 1; continue }
            if finding.baselineState == .unchanged { baselined += 1 }
            switch finding.outcome {
            case .pass: pass += 1
            case .fail: fail += 1
            case .warn: warn += 1
            case .skipped: skipped += 1
            case .error: error += 1
            case .confirm: confirm += 1
            }
        }
    }

    public var total: Int { pass + fail + warn + skipped + error + confirm + waived }

    enum CodingKeys: String, CodingKey { case pass, fail, warn, skipped, error, confirm, waived, baselined }

    /// Reports written before `confirm` existed still read (as none to confirm).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pass = try container.decode(Int.self, forKey: .pass)
        fail = try container.decode(Int.self, forKey: .fail)
        warn = try container.decode(Int.self, forKey: .warn)
        skipped = try container.decode(Int.self, forKey: .skipped)
        error = try container.decode(Int.self, forKey: .error)
        confirm = try container.decodeIfPresent(Int.self, forKey: .confirm) ?? 0
        waived = try container.decode(Int.self, forKey: .waived)
        baselined = try container.decode(Int.self, forKey: .baselined)
    }
}

/// The answer to "is it ready?", and the exit code that carries it.
public enum Verdict: String, Sendable, Codable {
    /// No finding at or above the gate.
    case ready
    /// At least one problem at or above the gate.
    case notReady = "not_ready"
    /// No problem at or above the gate, but a gating check could not decide.
    case undecided

    public init(findings: [Finding], failOn: Severity) {
        let gating = findings.filter { $0.gates && $0.severity >= failOn }
        if gating.contains(where: { $0.outcome == .fail || $0.outcome == .warn }) {
            self = .notReady
        } else if gating.contains(where: \.outcome.isUndecided) {
            self = .undecided
        } else {
            self = .ready
        }
    }

    /// Exit code documented in the README: 0 ready, 1 not ready, 3 undecided.
    /// (2 is for usage and configuration errors, which never reach a verdict.)
    public var exitCode: Int32 {
        switch self {
        case .ready: 0
        case .notReady: 1
        case .undecided: 3
        }
    }

    public var display: String {
        switch self {
        case .ready: "ready"
        case .notReady: "not ready"
        case .undecided: "could not decide"
        }
    }
}
