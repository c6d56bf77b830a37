import PreflightCore

/// The terminal report: findings grouped by outcome, problems first, the hint under each
/// problem, and a closing line with the counts and the verdict.
public struct TextReporter: Reporter {
    public var color: Bool
    /// Only problems, undecided checks and the summary.
    public var quiet: Bool

    public init(color: Bool = false, quiet: Bool = false) {
        self.color = color
        self.quiet = quiet
    }

    public func render(_ report: Report) -> String {
        var lines: [String] = []
        if !quiet {
            var header = "Preflight \(report.metadata.toolVersion) — \(report.metadata.targetPath)"
            if report.isFleet {
                header += report.apps.count == 1 ? " (1 app)" : " (\(report.apps.count) apps)"
            } else {
                header += report.metadata.configPath.map { " (config: \($0))" } ?? " (no preflight.yml)"
            }
            if report.metadata.offline { header += ", offline" }
            lines.append(paint(header, .bold))
            lines.append("")
        }
        if report.isFleet { lines += appLines(report) }

        for group in Group.allCases {
            let members = report.findings.filter { group.contains($0) }
            guard !members.isEmpty, !(quiet && !group.shownWhenQuiet) else { continue }
            lines.append(paint("\(group.heading) (\(members.count))", group.style))
            if report.isFleet && (group == .passed || group == .skipped) {
                // Over many apps, what passed or was skipped is a count per check, not a line per app.
                lines += collapsed(members, in: group)
            } else {
                for finding in members { lines += render(finding, in: group) }
            }
            lines.append("")
        }

        lines.append(summaryLine(report))
        lines += unmetNeedsLines(report)
        for note in report.waiverNotes { lines.append(paint("waiver: \(note.message)", .yellow)) }
        if let fixed = report.baselineFixed {
            let new = report.findings.filter { $0.baselineState == .new }.count
            lines.append("baseline \(report.metadata.baselinePath ?? ""): \(new) new, \(report.summary.baselined) unchanged (not gating), \(fixed) fixed")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The apps of a fleet, worst first, each with its verdict and counts.
    private func appLines(_ report: Report) -> [String] {
        let summaries = report.appSummaries
        let width = min(summaries.map(\.app.name.count).max() ?? 0, 48)
        var lines = [paint("Apps (\(summaries.count)), worst first", .bold)]
        for (app, verdict, summary) in summaries {
            let style: Style = verdict == .ready ? .green : verdict == .notReady ? .red : .yellow
            let label = paint(verdict.display.uppercased().padding(toLength: 16, withPad: " ", startingAt: 0), style)
            let name = app.name.count < width ? app.name.padding(toLength: width, withPad: " ", startingAt: 0) : app.name
            lines.append("  \(label) \(name)  \(summary.fail) failed, \(summary.warn) warned, \(summary.error) could not decide (exit \(verdict.exitCode))")
        }
        lines.append("")
        return lines
    }

    /// One line per check: how many apps it passed (or was skipped) for.
    private func collapsed(_ findings: [Finding], in group: Group) -> [String] {
        var order: [String] = []
        var apps: [String: Set<String>] = [:]
        for finding in findings {
            if apps[finding.checkID] == nil { order.append(finding.checkID) }
            apps[finding.checkID, default: []].insert(finding.app ?? "")
        }
        let label = paint(group.label.padding(toLength: 5, withPad: " ", startingAt: 0), group.style)
        return order.sorted().map { id in
            let count = apps[id]?.count ?? 0
            return "  \(label) \(id) — \(count) app\(count == 1 ? "" : "s")"
        }
    }

    /// "N checks could not run", and what would let each group run.
    private func unmetNeedsLines(_ report: Report) -> [String] {
        let needs = report.unmetNeeds
        let count = Set(needs.flatMap(\.checkIDs)).count
        guard count > 0 else { return [] }
        var lines = [paint("\(count) check\(count == 1 ? "" : "s") could not run; what would let them:", .dim)]
        for (need, ids) in needs {
            let names = ids.count > 4 ? "\(ids.count) checks" : ids.joined(separator: ", ")
            lines.append("  - \(need): \(names)")
        }
        return lines
    }

    private func render(_ finding: Finding, in group: Group) -> [String] {
        let label = paint(group.label.padding(toLength: 5, withPad: " ", startingAt: 0), group.style)
        let app = finding.app.map { paint($0, .bold) + " " } ?? ""
        var lines = ["  \(label) \(app)\(finding.checkID) [\(finding.severity.rawValue)] \(finding.message)"]
        let indent = "        "
        if finding.target != .application { lines.append("\(indent)at \(finding.target.display)") }
        guard group != .passed else { return lines }
        for item in finding.evidence { lines.append("\(indent)\(paint(item.label + ":", .dim)) \(item.value)") }
        if finding.baselineState == .unchanged { lines.append("\(indent)in the baseline: shown, does not gate") }
        if let waiver = finding.waiver {
            var text = "waived: \(waiver.reason)"
            if let owner = waiver.owner { text += " (owner \(owner))" }
            if let expires = waiver.expires { text += ", until \(expires)" }
            lines.append("\(indent)\(text)")
        }
        if group == .confirm, let action = finding.outcome.reason {
            lines.append("\(indent)\(paint("confirm:", .dim)) \(action)")
        }
        if group == .failed || group == .warnings || group == .undecided || group == .confirm {
            lines.append("\(indent)\(paint("hint:", .dim)) \(finding.hint)")
            if let docs = finding.docs { lines.append("\(indent)\(paint("docs:", .dim)) \(docs)") }
        }
        return lines
    }

    private func summaryLine(_ report: Report) -> String {
        let summary = report.summary
        var parts = ["\(summary.pass) passed", "\(summary.fail) failed", "\(summary.warn) warned",
                     "\(summary.error) could not decide", "\(summary.skipped) skipped"]
        if summary.confirm > 0 { parts.append("\(summary.confirm) to confirm by hand") }
        if summary.waived > 0 { parts.append("\(summary.waived) waived") }
        let verdict = report.verdict
        let style: Style = switch verdict {
        case .ready: .green
        case .notReady: .red
        case .undecided: .yellow
        }
        return "\(summary.total) results: \(parts.joined(separator: ", ")) — "
            + paint("\(verdict.display) (exit \(report.exitCode), fail on \(report.metadata.failOn.rawValue))", style)
    }

    // MARK: Groups and colour

    enum Group: CaseIterable {
        case failed, undecided, confirm, warnings, waived, skipped, passed

        func contains(_ finding: Finding) -> Bool {
            if finding.waiver != nil { return self == .waived }
            switch (self, finding.outcome) {
            case (.failed, .fail), (.undecided, .error), (.confirm, .confirm), (.warnings, .warn), (.skipped, .skipped), (.passed, .pass): return true
            default: return false
            }
        }

        var heading: String {
            switch self {
            case .failed: "Failed"
            case .undecided: "Could not decide"
            case .confirm: "Confirm by hand"
            case .warnings: "Warnings"
            case .waived: "Waived"
            case .skipped: "Skipped"
            case .passed: "Passed"
            }
        }

        var label: String {
            switch self {
            case .failed: "FAIL"
            case .undecided: "ERROR"
            case .confirm: "CHECK"
            case .warnings: "WARN"
            case .waived: "WAIVE"
            case .skipped: "SKIP"
            case .passed: "PASS"
            }
        }

        var style: Style {
            switch self {
            case .failed: .red
            case .undecided, .confirm, .warnings: .yellow
            case .waived, .skipped: .dim
            case .passed: .green
            }
        }

        var shownWhenQuiet: Bool { self == .failed || self == .undecided || self == .confirm || self == .warnings }
    }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
