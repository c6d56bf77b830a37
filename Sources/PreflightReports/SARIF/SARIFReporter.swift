import Foundation
import PreflightCore

/// SARIF 2.1.0 for GitHub code scanning and other consumers. Every finding is a result with a
/// kind (`fail`, `pass`, `notApplicable`, `review` for could-not-decide); waived findings carry
/// a suppression; with a baseline, results carry `baselineState`. Findings about a URL, a DNS
/// name or a Clerk setting point at the `preflight.yml` line that configures them, with the
/// URL in the message and properties, so GitHub can show them.
public struct SARIFReporter: Reporter {
    public init() {}

    public func render(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Self.log(report))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func log(_ report: Report) -> SARIFLog {
        let metadata = report.metadata
        let descriptions = report.checks.isEmpty ? [] : report.checks
        let ruleIndex = Dictionary(descriptions.enumerated().map { ($0.element.id, $0.offset) }) { first, _ in first }
        let rules = descriptions.map { description in
            SARIFLog.ReportingDescriptor(
                id: description.id, name: ruleName(description.id),
                shortDescription: .init(text: description.title), fullDescription: .init(text: description.summary),
                help: .init(text: "\(description.rationale)\n\nFix: \(description.hint)",
                            markdown: "\(description.rationale)\n\n**Fix:** \(description.hint)"
                                + (description.references.isEmpty ? "" : "\n\n" + description.references.map { "- [\($0.title)](\($0.url))" }.joined(separator: "\n"))),
                helpUri: description.docsURL, defaultConfiguration: .init(level: level(description.defaultSeverity)),
                properties: .init(securitySeverity: securitySeverity(description.defaultSeverity), tags: uniqueTags(description),
                                  precision: "high"))
        }
        guard report.isFleet else {
            return SARIFLog(runs: [run(report.findings, metadata: metadata, exitCode: report.exitCode, baselineFixed: report.baselineFixed,
                                       rules: rules, ruleIndex: ruleIndex)])
        }
        // One run per app, each with its own category, so code scanning keeps the apps' alerts
        // apart and closes one app's alerts only when that app's run says so.
        let byApp = Dictionary(grouping: report.findings) { $0.app ?? "" }
        return SARIFLog(runs: report.appSummaries.sorted { $0.app.name < $1.app.name }.map { app, verdict, _ in
            var appMetadata = metadata
            appMetadata.targetPath = app.path
            appMetadata.configPath = app.configPath
            appMetadata.configLines = app.configLines
            return run(byApp[app.name] ?? [], metadata: appMetadata, exitCode: verdict.exitCode, baselineFixed: nil,
                       rules: rules, ruleIndex: ruleIndex, name: app.name)
        })
    }

    static func run(
        _ findings: [Finding], metadata: ReportMetadata, exitCode: Int32, baselineFixed: Int?,
        rules: [SARIFLog.ReportingDescriptor], ruleIndex: [String: Int], name: String? = nil
    ) -> SARIFLog.Run {
        let results = findings.map { finding in result(finding, metadata: metadata, ruleIndex: ruleIndex[finding.checkID], baseline: metadata.baselinePath != nil) }
        let category = name ?? (metadata.targetPath == "." ? "app" : metadata.targetPath)
        return SARIFLog.Run(
            tool: .init(driver: .init(name: "Preflight", version: metadata.toolVersion, semanticVersion: metadata.toolVersion,
                                      informationUri: "https://github.com/preflight/preflight", rules: rules)),
            automationDetails: .init(id: "preflight/\(category)/"),
            invocations: [.init(executionSuccessful: true, exitCode: exitCode,
                                startTimeUtc: metadata.startedAt.formatted(.iso8601), endTimeUtc: metadata.finishedAt.formatted(.iso8601))],
            results: results,
            properties: baselineFixed.map { SARIFLog.PropertyBag(fixedSinceBaseline: $0) })
    }

