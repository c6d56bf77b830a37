import Foundation
import PreflightCore

/// Reads JSON reports back into `Report`s, for `preflight merge`: the shards of a CI matrix
/// become one report in any format, with the exit code one run would have given. The check
/// descriptions are not in the JSON; the caller passes the registry's.
public enum JSONReportReader {
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A report as `JSONReporter` writes it, in the same types.
    struct Document: Decodable {
        var schemaVersion: Int
        var tool: JSONReport.Tool
        var run: JSONReport.Run
        var findings: [JSONReport.Finding]
        var apps: [JSONReport.App]?
        var waiverNotes: [JSONReport.WaiverNote]?
        var baseline: JSONReport.BaselineInfo?

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version", tool, run, findings, apps, waiverNotes = "waiver_notes", baseline
        }
    }

    public static func read(_ data: Data, source: String, checks: [CheckDescription]) throws -> Report {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw ReadError(description: "\(source): not a Preflight JSON report: \(error)")
        }
        guard document.schemaVersion == JSONReporter.schemaVersion else {
            throw ReadError(description: "\(source): report schema version \(document.schemaVersion) is not \(JSONReporter.schemaVersion)")
        }
        let iso = ISO8601DateFormatter()
        guard let failOn = Severity(rawValue: document.run.failOn) else { throw ReadError(description: "\(source): unknown fail_on '\(document.run.failOn)'") }
        var waivers: [String: Waiver] = [:]
        let findings = try document.findings.map { item -> Finding in
            guard let severity = Severity(rawValue: item.severity) else { throw ReadError(description: "\(source): unknown severity '\(item.severity)'") }
            let outcome: Outcome = switch item.outcome {
            case "pass": .pass
            case "fail": .fail
            case "warn": .warn
            case "skipped": .skipped(item.reason ?? item.message)
            case "confirm": .confirm(item.reason ?? item.message)
            default: .error(item.reason ?? item.message)
            }
            let waiver = item.waiver.map { Waiver(checkID: item.checkId, target: item.target.identity, reason: $0.reason, owner: $0.owner, expires: $0.expires) }
            if let waiver { waivers[item.checkId] = waiver }
            var finding = Finding(
                checkID: item.checkId, title: item.title, outcome: outcome, severity: severity, message: item.message, hint: item.hint,
                target: target(item.target), evidence: item.evidence, docs: item.docs, waiver: waiver,
                baselineState: item.baselineState.flatMap(BaselineState.init(rawValue:)), app: item.app)
            finding.unmetNeed = item.unmetNeed == true
            return finding
        }
        let ids = Set(findings.map(\Finding.checkID))
        return Report(
            metadata: ReportMetadata(
                toolVersion: document.tool.version,
                startedAt: iso.date(from: document.run.startedAt) ?? Date(timeIntervalSince1970: 0),
                finishedAt: iso.date(from: document.run.finishedAt) ?? Date(timeIntervalSince1970: 0),
                targetPath: document.run.target, configPath: document.run.config, failOn: failOn, offline: document.run.offline,
                baselinePath: document.baseline?.path, waitTimedOut: document.run.waitTimedOut),
            findings: findings, checks: checks.filter { ids.contains($0.id) },
            waiverNotes: (document.waiverNotes ?? []).map { note in
                WaiverNote(kind: note.kind == "expired" ? .expired : .unused,
                           waiver: waivers[note.checkId] ?? Waiver(checkID: note.checkId, target: note.target, reason: ""))
            },
            baselineFixed: document.baseline?.fixed,
            apps: (document.apps ?? []).map { AppInfo(name: $0.name, path: $0.path, configPath: $0.config, configLines: $0.configLines) })
    }

    /// The target as the report wrote it: kind and fields, the subject from the identity.
    static func target(_ location: JSONReport.Location) -> Target {
        switch location.kind {
        case "file":
            let path = location.path ?? location.display
            let subject = location.identity.hasPrefix(path + "#") ? String(location.identity.dropFirst(path.count + 1)) : nil
            return .file(path: path, line: location.line, column: location.column, subject: subject)
        case "environment": return .environment(variable: String(location.identity.dropFirst("env:".count)))
        case "url": return .url(location.identity)
        case "dns_name": return .dnsName(String(location.identity.dropFirst("dns:".count)))
        case "clerk_setting": return .clerkSetting(String(location.identity.dropFirst("clerk:".count)))
        default: return .application
        }
    }

    /// Several reports as one: their findings and apps together, the earliest start, the
    /// latest finish, the strictest gate, the baseline entries each found fixed added up. A
    /// one-app report becomes an app named by its target.
    public static func merge(_ reports: [Report], display: String) -> Report {
        var findings: [Finding] = []
        var apps: [AppInfo] = []
        var checks: [String: CheckDescription] = [:]
        var notes: [WaiverNote] = []
        for report in reports {
            if report.isFleet {
                findings += report.findings
                apps += report.apps
            } else if !report.findings.isEmpty {
                // An empty shard's report has neither apps nor findings: nothing to add.
                let name = report.metadata.targetPath
                findings += report.findings.map { finding in
                    var finding = finding
                    finding.app = name
                    return finding
                }
                apps.append(AppInfo(name: name, path: name, configPath: report.metadata.configPath, configLines: report.metadata.configLines))
            }
            for check in report.checks { checks[check.id] = check }
            notes += report.waiverNotes
        }
        let first = reports.map(\.metadata.startedAt).min() ?? Date(timeIntervalSince1970: 0)
        let last = reports.map(\.metadata.finishedAt).max() ?? first
        let failOn = reports.map(\.metadata.failOn).min() ?? .error
        let baselined = reports.filter { $0.metadata.baselinePath != nil }
        // Any shard that ran out of time waiting makes the whole run one that did.
        let waits = reports.compactMap(\.metadata.waitTimedOut)
        return Report(
            metadata: ReportMetadata(
                toolVersion: PreflightVersion.current, startedAt: first, finishedAt: last, targetPath: display, configPath: nil,
                failOn: failOn, offline: reports.allSatisfy(\.metadata.offline), baselinePath: baselined.first?.metadata.baselinePath,
                waitTimedOut: waits.isEmpty ? nil : waits.contains(true)),
            // Grouped by app, each app's findings in the runner's order.
            findings: Dictionary(grouping: findings) { $0.app ?? "" }.sorted { $0.key < $1.key }.flatMap { Settlement.sorted($0.value) },
            checks: checks.values.sorted { $0.id < $1.id }, waiverNotes: notes,
            baselineFixed: baselined.isEmpty ? nil : baselined.reduce(0) { $0 + ($1.baselineFixed ?? 0) },
            apps: apps.sorted { $0.name < $1.name })
    }
}
