import Foundation
import PreflightCore
import PreflightReports
import PreflightTestSupport
import Testing

/// A run over several apps in every format: each format names every app, worst first where it
/// lists them, and the CI formats keep the apps apart as their readers see them.
@Suite struct FleetReportTests {
    /// Three apps: `web` with the sample's problems, `admin` undecided, `docs` ready.
    static var fleet: Report {
        func tagged(_ findings: [Finding], _ app: String) -> [Finding] {
            findings.map { finding in
                var finding = finding
                finding.app = app
                return finding
            }
        }
        let undecided = SampleReport.findings.filter { if case .error = $0.outcome { true } else { $0.outcome == .pass } }
        let ready = SampleReport.findings.filter { $0.outcome == .pass }
        var metadata = SampleReport.metadata
        metadata.targetPath = "apps.yml"
        metadata.configPath = nil
        return Report(
            metadata: metadata, findings: tagged(undecided, "admin") + tagged(ready, "docs") + tagged(SampleReport.findings, "web"), checks: [],
            apps: [
                AppInfo(name: "admin", path: "apps/admin", configPath: "apps/admin/preflight.yml", configLines: ["app.domain": 2]),
                AppInfo(name: "docs", path: "apps/docs", configPath: "apps/docs/preflight.yml"),
                AppInfo(name: "web", path: "apps/web", configPath: "apps/web/preflight.yml", configLines: ["app.url": 3]),
            ])
    }

    @Test func verdictIsTheWorstAppsAndAppsAreWorstFirst() {
        let report = Self.fleet
        #expect(report.verdict == .notReady)
        #expect(report.appSummaries.map(\.app.name) == ["web", "admin", "docs"])
        #expect(report.appSummaries.map(\.verdict) == [.notReady, .undecided, .ready])
    }

    @Test func textNamesEveryAppWorstFirst() {
        let text = TextReporter().render(Self.fleet)
        let table = text.components(separatedBy: "Apps (3), worst first\n")[1].components(separatedBy: "\n\n")[0].split(separator: "\n")
        #expect(table.count == 3)
        #expect(table[0].contains("NOT READY") && table[0].contains("web"))
        #expect(table[1].contains("COULD NOT DECIDE") && table[1].contains("admin"))
        #expect(table[2].contains("READY") && !table[2].contains("NOT READY") && table[2].contains("docs"))
        #expect(text.contains("FAIL  web keys.publishable_key_live"))
        #expect(text.contains("ERROR admin dns.frontend_api_cname"))
        // Passes are counted per check, not listed per app.
        #expect(text.contains("PASS  keys.secret_key_live — 3 apps"))
    }

