import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// The gate on the real binary: report formats and destinations, the baseline, waivers.
/// Offline, on an app whose env files give known findings.
@Suite struct GatingTests {
    /// Two critical key problems: a development key, and a secret key in a browser variable.
    static let app: [String: String] = [
        ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\n",
        "preflight.yml": "app:\n  domain: example.com\n",
    ]

    func findings(_ stdout: String) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    @Test func everyFormatFromOneRun() throws {
        let app = try AppFolder(Self.app)
        let formats = ["text", "json", "html", "sarif", "junit", "markdown"]
        let result = try Preflight.run(["check", app.path, "--offline", "--format", "sarif"]
            + formats.flatMap { ["--report", "\($0)=\(app.path)/out.\($0)"] })
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"version\" : \"2.1.0\""))
        for format in formats {
            let text = try String(contentsOfFile: "\(app.path)/out.\(format)", encoding: .utf8)
            #expect(!text.isEmpty, "\(format)")
        }
        #expect(try String(contentsOfFile: "\(app.path)/out.html", encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        #expect(try String(contentsOfFile: "\(app.path)/out.junit", encoding: .utf8).contains("<testsuites"))
        #expect(try String(contentsOfFile: "\(app.path)/out.markdown", encoding: .utf8).hasPrefix("## Preflight: ❌ not ready"))
    }

    @Test func badDestinationsAndFormatsExitTwoBeforeAnyProbe() throws {
        let app = try AppFolder(Self.app)
        // A closed DNS port would make any probe fail slowly; exit 2 comes first.
        let network = ["--dns-server", "127.0.0.1:9", "--dns-timeout-ms", "5000"]
        let started = Date()
        let unknown = try Preflight.run(["check", app.path, "--report", "pdf=\(app.path)/out.pdf"] + network)
        #expect(unknown.status == 2)
        let missing = try Preflight.run(["check", app.path, "--report", "sarif=\(app.path)/no/such/folder/out.sarif"] + network)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot write \(app.path)/no/such/folder/out.sarif: no such folder"))
        let folder = try Preflight.run(["check", app.path, "--output", app.path] + network)
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("it is a directory; reports are written only to regular files"))
        let badFormat = try Preflight.run(["check", app.path, "--format", "pdf"])
        #expect(badFormat.status == 2)
        #expect(Date().timeIntervalSince(started) < 4, "nothing was probed")
    }

    @Test func aBaselineLetsOnlyNewFindingsGate() throws {
        let app = try AppFolder(Self.app)
        let baseline = "\(app.path)/baseline.json"
        let written = try Preflight.run(["baseline", "write", baseline, app.path, "--offline"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("1 finding(s) accepted"), "\(written.stdout)")

        // Same findings: old, shown, not gating.
        let same = try Preflight.run(["check", app.path, "--offline", "--baseline", baseline, "--format", "json"])
        #expect(same.status == 0, "\(same.stdout)")
        let old = try findings(same.stdout).filter { $0["baseline_state"] as? String == "unchanged" }
        #expect(old.map { $0["check_id"] as? String } == ["keys.publishable_key_live"])
        #expect(old.first?["outcome"] as? String == "fail", "an old finding is still shown as what it is")

        // A new problem gates; the old one still does not.
        try "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\nNEXT_PUBLIC_CLERK_SECRET_KEY=sk_live_BaselineTestSecret0000000000000000abcd\n"
            .write(toFile: "\(app.path)/.env.production", atomically: true, encoding: .utf8)
        let new = try Preflight.run(["check", app.path, "--offline", "--baseline", baseline, "--format", "json"])
        #expect(new.status == 1)
        let states = Dictionary(try findings(new.stdout).compactMap { f in (f["baseline_state"] as? String).map { (f["check_id"] as! String, $0) } }) { a, _ in a }
        #expect(states["keys.no_secret_in_public_variable"] == "new")
        #expect(states["keys.publishable_key_live"] == "unchanged")

        // The old problem fixed: it drops out and is counted.
        try "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\n".write(toFile: "\(app.path)/.env.production", atomically: true, encoding: .utf8)
        let fixed = try Preflight.run(["check", app.path, "--offline", "--baseline", baseline, "--no-color"])
        #expect(fixed.status == 0)
        #expect(fixed.stdout.contains("baseline \(baseline): 0 new, 0 unchanged (not gating), 1 fixed"), "\(fixed.stdout)")

        let broken = try Preflight.run(["check", app.path, "--offline", "--baseline", "\(app.path)/preflight.yml"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("not a Preflight baseline"))
    }

    @Test func anExpiredWaiverMakesTheGateFailAgain() throws {
        var files = Self.app
        func waived(until date: String) throws -> ChildProcess.Result {
            files["preflight.yml"] = """
                app:
                  domain: example.com
                waivers:
                  - id: keys.publishable_key_live
                    reason: the production instance is being created
                    owner: platform-team
                    expires: \(date)
                  - id: dns.mail_records
                    reason: mail is sent by another provider
                    owner: platform-team
                    expires: 2099-01-01
                """
            let app = try AppFolder(files)
            return try Preflight.run(["check", app.path, "--offline", "--no-color"], environment: ["SOURCE_DATE_EPOCH": "1798761600"])
        }
        let active = try waived(until: "2027-01-01")  // the clock says 2027-01-01: the whole day counts
        #expect(active.status == 0, "\(active.stdout)")
        #expect(active.stdout.contains("waived: the production instance is being created (owner platform-team), until 2027-01-01"))
        #expect(active.stderr.contains("waiver for dns.mail_records matches no finding: remove it"), "\(active.stderr)")

        let expired = try waived(until: "2026-12-31")
        #expect(expired.status == 1)
        #expect(expired.stderr.contains("waiver for keys.publishable_key_live expired on 2026-12-31 and no longer applies"), "\(expired.stderr)")
        #expect(expired.stdout.contains("waiver: waiver for keys.publishable_key_live expired on 2026-12-31"))
    }

    @Test func noWaiversIgnoresThemAll() throws {
        var files = Self.app
        files["preflight.yml"] = "app:\n  domain: example.com\nwaivers:\n  - { id: keys.publishable_key_live, reason: r, owner: o, expires: 2099-01-01 }\n"
        let app = try AppFolder(files)
        #expect(try Preflight.run(["check", app.path, "--offline"]).status == 0)
        #expect(try Preflight.run(["check", app.path, "--offline", "--no-waivers"]).status == 1)
    }

    @Test func waiversWithoutAnEndDateAreRefused() throws {
        var files = Self.app
        files["preflight.yml"] = "app:\n  domain: example.com\nwaivers:\n  - id: keys.publishable_key_live\n    reason: forever\n"
        let app = try AppFolder(files)
        let result = try Preflight.run(["check", app.path, "--offline"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("preflight.yml:4:5: a waiver needs 'expires' (a date like 2027-01-31)"), "\(result.stderr)")
    }
}