    static func result(_ finding: Finding, metadata: ReportMetadata, ruleIndex: Int?, baseline: Bool) -> SARIFLog.Result {
        let kind: String
        switch finding.outcome {
        case .fail, .warn: kind = "fail"
        case .pass: kind = "pass"
        case .skipped: kind = "notApplicable"
        case .error, .confirm: kind = "review"
        }
        // SARIF: a result of another kind than "fail" has level "none".
        let resultLevel = kind == "fail" ? level(finding.severity) : "none"
        var message = finding.message
        var url: String?
        let location = Self.location(finding.target, metadata: metadata)
        switch finding.target {
        case .url(let value): url = value
        case .file(let path, _, _, _) where path.hasPrefix("https://") || path.hasPrefix("http://"): url = path
        default: break
        }
        if location.configured { message += " (\(finding.target.display))" }
        return SARIFLog.Result(
            ruleId: finding.checkID, ruleIndex: ruleIndex, kind: kind, level: resultLevel, message: .init(text: message),
            locations: [location.value],
            partialFingerprints: ["preflightFingerprint/v1": finding.fingerprint],
            baselineState: baseline && kind != "pass" && kind != "notApplicable" ? (finding.baselineState == .unchanged ? "unchanged" : "new") : nil,
            suppressions: finding.waiver.map { [.init(kind: "external", status: "accepted", justification: $0.reason)] },
            properties: .init(
                securitySeverity: securitySeverity(finding.severity), severity: finding.severity.rawValue, target: finding.target.display, url: url,
                evidence: finding.evidence.isEmpty ? nil : finding.evidence.map { "\($0.label): \($0.value)" }, outcome: finding.outcome.name,
                waiverOwner: finding.waiver?.owner, waiverExpires: finding.waiver?.expires))
    }

    /// A file in the checked folder as a repository path; anything else, the configuration
    /// line that names it. `configured` says which.
    static func location(_ target: Target, metadata: ReportMetadata) -> (value: SARIFLog.Location, configured: Bool) {
        func repositoryPath(_ path: String) -> String {
            if path.hasPrefix("/") || metadata.targetPath == "." || metadata.targetPath.isEmpty { return path }
            return (metadata.targetPath.hasSuffix("/") ? metadata.targetPath : metadata.targetPath + "/") + path
        }
        if case .file(let path, let line, let column, _) = target, !path.hasPrefix("https://"), !path.hasPrefix("http://") {
            return (.init(physicalLocation: .init(artifactLocation: .init(uri: repositoryPath(path)),
                                                  region: .init(startLine: max(1, line ?? 1), startColumn: line == nil ? nil : column))), false)
        }
        let configFile = metadata.configPath ?? repositoryPath("preflight.yml")
        let lines = metadata.configLines
        let line: Int? = switch target {
        case .url: lines["app.url"] ?? lines["app.domain"]
        case .dnsName: lines["app.domain"]
        case .clerkSetting: lines["clerk.instance_snapshot"] ?? lines["clerk.plan"] ?? lines["app.domain"]
        case .file: lines["app.url"] ?? lines["app.domain"]
        case .environment: lines["clerk.secret_key_env"]
        case .application: nil
        }
        return (.init(physicalLocation: .init(artifactLocation: .init(uri: configFile), region: .init(startLine: line ?? 1, startColumn: nil))), true)
    }

    /// The check's tags, its pack and "preflight", each once (SARIF tags are a set).
    static func uniqueTags(_ description: CheckDescription) -> [String] {
        var tags: [String] = []
        for tag in description.tags + [description.pack, "preflight"] where !tags.contains(tag) { tags.append(tag) }
        return tags
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// GitHub's scale, as a string: 9.0 critical, 7.0 high, 4.0 medium, 1.0 low.
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.0"
        case .error: "7.0"
        case .warning: "4.0"
        case .info: "1.0"
        }
    }

    /// `dns.frontend_api_cname` -> `DnsFrontendApiCname`.
    static func ruleName(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "." || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
