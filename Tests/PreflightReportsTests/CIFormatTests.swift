import Foundation
import PreflightCore
import PreflightReports
import PreflightTestSupport
import Testing

/// The formats CI systems and people read, checked by readers that are not ours.
@Suite struct CIFormatTests {
    /// The sample report, with a baseline: the failing key is old, the rest new.
    static var baselined: Report {
        var report = SampleReport.report
        report.metadata.baselinePath = "preflight-baseline.json"
        report.metadata.configLines = ["app.domain": 2, "app.url": 3]
        report.findings = report.findings.map { finding in
            var finding = finding
            guard finding.outcome != .pass, !finding.isSkipped else { return finding }
            finding.baselineState = finding.checkID == "keys.publishable_key_live" ? .unchanged : .new
            return finding
        }
        report.baselineFixed = 2
        report.waiverNotes = [WaiverNote(kind: .unused, waiver: Waiver(checkID: "dns.mail_records", reason: "r", expires: "2027-06-30"))]
        return report
    }

    /// A report whose every value is hostile markup.
    static var hostile: Report {
        let attack = #"<script>document.body.setAttribute('data-pwned','1')</script>"#
        let breakout = #"" onmouseover="document.body.setAttribute('data-pwned','2')" x=""#
        let image = #"<img src=x onerror="document.body.setAttribute('data-pwned','3')">"#
        var report = SampleReport.report
        report.metadata.targetPath = "apps/\(image)"
        report.findings = [
            Finding(checkID: "web.indexable", title: "Title \(attack)", outcome: .fail, severity: .error, message: "page title \(attack) and \(breakout)",
                    hint: "hint \(image)", target: .url("https://example.com/?q=\(breakout)"),
                    evidence: [EvidenceItem("title \(image)", "</dd></dl></details>\(attack)")], docs: "javascript:document.body.setAttribute('data-pwned','4')"),
        ] + SampleReport.findings
        return report
    }

    /// Control characters, line breaks, bidi overrides and a script tag from outside (a file
    /// name, a DNS answer, a page), through the same settlement every finding takes.
    static let controls = "a\u{1B}[2J\u{7}\r\nFAKE PASS everything fine\u{0}\u{202E}gnp.exe\u{2066}</script><script>document.body.setAttribute('data-pwned','5')</script>"

    static var controlled: Report {
        let description = CheckDescription(
            id: "dns.mail_records", title: "Mail records", summary: "s", rationale: "r", hint: "h", references: [],
            defaultSeverity: .error, tags: [], needs: .network, examples: [])
        let result = CheckResult(status: .problem, message: "TXT says \(controls)", target: .file(path: "dist/\(controls).js", line: 1, column: 2, subject: controls),
                                 evidence: [EvidenceItem("answer", controls)], hint: "hint \(controls)")
        let skipped = CheckResult(status: .undecided("header \(controls)"), message: "m \(controls)", target: .dnsName(controls))
        var report = SampleReport.report
        report.findings = [result, skipped].map { Settlement.finding(for: $0, of: description, settings: CheckSettings()) } + SampleReport.findings
        return report
    }

