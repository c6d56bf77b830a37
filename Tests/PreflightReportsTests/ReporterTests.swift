import Foundation
import PreflightCore
import PreflightReports
import PreflightTestSupport
import Testing

/// A report with one finding of every kind, fixed in time, for golden files.
enum SampleReport {
    static let metadata = ReportMetadata(
        toolVersion: "0.1.0", startedAt: Date(timeIntervalSince1970: 1_798_761_600),
        finishedAt: Date(timeIntervalSince1970: 1_798_761_600.25), targetPath: "Examples/app",
        configPath: "Examples/app/preflight.yml", failOn: .error, offline: false)

    static let findings: [Finding] = [
        Finding(
            checkID: "keys.publishable_key_live", title: "Publishable key is a production key", outcome: .fail,
            severity: .critical, message: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY is a development key (pk_test_) for foo-bar-13.clerk.accounts.dev",
            hint: "Copy the publishable key from the production instance", target: .file(path: ".env.production", line: 3, column: 35, subject: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"),
            evidence: [EvidenceItem("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk")],
            docs: "https://clerk.com/docs/deployments/overview"),
        Finding(
            checkID: "tls.certificates_valid", title: "Certificates are valid", outcome: .warn, severity: .warning,
            message: "certificate of example.com expires in 21 days", hint: "Renew it", target: .url("https://example.com/"),
            evidence: [EvidenceItem("not after", "2027-01-22T00:00:00Z")]),
        Finding(
            checkID: "dns.frontend_api_cname", title: "Frontend API CNAME", outcome: .error("DNS timeout after 2000 ms"),
            severity: .critical, message: "DNS timeout after 2000 ms", hint: "Add the CNAME", target: .dnsName("clerk.example.com")),
        Finding(
            checkID: "web.csp_allows_clerk", title: "CSP allows Clerk", outcome: .fail, severity: .error,
            message: "script-src does not allow clerk.example.com", hint: "Add the host", target: .url("https://example.com/"),
            waiver: Waiver(checkID: "web.csp_allows_clerk", target: "https://example.com/", reason: "CSP rolled out next sprint", owner: "platform-team", expires: "2027-01-31")),
        Finding(
            checkID: "instance.production_active", title: "Production instance answers", outcome: .skipped("needs the network; --offline was given"),
            severity: .critical, message: "needs the network; --offline was given", hint: "h", target: .application, unmetNeed: true),
        Finding(
            checkID: "keys.secret_key_live", title: "Secret key is a production key", outcome: .pass, severity: .critical,
            message: "CLERK_SECRET_KEY is a production secret key", hint: "h", target: .environment(variable: "CLERK_SECRET_KEY"),
            evidence: [EvidenceItem("CLERK_SECRET_KEY", "sk_live_…abcd")]),
    ]

    static let report = Report(metadata: metadata, findings: findings, checks: [])
}

@Suite struct ReporterTests {
    @Test func textGolden() {
        Golden.assertMatches(TextReporter().render(SampleReport.report), file: "Tests/PreflightReportsTests/Golden/report.txt")
    }

    @Test func textQuietGolden() {
        Golden.assertMatches(TextReporter(quiet: true).render(SampleReport.report), file: "Tests/PreflightReportsTests/Golden/report-quiet.txt")
    }

    @Test func textColourOnlyWhenAsked() {
        #expect(!TextReporter(color: false).render(SampleReport.report).contains("\u{1B}["))
        let coloured = TextReporter(color: true).render(SampleReport.report)
        #expect(coloured.contains("\u{1B}[31mFAIL"))
        #expect(coloured.contains("\u{1B}[0m"))
    }

    @Test func textSummaryCountsAndVerdict() {
        let text = TextReporter().render(SampleReport.report)
        #expect(text.hasSuffix("""
            6 results: 1 passed, 1 failed, 1 warned, 1 could not decide, 1 skipped, 1 waived — not ready (exit 1, fail on error)
            1 check could not run; what would let them:
              - needs the network; --offline was given: instance.production_active

            """))
    }

    @Test func jsonGolden() {
        Golden.assertMatches(JSONReporter().render(SampleReport.report), file: "Tests/PreflightReportsTests/Golden/report.json")
    }

    @Test func jsonValidatesAgainstTheCommittedSchema() throws {
        let json = JSONReporter().render(SampleReport.report)
        let result = try SchemaValidator.validate(json: json)
        #expect(result.status == 0, "schema validation failed: \(result.stdout)\(result.stderr)")
    }

    @Test func schemaRejectsAReportThatBreaksIt() throws {
        // The validator must be able to fail, or the test above proves nothing.
        let broken = JSONReporter().render(SampleReport.report).replacingOccurrences(of: "\"outcome\" : \"warn\"", with: "\"outcome\" : \"maybe\"")
        let result = try SchemaValidator.validate(json: broken)
        #expect(result.status != 0)
    }

    @Test func jsonIsDeterministicAndSorted() {
        let first = JSONReporter().render(SampleReport.report)
        #expect(first == JSONReporter().render(SampleReport.report))
        let keys = first.split(separator: "\n").prefix(8).map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(keys.first == "{")
        // Keys sorted; "apps" only in a run over several apps.
        #expect(keys[1].hasPrefix("\"exit_code\""))
    }
}