    @Test func sarifHasOneRunPerAppAndValidates() throws {
        let sarif = SARIFReporter().render(Self.fleet)
        let validation = try ExternalValidators.validateSARIF(sarif)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.map { ($0["automationDetails"] as? [String: Any])?["id"] as? String } == ["preflight/admin/", "preflight/docs/", "preflight/web/"])
        #expect(runs.map { ($0["results"] as? [Any])?.count } == [2, 1, 6])
        #expect(runs.map { ($0["invocations"] as? [[String: Any]])?.first?["exitCode"] as? Int } == [3, 0, 1])
        // Files resolve inside each app's folder; settings point at each app's own preflight.yml.
        let web = try #require(runs[2]["results"] as? [[String: Any]])
        let uris = web.compactMap { ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String }
        #expect(uris.contains("apps/web/.env.production"))
        #expect(uris.contains("apps/web/preflight.yml"))
        // The same problem in two apps has two fingerprints.
        let prints = runs.flatMap { ($0["results"] as? [[String: Any]]) ?? [] }.filter { $0["ruleId"] as? String == "keys.secret_key_live" }
            .compactMap { ($0["partialFingerprints"] as? [String: String])?["preflightFingerprint/v1"] }
        #expect(Set(prints).count == 3)
    }

    @Test func junitHasASuitePerAppAndPack() throws {
        let read = try ExternalValidators.readJUnit(JUnitReporter().render(Self.fleet))
        let suites = try #require(read["suites"] as? [String: [String: Int]])
        #expect(suites["web/keys"] == ["tests": 2, "failures": 1, "errors": 0, "skipped": 0, "passed": 1])
        #expect(suites["admin/dns"] == ["tests": 1, "failures": 0, "errors": 1, "skipped": 0, "passed": 0])
        #expect(suites["docs/keys"] == ["tests": 1, "failures": 0, "errors": 0, "skipped": 0, "passed": 1])
        #expect((read["total"] as? [String: Int])?["tests"] == 9)
    }

    @Test func markdownAndHTMLListTheAppsWorstFirst() throws {
        let markdown = MarkdownReporter().render(Self.fleet)
        let web = try #require(markdown.range(of: "| ❌ | `web` |"))
        let admin = try #require(markdown.range(of: "| ⚠️ | `admin` |"))
        let docs = try #require(markdown.range(of: "| ✅ | `docs` |"))
        #expect(web.lowerBound < admin.lowerBound && admin.lowerBound < docs.lowerBound)
        #expect(markdown.contains("| ❌ | critical | `web` | `keys.publishable_key_live`"))

        let html = HTMLReporter().render(Self.fleet)
        let rows = html.components(separatedBy: "<tr class=\"app-").dropFirst().map { String($0.prefix(while: { $0 != "\"" })) }
        #expect(rows == ["not_ready", "undecided", "ready"])
        for app in ["web", "admin", "docs"] { #expect(html.contains("<td><code>\(app)</code></td>")) }
    }

    @Test func jsonReadsBackAndMergesToTheSameReport() throws {
        let report = Self.fleet
        let json = JSONReporter().render(report)
        let validation = try SchemaValidator.validate(json: json)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
        let read = try JSONReportReader.read(Data(json.utf8), source: "fleet.json", checks: [])
        #expect(read.findings == report.findings)
        #expect(read.apps == report.apps)
        #expect(read.verdict == report.verdict)

        // Split by app as shards would be, merged back: the same findings, apps and verdict.
        func only(_ names: Set<String>) -> Report {
            var part = report
            part.apps = report.apps.filter { names.contains($0.name) }
            part.findings = report.findings.filter { names.contains($0.app ?? "") }
            return try! JSONReportReader.read(Data(JSONReporter().render(part).utf8), source: "part", checks: [])
        }
        let merged = JSONReportReader.merge([only(["web"]), only(["admin", "docs"])], display: "shards")
        #expect(merged.baselineFixed == nil && merged.metadata.baselinePath == nil)
        // The same findings, grouped by app in name order (each app's in the runner's order).
        #expect(merged.findings.count == report.findings.count)
        #expect(Set(merged.findings) == Set(report.findings))
        #expect(merged.findings.map { $0.app ?? "" } == report.findings.map { $0.app ?? "" })
        #expect(merged.apps == report.apps)
        #expect(merged.verdict == .notReady)

        // Shards run with --baseline: what each found fixed adds up.
        func baselined(_ names: Set<String>, fixed: Int) -> Report {
            var part = report
            part.apps = report.apps.filter { names.contains($0.name) }
            part.findings = report.findings.filter { names.contains($0.app ?? "") }
            part.metadata.baselinePath = "baseline.json"
            part.baselineFixed = fixed
            return try! JSONReportReader.read(Data(JSONReporter().render(part).utf8), source: "part", checks: [])
        }
        let mergedBaselined = JSONReportReader.merge([baselined(["web"], fixed: 2), baselined(["admin", "docs"], fixed: 3)], display: "shards")
        #expect(mergedBaselined.baselineFixed == 5)
        #expect(mergedBaselined.metadata.baselinePath == "baseline.json")
    }
}