    /// Every format of that report: no raw control or bidi character, no line of its own, and
    /// each still read by its own reader (XML parser, SARIF schema, JSON, Chromium).
    @Test func outsideTextIsNeutralizedInEveryFormat() throws {
        for format in ReportFormat.allCases {
            let output = format.reporter().render(Self.controlled)
            let raw = output.unicodeScalars.filter { scalar in
                (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
                    || [0x202E, 0x2066].contains(scalar.value)
            }
            #expect(raw.isEmpty, "\(format): raw \(raw.map { String($0.value, radix: 16) })")
            #expect(!output.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("FAKE PASS") }, "\(format)")
            switch format {
            case .json: #expect(try JSONSerialization.jsonObject(with: Data(output.utf8)) is [String: Any])
            case .junit: #expect((try ExternalValidators.readJUnit(output)["total"] as? [String: Int])?["failures"] != nil)
            case .sarif:
                let result = try ExternalValidators.validateSARIF(output)
                #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            case .html:
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("controls-\(UUID().uuidString).html")
                try output.write(to: file, atomically: true, encoding: .utf8)
                defer { try? FileManager.default.removeItem(at: file) }
                let dom = try ExternalValidators.chromiumDOM(htmlFile: file.path)
                #expect(!dom.contains("<body data-pwned"), "an injected script ran")
                #expect(dom.contains("\\u{1b}[2J"), "the escape is shown as text")
            case .text, .markdown: break
            }
        }
    }

    @Test(arguments: ["html": "report.html", "sarif": "report.sarif", "junit": "report.junit.xml", "markdown": "report.md"].sorted { $0.key < $1.key })
    func goldens(format: String, file: String) throws {
        let reporter = try #require(ReportFormat(rawValue: format)).reporter()
        Golden.assertMatches(reporter.render(Self.baselined), file: "Tests/PreflightReportsTests/Golden/\(file)")
    }

    @Test func sarifValidatesAgainstTheOfficialSchema() throws {
        for report in [SampleReport.report, Self.baselined, Self.hostile] {
            let result = try ExternalValidators.validateSARIF(SARIFReporter().render(report))
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }
        for app in ["misconfigured-app", "ready-app"] {
            let sarif = try String(contentsOfFile: Golden.packageRoot.appendingPathComponent("reports/\(app).sarif").path, encoding: .utf8)
            let result = try ExternalValidators.validateSARIF(sarif)
            #expect(result.status == 0, "\(app): \(result.stdout)\(result.stderr)")
        }
        // The validator can fail.
        let broken = try ExternalValidators.validateSARIF(#"{"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "loud"}]}]}"#)
        #expect(broken.status != 0)
    }

    @Test func sarifSaysWhatGitHubReads() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(SARIFReporter().render(Self.baselined).utf8)) as? [String: Any])
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let byRule = Dictionary(results.map { ($0["ruleId"] as! String, $0) }) { a, _ in a }
        // kind per outcome; level only on failures
        #expect(byRule["keys.publishable_key_live"]?["kind"] as? String == "fail")
        #expect(byRule["keys.publishable_key_live"]?["level"] as? String == "error")
        #expect(byRule["keys.publishable_key_live"]?["baselineState"] as? String == "unchanged")
        #expect(byRule["tls.certificates_valid"]?["level"] as? String == "warning")
        #expect(byRule["tls.certificates_valid"]?["baselineState"] as? String == "new")
        #expect(byRule["dns.frontend_api_cname"]?["kind"] as? String == "review")
        #expect(byRule["dns.frontend_api_cname"]?["level"] as? String == "none")
        #expect(byRule["instance.production_active"]?["kind"] as? String == "notApplicable")
        #expect(byRule["keys.secret_key_live"]?["kind"] as? String == "pass")
        // a waived finding is suppressed, with the reason
        let suppressions = try #require(byRule["web.csp_allows_clerk"]?["suppressions"] as? [[String: Any]])
        #expect(suppressions.first?["kind"] as? String == "external")
        #expect(suppressions.first?["justification"] as? String == "CSP rolled out next sprint")
        // security-severity is a string; fingerprints are stable
        let properties = try #require(byRule["keys.publishable_key_live"]?["properties"] as? [String: Any])
        #expect(properties["security-severity"] as? String == "9.0")
        #expect((byRule["keys.publishable_key_live"]?["partialFingerprints"] as? [String: String])?["preflightFingerprint/v1"]
            == SampleReport.findings[0].fingerprint)
        // a file finding points at the file in the repository; a URL finding at the line that configures it
        func location(_ rule: String) -> (String?, Int?) {
            let physical = ((byRule[rule]?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let uri = (physical?["artifactLocation"] as? [String: Any])?["uri"] as? String
            return (uri, (physical?["region"] as? [String: Any])?["startLine"] as? Int)
        }
        #expect(location("keys.publishable_key_live") == ("Examples/app/.env.production", 3))
        #expect(location("tls.certificates_valid") == ("Examples/app/preflight.yml", 3))
        #expect(location("dns.frontend_api_cname") == ("Examples/app/preflight.yml", 2))
        #expect((byRule["tls.certificates_valid"]?["properties"] as? [String: Any])?["url"] as? String == "https://example.com/")
    }

    @Test func junitCountsAsJunitparserReadsThem() throws {
        let read = try ExternalValidators.readJUnit(JUnitReporter().render(SampleReport.report))
        // keys fail -> failure; tls warns below the gate -> passes; dns could not decide -> error;
        // csp waived and instance skipped -> skipped; keys pass -> passes.
        #expect(read["total"] as? [String: Int] == ["tests": 6, "failures": 1, "errors": 1, "skipped": 2, "passed": 2])
        #expect(read["attributes"] as? [String: Int] == ["tests": 6, "failures": 1, "errors": 1, "skipped": 2])
        let suites = try #require(read["suites"] as? [String: [String: Int]])
        #expect(suites["keys"] == ["tests": 2, "failures": 1, "errors": 0, "skipped": 0, "passed": 1])
        for app in ["misconfigured-app", "ready-app"] {
            let xml = try String(contentsOfFile: Golden.packageRoot.appendingPathComponent("reports/\(app).junit.xml").path, encoding: .utf8)
            let counts = try #require(try ExternalValidators.readJUnit(xml)["total"] as? [String: Int])
            // At the default gate (error), every fail gates and every warning does not.
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Golden.packageRoot.appendingPathComponent("reports/\(app).json"))) as? [String: Any])
            let summary = try #require(json["summary"] as? [String: Int])
            #expect(counts["failures"] == summary["fail"], "\(app): \(counts)")
            #expect(counts["errors"] == summary["error"], "\(app): \(counts)")
            #expect(counts["tests"] == (json["findings"] as? [Any])?.count, "\(app): \(counts)")
        }
        // Hostile text stays text.
        let hostile = try ExternalValidators.readJUnit(JUnitReporter().render(Self.hostile))
        #expect((hostile["total"] as? [String: Int])?["failures"] == 2)
    }

    @Test func markdownStaysUnderGitHubsLimit() {
        var report = SampleReport.report
        report.findings = (0..<5_000).map { index in
            Finding(checkID: "leakage.no_development_keys", title: "t", outcome: index % 3 == 0 ? .warn : .fail, severity: index % 3 == 0 ? .warning : .critical,
                    message: "development publishable key for foo-\(index).clerk.accounts.dev in built file dist/assets/chunk-\(index).js | with a pipe",
                    hint: "h", target: .file(path: "dist/assets/chunk-\(index).js", line: 1, column: index, subject: "pk_test_\(index)"))
        }
        let markdown = MarkdownReporter().render(report)
        #expect(markdown.count < 65_000, "\(markdown.count) characters")
        #expect(markdown.contains("### What fails the gate (3333)"))
        #expect(markdown.contains("more (see the full report)"))
        // Worst first: the first row is critical.
        let firstRow = markdown.split(separator: "\n").first { $0.hasPrefix("| ❌") || $0.hasPrefix("| ⚠️") }
        #expect(firstRow?.contains("| critical |") == true)
        #expect(!markdown.contains(" | with a pipe |"), "pipes in cells are escaped")
    }

    @Test func htmlShowsHostileContentAsText() throws {
        let html = HTMLReporter().render(Self.hostile)
        #expect(!html.contains("<script>document.body"), "an injected script tag reached the page")
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains(#"" onmouseover=""#))
        #expect(html.contains("&lt;script&gt;document.body.setAttribute(&#39;data-pwned&#39;,&#39;1&#39;)&lt;/script&gt;"))
        #expect(!html.contains("href=\"javascript:"), "only web links are links")
        #expect(html.components(separatedBy: "<script>").count == 2, "one script: the report's own")
    }

    /// The CSP hash in the page is the hash of the script in the page.
    @Test func theScriptHashMatchesTheScript() throws {
        let html = HTMLReporter().render(SampleReport.report)
        let start = try #require(html.range(of: "<script>"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("script-\(UUID().uuidString).js")
        try String(html[start.upperBound..<end.lowerBound]).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let python = try #require(ChildProcess.which("python3"))
        let result = try ChildProcess.run(python, ["-c", "import base64, hashlib, sys; print('sha256-' + base64.b64encode(hashlib.sha256(open(sys.argv[1], 'rb').read()).digest()).decode())", file.path],
                                          environment: ProcessInfo.processInfo.environment)
        let hash = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(html.contains("script-src '\(hash)'"), "the CSP names another hash than \(hash): update HTMLTemplate.scriptHash")
    }

    /// In a real browser: the counts are right, the filters work, nothing injected ran.
    @Test func htmlInHeadlessChromium() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let hostileFile = folder.appendingPathComponent("hostile.html")
        try HTMLReporter().render(Self.hostile).write(to: hostileFile, atomically: true, encoding: .utf8)
        let dom = try ExternalValidators.chromiumDOM(htmlFile: hostileFile.path)
        #expect(dom.contains(#"<html lang="en" class="js">"#), "the report's own script ran")
        #expect(!dom.contains("<body data-pwned"), "an injected script ran")
        #expect(dom.contains("<body>"))
        #expect(dom.contains(#"<span id="shown">7</span>"#))

        // The demo report: its counts as the browser shows them; a screenshot for people.
        let demo = Golden.packageRoot.appendingPathComponent("reports/misconfigured-app.html").path
        let screenshot = folder.appendingPathComponent("misconfigured-app.png").path
        let demoDOM = try ExternalValidators.chromiumDOM(htmlFile: demo, screenshot: screenshot)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Golden.packageRoot.appendingPathComponent("reports/misconfigured-app.json"))) as? [String: Any])
        let summary = try #require(json["summary"] as? [String: Int])
        for outcome in ["fail", "error", "warn", "skipped", "pass"] {
            #expect(demoDOM.contains(#"<div class="count \#(outcome)" data-outcome="\#(outcome)"><b>\#(summary[outcome]!)</b>"#), "\(outcome)")
        }
        #expect(FileManager.default.fileExists(atPath: screenshot))
        let size = (try FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "a screenshot of \(size) bytes")
        if let keep = ProcessInfo.processInfo.environment["PREFLIGHT_SCREENSHOT"] { try? FileManager.default.copyItem(atPath: screenshot, toPath: keep) }
    }
}
