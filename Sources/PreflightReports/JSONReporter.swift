import Foundation
import PreflightCore

/// The machine-readable report. Its shape is `schemas/report.schema.json`; any change to it
/// bumps `schemaVersion`.
public struct JSONReporter: Reporter {
    public static let schemaVersion = 2

    public init() {}

    public func render(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The findings are encoded one at a time and spliced in, indented as the encoder would
        // have: the same bytes, without a fleet's tens of thousands of findings encoded as one
        // tree (which took twice the memory of the report itself).
        let document = JSONReport(report, includingFindings: false)
        let findings = report.findings
        // Encoding plain structs of strings and numbers cannot fail.
        let frame = String(decoding: try! encoder.encode(document), as: UTF8.self)
        let empty = "\"findings\" : [\n\n  ]"
        guard !findings.isEmpty, let slot = frame.range(of: empty) else { return frame + "\n" }
        // Parts joined once: one allocation of the exact size, not a string doubled as it grows.
        var parts = [String(frame[..<slot.lowerBound]), "\"findings\" : [\n"]
        parts.reserveCapacity(findings.count * 2 + 4)
        for (index, finding) in findings.enumerated() {
            let item = String(decoding: try! encoder.encode(JSONReport.Finding(finding)), as: UTF8.self)
            // The encoder leaves the blank line of an empty array unindented; so does this.
            parts.append(item.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n"))
            parts.append(index == findings.count - 1 ? "\n" : ",\n")
        }
        parts.append("  ]")
        parts.append(String(frame[slot.upperBound...]))
        parts.append("\n")
        return parts.joined()
    }
}

/// The encoded form, decoupled from the in-memory model so the schema changes only on purpose.
struct JSONReport: Encodable {
    struct Tool: Encodable {
        var name: String
        var version: String
    }

    struct Run: Encodable {
        var startedAt: String
        var finishedAt: String
        var durationMs: Int
        var target: String
        var config: String?
        var failOn: String
        var offline: Bool
    }

    struct Location: Encodable {
        var kind: String
        var display: String
        var identity: String
        var path: String?
        var line: Int?
        var column: Int?
    }

    struct Waiver: Encodable {
        var reason: String
        var owner: String?
        var expires: String?
    }

    struct Finding: Encodable {
        init(_ finding: PreflightCore.Finding) {
            checkId = finding.checkID
            title = finding.title
            outcome = finding.outcome.name
            reason = finding.outcome.reason
            severity = finding.severity.rawValue
            message = finding.message
            hint = finding.hint
            target = Location(finding.target)
            evidence = finding.evidence
            docs = finding.docs
            fingerprint = finding.fingerprint
            waiver = finding.waiver.map { Waiver(reason: $0.reason, owner: $0.owner, expires: $0.expires) }
            baselineState = finding.baselineState?.rawValue
            app = finding.app
        }

        var checkId: String
        var title: String
        var outcome: String
        var reason: String?
        var severity: String
        var message: String
        var hint: String
        var target: Location
        var evidence: [EvidenceItem]
        var docs: String?
        var fingerprint: String
        var waiver: Waiver?
        var baselineState: String?
        var app: String?
    }

    struct App: Encodable {
        var name: String
        var path: String
        var config: String?
        var configLines: [String: Int]
        var verdict: String
        var exitCode: Int32
        var summary: ReportSummary

        enum CodingKeys: String, CodingKey { case name, path, config, configLines = "config_lines", verdict, exitCode = "exit_code", summary }
    }

    struct WaiverNote: Encodable {
        var kind: String
        var checkId: String
        var target: String?
        var message: String

        enum CodingKeys: String, CodingKey { case kind, checkId = "check_id", target, message }
    }

    struct BaselineInfo: Encodable {
        var path: String
        var fixed: Int
    }

    var schemaVersion: Int
    var tool: Tool
    var run: Run
    var verdict: String
    var exitCode: Int32
    var summary: ReportSummary
    var findings: [Finding]
    var waiverNotes: [WaiverNote]
    var baseline: BaselineInfo?
    /// Only in a run over several apps.
    var apps: [App]?

    /// Without its findings when the reporter encodes them one at a time.
    init(_ report: Report, includingFindings: Bool = true) {
        let metadata = report.metadata
        schemaVersion = JSONReporter.schemaVersion
        tool = Tool(name: "preflight", version: metadata.toolVersion)
        run = Run(
            startedAt: metadata.startedAt.formatted(.iso8601), finishedAt: metadata.finishedAt.formatted(.iso8601),
            durationMs: Int((metadata.finishedAt.timeIntervalSince(metadata.startedAt) * 1000).rounded()),
            target: metadata.targetPath, config: metadata.configPath, failOn: metadata.failOn.rawValue,
            offline: metadata.offline)
        verdict = report.verdict.rawValue
        exitCode = report.verdict.exitCode
        summary = report.summary
        findings = includingFindings ? report.findings.map(Finding.init) : []
        apps = !report.isFleet ? nil : report.appSummaries.sorted { $0.app.name < $1.app.name }.map { app, verdict, summary in
            App(name: app.name, path: app.path, config: app.configPath, configLines: app.configLines, verdict: verdict.rawValue,
                exitCode: verdict.exitCode, summary: summary)
        }
        waiverNotes = report.waiverNotes.map {
            WaiverNote(kind: $0.kind.rawValue, checkId: $0.waiver.checkID, target: $0.waiver.target, message: $0.message)
        }
        baseline = metadata.baselinePath.map { BaselineInfo(path: $0, fixed: report.baselineFixed ?? 0) }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", tool, run, verdict, exitCode = "exit_code", summary, findings
        case waiverNotes = "waiver_notes", baseline, apps
    }
}

extension JSONReport.Run {
    enum CodingKeys: String, CodingKey {
        case startedAt = "started_at", finishedAt = "finished_at", durationMs = "duration_ms", target, config
        case failOn = "fail_on", offline
    }
}

extension JSONReport.Finding {
    enum CodingKeys: String, CodingKey {
        case checkId = "check_id", title, outcome, reason, severity, message, hint, target, evidence, docs
        case fingerprint, waiver, baselineState = "baseline_state", app
    }
}

extension JSONReport.Location {
    init(_ target: Target) {
        display = target.display
        identity = target.identity
        path = target.filePath
        line = target.line
        column = target.column
        kind = switch target {
        case .file: "file"
        case .environment: "environment"
        case .url: "url"
        case .dnsName: "dns_name"
        case .clerkSetting: "clerk_setting"
        case .application: "application"
        }
    }
}
