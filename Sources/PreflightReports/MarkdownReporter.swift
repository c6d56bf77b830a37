import Foundation
import PreflightCore

/// Markdown for `$GITHUB_STEP_SUMMARY` and a pull-request comment: the verdict and why first,
/// then the problems worst first, then the rest folded. Kept under GitHub's limits whatever the
/// number of findings (a step summary and a comment hold 65,536 characters): rows stop at
/// `budget` characters and the rest is counted.
public struct MarkdownReporter: Reporter {
    public var budget: Int

    public init(budget: Int = 60_000) {
        self.budget = budget
    }

    public func render(_ report: Report) -> String {
        let metadata = report.metadata
        let verdict = report.verdict
        let summary = report.summary
        let icon = switch verdict {
        case .ready: "✅"
        case .notReady: "❌"
        case .undecided: "⚠️"
        }
        var out = "## Preflight: \(icon) \(verdict.display) (exit \(report.exitCode))\n\n"
        out += "`\(Self.cell(metadata.targetPath))` · fail on **\(metadata.failOn.rawValue)**"
        if metadata.offline { out += " · offline" }
        if let baseline = metadata.baselinePath { out += " · baseline `\(Self.cell(baseline))`" }
        out += "\n\n"
        var counts = "| passed | failed | warned | could not decide | skipped | waived |" + (summary.confirm > 0 ? " to confirm |" : "")
            + "\n|---:|---:|---:|---:|---:|---:|" + (summary.confirm > 0 ? "---:|" : "") + "\n"
        counts += "| \(summary.pass) | \(summary.fail) | \(summary.warn) | \(summary.error) | \(summary.skipped) | \(summary.waived) |"
            + (summary.confirm > 0 ? " \(summary.confirm) |" : "") + "\n\n"
        out += counts
        if report.isFleet { out += appsTable(report, budget: budget / 3) }

        // Items to confirm by hand have their own list, with what to check, gating or not.
        let confirm = report.findings.filter { if case .confirm = $0.outcome { true } else { false } }.sorted(by: Self.worstFirst)
        let gating = report.gatingFindings.filter { !confirm.contains($0) }.sorted(by: Self.worstFirst)
        let gatingPrints = Set(gating.map(\.fingerprint))
        let others = report.findings.filter { finding in
            guard !gatingPrints.contains(finding.fingerprint) else { return false }
            switch finding.outcome {
            case .fail, .warn, .error: return true
            case .pass, .skipped, .confirm: return false
            }
        }.sorted(by: Self.worstFirst)

        if gating.isEmpty {
            out += "Nothing at or above **\(metadata.failOn.rawValue)** fails the gate.\n\n"
        } else {
            out += "### What fails the gate (\(gating.count))\n\n"
            out += table(gating, budget: budget - out.count - 4_000, fleet: report.isFleet)
        }
        if !confirm.isEmpty {
            out += "### Confirm by hand (\(confirm.count))\n\nNo source Preflight can read states these; check each where it says, then accept it with a waiver.\n\n"
            for finding in confirm where out.count < budget - 2_500 {
                var note = ""
                if finding.waiver != nil { note = " (waived)" } else if finding.baselineState == .unchanged { note = " (baseline)" }
                out += "- [ ] `\(finding.checkID)` \(Self.cell(finding.message))\(note): \(Self.cell(finding.outcome.reason ?? ""))\n"
            }
            out += "\n"
        }
        if !others.isEmpty {
            out += "<details><summary>Other problems: below the gate, waived or in the baseline (\(others.count))</summary>\n\n"
            out += table(others, budget: budget - out.count - 2_000, fleet: report.isFleet)
            out += "</details>\n\n"
        }
        let needs = report.unmetNeeds
        if !needs.isEmpty {
            out += "<details><summary>Could not run (\(Set(needs.flatMap(\.checkIDs)).count))</summary>\n\n"
            for (need, ids) in needs where out.count < budget - 500 {
                out += "- \(Self.cell(need)): " + ids.prefix(20).map { "`\($0)`" }.joined(separator: ", ") + (ids.count > 20 ? " and \(ids.count - 20) more" : "") + "\n"
            }
            out += "\n</details>\n\n"
        }
        for note in report.waiverNotes where out.count < budget - 300 {
            out += "> **Waiver:** \(Self.cell(note.message))\n\n"
        }
        if let fixed = report.baselineFixed { out += "Fixed since the baseline: \(fixed).\n\n" }
        out += "<sub>Preflight \(metadata.toolVersion) · \(summary.total) results · the full report is in the job's artifacts</sub>\n"
        return out
    }

    /// The apps of a fleet, worst first, until the budget is spent; the rest is counted.
    func appsTable(_ report: Report, budget: Int) -> String {
        let summaries = report.appSummaries
        let header = "### Apps (\(summaries.count)), worst first\n\n| | app | failed | warned | could not decide | exit |\n|---|---|---:|---:|---:|---:|\n"
        return Self.rows(summaries, header: header, budget: budget, rest: "more apps") { app, verdict, counts in
            let mark = verdict == .ready ? "✅" : verdict == .notReady ? "❌" : "⚠️"
            return "| \(mark) | `\(Self.cell(app.name))` | \(counts.fail) | \(counts.warn) | \(counts.error) | \(verdict.exitCode) |\n"
        }
    }

    /// A table of findings, row by row until the budget is spent; the rest is counted.
    func table(_ findings: [Finding], budget: Int, fleet: Bool = false) -> String {
        let header = fleet ? "| | severity | app | check | target | finding |\n|---|---|---|---|---|---|\n"
            : "| | severity | check | target | finding |\n|---|---|---|---|---|\n"
        return Self.rows(findings, header: header, budget: budget, rest: "more") { finding in
            let mark = switch finding.outcome {
            case .fail: "❌"
            case .warn: "⚠️"
            case .error: "❔"
            case .confirm: "✋"
            default: "·"
            }
            var note = ""
            if finding.waiver != nil { note = " (waived)" } else if finding.baselineState == .unchanged { note = " (baseline)" }
            let app = fleet ? " `\(Self.cell(finding.app ?? ""))` |" : ""
            return "| \(mark) | \(finding.severity.rawValue) |\(app) `\(finding.checkID)` | \(Self.cell(finding.target.display)) | \(Self.cell(finding.message))\(note) |\n"
        }
    }

    /// A header and one row per item until `budget` characters; then how many were left out.
    static func rows<T>(_ items: [T], header: String, budget: Int, rest: String, row: (T) -> String) -> String {
        var text = header
        for (index, item) in items.enumerated() {
            let line = row(item)
            if text.count + line.count > budget {
                text += "\n… and \(items.count - index) \(rest) (see the full report).\n"
                break
            }
            text += line
        }
        return text + "\n"
    }

    /// Worst first: severity, then check id, then app, then target.
    static func worstFirst(_ a: Finding, _ b: Finding) -> Bool {
        (a.severity, b.checkID, b.app ?? "", b.target.identity) > (b.severity, a.checkID, a.app ?? "", a.target.identity)
    }

    /// Text that stays in its table cell: no pipes, no line breaks, no HTML, bounded.
    static func cell(_ text: String) -> String {
        var value = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        if value.count > 300 { value = String(value.prefix(299)) + "…" }
        return value
    }
}
