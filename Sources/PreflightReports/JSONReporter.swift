import Foundation
import PreflightCore

/// The machine-readable report. Its shape is `schemas/report.schema.json`; any change to it
/// bumps `schemaVersion`.
public struct JSONReporter: Reporter {
    public static let schemaVersion = 2

    public init() {}

    public func render(_ report: Report) -> String {
        var parts: [String] = []
        render(report) { parts.append($0) }
        return parts.joined()
    }

    /// The findings are encoded one at a time and handed on as they are made, indented as the
    /// encoder would have: the same bytes as encoding the whole report at once, without a
    /// fleet's tens of thousands of findings held as one tree and one string.
    public func render(_ report: Report, into sink: (String) throws -> Void) rethrows {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail.
        let frame = String(decoding: try! encoder.encode(JSONReport(report, includingFindings: false)), as: UTF8.self)
        let empty = "\"findings\" : [\n\n  ]"
        guard !report.findings.isEmpty, let slot = frame.range(of: empty) else { return try sink(frame + "\n") }
        try sink(String(frame[..<slot.lowerBound]) + "\"findings\" : [\n")
        // Encoded a batch at a time on every core (the checks are done; the cores are free),
        // handed on in order: bounded memory, a fraction of the time.
        let findings = report.findings
        let batch = 1_024
        for start in stride(from: 0, to: findings.count, by: batch) {
            let range = start..<min(start + batch, findings.count)
            let pieces = Self.encode(findings[range], last: range.upperBound == findings.count)
            for piece in pieces { try sink(piece) }
        }
        try sink("  ]" + frame[slot.upperBound...] + "\n")
    }

    /// Each finding as its lines in the report (indented, with its separator), in order.
    static func encode(_ findings: ArraySlice<Finding>, last: Bool) -> [String] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let results = EncodedPieces(count: findings.count)
        let base = findings.startIndex
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            for offset in stride(from: worker, to: findings.count, by: workers) {
                // Encoding plain structs of strings and numbers cannot fail.
                let item = String(decoding: try! encoder.encode(JSONReport.Finding(findings[base + offset])), as: UTF8.self)
                results.set(offset, indented(item.utf8) + (last && offset == findings.count - 1 ? "\n" : ",\n"))
            }
        }
        return results.values
    }
}

/// Every line of `json` indented by four spaces, in one pass over its bytes (splitting and
/// joining lines was half the cost of encoding a fleet's findings). The encoder leaves the
/// blank line of an empty array unindented; so does this.
func indented(_ json: String.UTF8View) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(json.count + json.count / 8)
    var lineStart = true
    for byte in json {
        if lineStart && byte != UInt8(ascii: "\n") {
            for _ in 0..<4 { bytes.append(0x20) }
        }
        bytes.append(byte)
        lineStart = byte == UInt8(ascii: "\n")
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Slots the encoding workers fill, each its own.
private final class EncodedPieces: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [String]

    init(count: Int) {
        values = Array(repeating: "", count: count)
    }

    func set(_ index: Int, _ value: String) {
        lock.withLock { values[index] = value }
    }
}

/// The encoded form, decoupled from the in-memory model so the schema changes only on purpose.
/// Its parts are also what `JSONReportReader` reads back.
struct JSONReport: Encodable {
    struct Tool: Codable {
        var name: String
        var version: String
    }

    struct Run: Codable {
        var startedAt: String
        var finishedAt: String
        var durationMs: Int
        var target: String
        var config: String?
        var failOn: String
        var offline: Bool
        /// Only with --wait.
        var waitTimedOut: Bool?
    }

    struct Location: Codable {
        var kind: String
        var display: String
        var identity: String
        var path: String?
        var line: Int?
        var column: Int?
    }

    struct Waiver: Codable {
        var reason: String
        var owner: String?
        var expires: String?
    }

    struct Finding: Codable {
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
            unmetNeed = finding.unmetNeed ? true : nil
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
        /// Skipped for want of what the reason names (present only then).
        var unmetNeed: Bool?
    }

    struct App: Codable {
        var name: String
        var path: String
        var config: String?
        var configLines: [String: Int]
        var verdict: String
        var exitCode: Int32
        var summary: ReportSummary

        enum CodingKeys: String, CodingKey { case name, path, config, configLines = "config_lines", verdict, exitCode = "exit_code", summary }
    }

    struct WaiverNote: Codable {
        var kind: String
        var checkId: String
        var target: String?
        var message: String

        enum CodingKeys: String, CodingKey { case kind, checkId = "check_id", target, message }
    }

    struct BaselineInfo: Codable {
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
            offline: metadata.offline, waitTimedOut: metadata.waitTimedOut)
        verdict = report.verdict.rawValue
        exitCode = report.exitCode
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
        case failOn = "fail_on", offline, waitTimedOut = "wait_timed_out"
    }
}

extension JSONReport.Finding {
    enum CodingKeys: String, CodingKey {
        case checkId = "check_id", title, outcome, reason, severity, message, hint, target, evidence, docs
        case fingerprint, waiver, baselineState = "baseline_state", app, unmetNeed = "unmet_need"
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
