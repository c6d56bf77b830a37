import Foundation
import Mustache
import PreflightCore

/// One self-contained HTML file: the verdict and why, counts per outcome, findings grouped by
/// pack with filters by outcome and pack, each with its message, target, evidence (folded),
/// fix and docs link. Rendered by swift-mustache with HTML escaping, under a CSP that lets
/// only its own script run; readable without JavaScript and when printed.
public struct HTMLReporter: Reporter {
    public init() {}

    static let template: MustacheTemplate = {
        // The template is this package's own constant: failing to parse it is a build defect.
        try! MustacheTemplate(string: HTMLTemplate.page)
    }()

    public func render(_ report: Report) -> String {
        Self.template.render(Self.context(report))
    }

    static func context(_ report: Report) -> [String: Any] {
        let metadata = report.metadata
        let summary = report.summary
        let verdict = report.verdict
        var anchors: [String: String] = [:]
        for (index, finding) in report.findings.enumerated() { anchors["\(finding.fingerprint)|\(index)"] = "f\(index + 1)-\(finding.fingerprint)" }
        func anchor(_ finding: Finding) -> String {
            let index = report.findings.firstIndex(of: finding) ?? 0
            return anchors["\(finding.fingerprint)|\(index)"] ?? "f0"
        }
        let outcomeCounts: [(key: String, label: String, value: Int)] = [
            ("fail", "failed", summary.fail), ("error", "could not decide", summary.error), ("confirm", "to confirm by hand", summary.confirm),
            ("warn", "warned", summary.warn), ("skipped", "skipped", summary.skipped), ("pass", "passed", summary.pass), ("waived", "waived", summary.waived),
        ].filter { $0.key != "confirm" || $0.value > 0 }
        let confirm = report.findings.filter { if case .confirm = $0.outcome { true } else { false } }
        let packs = Dictionary(grouping: report.findings) { $0.checkID.split(separator: ".").first.map(String.init) ?? $0.checkID }
        // Packs with problems first, then by name.
        let packOrder = packs.keys.sorted { a, b in
            let rank = { (name: String) in packs[name]!.map { $0.waiver == nil ? $0.outcome.displayRank : 5 }.min() ?? 9 }
            return (rank(a), a) < (rank(b), b)
        }
        var notes = report.waiverNotes.map(\.message)
        for (need, ids) in report.unmetNeeds { notes.append("\(ids.count) check(s) could not run — \(need): \(ids.joined(separator: ", "))") }
        if let fixed = report.baselineFixed { notes.append("\(fixed) finding(s) of the baseline were not seen again (fixed, or no longer checked)") }

        let apps = report.appSummaries.map { app, verdict, counts in
            [
                "name": app.name, "verdict": verdict.display, "verdictKey": verdict.rawValue,
                "badge": verdict == .ready ? "pass" : verdict == .notReady ? "fail" : "error", "exitCode": verdict.exitCode,
                "fail": counts.fail, "warn": counts.warn, "error": counts.error, "pass": counts.pass,
            ] as [String: Any]
        }

        return [
            "isFleet": report.isFleet,
            "appCount": report.apps.count,
            "apps": apps,
            "scriptHash": HTMLTemplate.scriptHash,
            "script": HTMLTemplate.script,
            "verdict": verdict.display.prefix(1).uppercased() + verdict.display.dropFirst(),
            "verdictKey": verdict.rawValue,
            "undecided": verdict == .undecided,
            "summaryLine": "\(summary.total) results: \(summary.pass) passed, \(summary.fail) failed, \(summary.warn) warned, "
                + "\(summary.error) could not decide, \(summary.skipped) skipped" + (summary.waived > 0 ? ", \(summary.waived) waived" : "")
                + " — exit \(report.exitCode)",
            "toolVersion": metadata.toolVersion,
            "target": metadata.targetPath,
            "config": metadata.configPath ?? "none",
            "failOn": metadata.failOn.rawValue,
            "offline": metadata.offline,
            "baselinePath": metadata.baselinePath ?? false,
            "startedAt": metadata.startedAt.formatted(.iso8601),
            "counts": outcomeCounts.map { ["key": $0.key, "label": $0.label, "value": $0.value] as [String: Any] },
            "outcomes": outcomeCounts.filter { $0.key != "waived" }.map { ["key": $0.key, "label": $0.label, "value": $0.value] as [String: Any] },
            "hasGating": !report.gatingFindings.isEmpty,
            "gatingCount": report.gatingFindings.count,
            "gating": report.gatingFindings.sorted { ($0.severity, $1.checkID, $1.app ?? "") > ($1.severity, $0.checkID, $0.app ?? "") }.map { finding in
                ["anchor": anchor(finding), "checkID": finding.checkID, "message": finding.message, "target": finding.target.display,
                 "app": finding.app ?? false] as [String: Any]
            },
            "hasConfirm": !confirm.isEmpty,
            "confirmCount": confirm.count,
            "confirm": confirm.map { finding in
                ["anchor": anchor(finding), "checkID": finding.checkID, "message": finding.message, "action": finding.outcome.reason ?? "",
                 "app": finding.app ?? false, "accepted": finding.waiver != nil || finding.baselineState == .unchanged] as [String: Any]
            },
            "hasNotes": !notes.isEmpty,
            "notes": notes,
            "findingCount": report.findings.count,
            "packNames": packOrder.map { ["name": $0] },
            "packs": packOrder.map { name in
                [
                    "name": name,
                    "count": packs[name]!.count,
                    // Problems first within a pack, then by check.
                    "findings": packs[name]!.sorted { ($0.outcome.displayRank, $0.checkID, $0.app ?? "") < ($1.outcome.displayRank, $1.checkID, $1.app ?? "") }
                        .map { finding in Self.finding(finding, anchor: anchor(finding)) },
                ] as [String: Any]
            },
        ]
    }

    static func finding(_ finding: Finding, anchor: String) -> [String: Any] {
        // A waived finding is filtered with the waived ones' outcome ("waived" is not an outcome).
        let outcome = finding.outcome.name
        let label = switch finding.outcome {
        case .fail: "FAIL"
        case .warn: "WARN"
        case .error: "ERROR"
        case .confirm: "CONFIRM"
        case .skipped: "SKIP"
        case .pass: "PASS"
        }
        let problem = [.fail, .warn].contains(finding.outcome) || finding.outcome.isUndecided
        var waiver: Any = false
        if let value = finding.waiver {
            waiver = value.reason + (value.owner.map { " (owner \($0))" } ?? "") + (value.expires.map { ", until \($0)" } ?? "")
        }
        return [
            "anchor": anchor,
            "app": finding.app ?? false,
            "outcome": outcome,
            "outcomeLabel": finding.waiver == nil ? label : "WAIVED",
            "pack": finding.checkID.split(separator: ".").first.map(String.init) ?? finding.checkID,
            "severity": finding.severity.rawValue,
            "checkID": finding.checkID,
            "title": finding.title,
            "message": finding.message,
            "target": finding.target == .application ? false : finding.target.display as Any,
            "waiver": waiver,
            "baseline": finding.baselineState == .unchanged ? "in the baseline: shown, does not gate" : (finding.baselineState == .new && problem ? "new since the baseline" : false) as Any,
            "hasEvidence": !finding.evidence.isEmpty,
            "evidenceCount": finding.evidence.count,
            "evidence": finding.evidence.map { ["label": $0.label, "value": $0.value] },
            "showHint": problem,
            "hint": finding.hint,
            // Only web links: a docs value is never a javascript: or data: URL.
            "docs": finding.docs.flatMap { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil } ?? false,
        ]
    }
}
