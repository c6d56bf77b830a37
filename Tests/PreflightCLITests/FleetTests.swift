import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// Several apps in one run, against the local servers: one report per format with every app,
/// the worst app's exit code, shards that merge back into the unsharded run, a monorepo found
/// from its root, and `--wait` for records that appear late or never.
@Suite struct FleetTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    static func key(_ domain: String) -> String {
        PublishableKey.encode(host: "clerk.\(domain)", instance: .production)
    }

    /// Three apps: `storefront` ready on example.test, `backoffice` on a domain whose CNAME is
    /// missing (not ready), `helpcenter` on nodmarc.test (a warning, below the gate: ready).
    /// Names no report would hold by accident, so "every format names every app" can fail.
    static let fleetFiles: [String: String] = [
        "apps.yml": """
            # The fleet: names are what the reports show.
            - {path: storefront, name: storefront}
            - {path: backoffice, name: backoffice}
            - {path: helpcenter, name: helpcenter}
            """,
        "storefront/.env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(key("example.test"))\n",
        "storefront/preflight.yml": "app:\n  domain: example.test\n  url: https://example.test/\n",
        "backoffice/.env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(key("missing.test"))\n",
        "backoffice/preflight.yml": "app:\n  domain: missing.test\n",
        "helpcenter/.env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(key("nodmarc.test"))\n",
        "helpcenter/preflight.yml": "app:\n  domain: nodmarc.test\n  url: https://nodmarc.test/\n",
    ]

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func everyFormatHasEveryAppAndTheWorstExitCode() throws {
        let folder = try AppFolder(Self.fleetFiles)
        let out = folder.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let formats = ["text": "txt", "html": "html", "sarif": "sarif", "junit": "junit.xml", "markdown": "md"]
        let result = try Preflight.run(
            ["check", "--apps", folder.path + "/apps.yml", "--format", "json"] + formats.flatMap { ["--report", "\($0.key)=\(out.path)/report.\($0.value)"] }
                + fixture.flags())
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let report = try json(result.stdout)
        let apps = try #require(report["apps"] as? [[String: Any]])
        #expect(apps.map { $0["name"] as? String } == ["backoffice", "helpcenter", "storefront"])
        #expect(apps.map { $0["exit_code"] as? Int } == [1, 0, 0])
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["app"] as? String }) == ["backoffice", "helpcenter", "storefront"])
        #expect(findings.contains { $0["app"] as? String == "backoffice" && $0["check_id"] as? String == "dns.frontend_api_cname" && $0["outcome"] as? String == "fail" })
        #expect(findings.contains { $0["app"] as? String == "helpcenter" && $0["check_id"] as? String == "dns.dmarc_present" && $0["outcome"] as? String == "warn" })
        let validation = try SchemaValidator.validate(json: result.stdout)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")

        for (format, ending) in formats {
            let text = try String(contentsOf: out.appendingPathComponent("report.\(ending)"), encoding: .utf8)
            for app in ["backoffice", "helpcenter", "storefront"] { #expect(text.contains(app), "\(format) lacks \(app)") }
        }
        let sarif = try String(contentsOf: out.appendingPathComponent("report.sarif"), encoding: .utf8)
        #expect(try ExternalValidators.validateSARIF(sarif).status == 0)
        let runs = try #require(try json(sarif)["runs"] as? [[String: Any]])
        #expect(runs.map { ($0["automationDetails"] as? [String: Any])?["id"] as? String } == ["preflight/backoffice/", "preflight/helpcenter/", "preflight/storefront/"])
        let junit = try ExternalValidators.readJUnit(try String(contentsOf: out.appendingPathComponent("report.junit.xml"), encoding: .utf8))
        let suites = try #require(junit["suites"] as? [String: [String: Int]])
        #expect(suites["backoffice/dns"]?["failures"] ?? 0 >= 1)
        #expect(suites["storefront/dns"]?["failures"] == 0)
        // Problems are named with their app in the people's formats.
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("| ❌ | `backoffice` |"))
        let text = try String(contentsOf: out.appendingPathComponent("report.txt"), encoding: .utf8)
        #expect(text.contains("FAIL  backoffice dns.frontend_api_cname"))
    }

    @Test func shardsMergeIntoTheUnshardedRun() throws {
        let folder = try AppFolder(Self.fleetFiles)
        let apps = folder.path + "/apps.yml"
        let whole = try Preflight.run(["check", "--apps", apps, "--format", "json", "--output", folder.path + "/whole.json"] + fixture.flags())
        #expect(whole.status == 1, "\(whole.stderr)")
        var shardApps: [[String]] = []
        for index in 1...2 {
            let shard = try Preflight.run(
                ["check", "--apps", apps, "--shard", "\(index)/2", "--format", "json", "--output", folder.path + "/shard\(index).json"] + fixture.flags())
            let report = try json(try String(contentsOfFile: folder.path + "/shard\(index).json", encoding: .utf8))
            shardApps.append((report["apps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            #expect(shard.status == (shardApps.last!.contains("backoffice") ? 1 : 0), "\(shard.stderr)")
        }
        // Each app in exactly one shard, and neither shard empty (the names were chosen so).
        #expect(Set(shardApps.flatMap { $0 }) == ["backoffice", "helpcenter", "storefront"])
        #expect(shardApps.flatMap { $0 }.count == 3)
        #expect(shardApps.allSatisfy { !$0.isEmpty }, "\(shardApps)")

        let merged = try Preflight.run(["merge", folder.path + "/shard1.json", folder.path + "/shard2.json", "--format", "json"])
        #expect(merged.status == 1, "\(merged.stderr)")
        // Equal apart from `run` (its times and the target shown).
        let expected = try String(contentsOfFile: folder.path + "/whole.json", encoding: .utf8)
        #expect(try LiveCheckTests.withoutRunMetadata(merged.stdout) == LiveCheckTests.withoutRunMetadata(expected))

        // Any format comes out of a merge; the same app twice is refused.
        let sarif = try Preflight.run(["merge", folder.path + "/shard1.json", folder.path + "/shard2.json", "--format", "sarif"])
        #expect(try ExternalValidators.validateSARIF(sarif.stdout).status == 0)
        let twice = try Preflight.run(["merge", folder.path + "/shard1.json", folder.path + "/shard1.json"])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("is in both"))
        let notJSON = try Preflight.run(["merge", folder.path + "/apps.yml"])
        #expect(notJSON.status == 2)
        #expect(notJSON.stderr.contains("not a Preflight JSON report"))
    }

    @Test func aMonorepoIsFoundFromItsRoot() throws {
        let result = try Preflight.run(["check", Preflight.example("monorepo"), "--offline", "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("checking the 2 app(s) found under it: apps/admin, apps/web"))
        let report = try json(result.stdout)
        #expect((report["apps"] as? [[String: Any]])?.map { $0["name"] as? String } == ["apps/admin", "apps/web"])
        #expect((report["apps"] as? [[String: Any]])?.map { $0["verdict"] as? String } == ["not_ready", "ready"])
        let failing = (report["findings"] as? [[String: Any]] ?? []).filter { $0["outcome"] as? String == "fail" }
        #expect(Set(failing.compactMap { $0["app"] as? String }) == ["apps/admin"])
        #expect(failing.contains { $0["check_id"] as? String == "keys.publishable_key_live" })

        // A folder with neither a configuration nor apps says where it looked.
        let empty = try AppFolder(["README.md": "nothing here\n"])
        let nothing = try Preflight.run(["check", empty.path, "--offline"])
        #expect(nothing.stderr.contains("looked at package.json and pnpm-workspace.yaml workspaces, apps/*, packages/*"))
    }

    @Test func aBadAppsFileIsAUsageErrorThatSaysWhere() throws {
        let folder = try AppFolder(["apps.yml": "- storefront\n- {path: storefront, nmae: x}\n", "storefront/preflight.yml": "app:\n  domain: example.test\n"])
        let result = try Preflight.run(["check", "--apps", folder.path + "/apps.yml", "--offline"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("apps.yml:2:3: an app entry takes path, name and config"), "\(result.stderr)")
        let missing = try Preflight.run(["check", "--apps", folder.path + "/apps.yml.gone", "--offline"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read"))
    }

    /// A baseline of the whole fleet used by its shards: a shard counts as fixed only its own
    /// apps' entries, and the merged report adds them up to what one run would say.
    @Test func shardsCountOnlyTheirOwnBaselineEntriesAsFixed() throws {
        let folder = try AppFolder(Self.fleetFiles)
        let apps = folder.path + "/apps.yml"
        let baseline = folder.path + "/baseline.json"
        let written = try Preflight.run(["baseline", "write", baseline, "--apps", apps] + fixture.flags())
        #expect(written.status == 0, "\(written.stderr)")
        let entries = try #require(try json(try String(contentsOfFile: baseline, encoding: .utf8))["entries"] as? [[String: Any]])
        #expect(entries.contains { $0["app"] as? String == "backoffice" }, "\(entries)")
        // Nothing changed: nothing fixed, in the whole run and in each shard.
        func fixed(_ report: [String: Any]) -> Int? { (report["baseline"] as? [String: Any])?["fixed"] as? Int }
        let whole = try Preflight.run(["check", "--apps", apps, "--baseline", baseline, "--format", "json"] + fixture.flags())
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(fixed(try json(whole.stdout)) == 0)
        for index in 1...2 {
            let shard = try Preflight.run(
                ["check", "--apps", apps, "--shard", "\(index)/2", "--baseline", baseline, "--format", "json", "--output", folder.path + "/shard\(index).json"]
                    + fixture.flags())
            #expect(shard.status == 0, "\(shard.stderr)")
            #expect(fixed(try json(try String(contentsOfFile: folder.path + "/shard\(index).json", encoding: .utf8))) == 0)
        }
        let merged = try Preflight.run(["merge", folder.path + "/shard1.json", folder.path + "/shard2.json", "--format", "json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(fixed(try json(merged.stdout)) == 0)
        #expect((try json(merged.stdout)["baseline"] as? [String: Any])?["path"] as? String == baseline)
    }

    @Test func everyAppsBadFilesAreNamedBeforeAnythingIsChecked() throws {
        let folder = try AppFolder([
            "apps.yml": "- storefront\n- typo\n- snapshot\n",
            "storefront/preflight.yml": "app:\n  domain: example.test\n",
            "typo/preflight.yml": "app:\n  domian: example.test\n",
            "snapshot/preflight.yml": "app:\n  domain: example.test\nclerk:\n  instance_snapshot: gone.json\n",
        ])
        let report = folder.path + "/report.json"
        let result = try Preflight.run(["check", "--apps", folder.path + "/apps.yml", "--offline", "--output", report])
        #expect(result.status == 2)
        // Both broken apps, not only the first; each problem where it is.
        #expect(result.stderr.contains("typo/preflight.yml:2:3: unknown key 'domian'"), "\(result.stderr)")
        #expect(result.stderr.contains("preflight: snapshot: cannot read the instance snapshot"), "\(result.stderr)")
        #expect(result.stderr.contains("2 of 3 apps cannot be read (typo, snapshot); nothing was checked"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: report))
    }

    /// late.test does not exist on the fault server until a few seconds after the first question.
    @Test func waitEndsReadyWhenTheRecordsAppear() throws {
        let app = try AppFolder([
            ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(Self.key("late.test"))\n",
            "preflight.yml": "app:\n  domain: late.test\n  url: https://late.test/\n",
        ])
        let started = Date()
        let result = try Preflight.run(["check", app.path, "--wait", "--wait-timeout", "40s", "--format", "json"] + fixture.flags(dnsPort: fixture.dns.faults))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        // Not a terminal: plain lines on standard error, nothing on standard output but the report.
        #expect(result.stderr.contains("preflight: waiting for dns.accounts_portal_cname, dns.frontend_api_cname"))
        #expect(!result.stderr.contains("\u{1B}[K"))
        let findings = try #require(try json(result.stdout)["findings"] as? [[String: Any]])
        #expect(findings.first { $0["check_id"] as? String == "dns.frontend_api_cname" }?["outcome"] as? String == "pass")
        #expect(findings.first { $0["check_id"] as? String == "dns.dmarc_present" }?["outcome"] as? String == "pass")
    }

    /// What the baseline counts as fixed is read from the last attempt, not the first. late2.test
    /// has its own clock on the fault server, so this test does not start late.test's.
    @Test func waitCountsTheBaselineFixedAtTheEnd() throws {
        let app = try AppFolder([
            ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(Self.key("late2.test"))\n",
            "preflight.yml": "app:\n  domain: late2.test\n",
        ])
        let only = ["--only", "dns.frontend_api_cname,dns.accounts_portal_cname"]
        // The Frontend API record accepted as a known problem (asked of a port nobody answers on).
        let baseline = "\(app.path)/baseline.json"
        let written = try Preflight.run(
            ["baseline", "write", baseline, app.path, "--only", "dns.frontend_api_cname", "--dns-tries", "1"] + fixture.flags(dnsPort: 9))
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("1 finding(s) accepted"), "\(written.stdout)")
        // Both records are missing at first: the Account Portal's is new and gates, so it is
        // waited for; when the records appear the Frontend API's baseline entry is fixed.
        let result = try Preflight.run(
            ["check", app.path, "--wait", "--wait-timeout", "40s", "--baseline", baseline, "--format", "json"] + only
                + fixture.flags(dnsPort: fixture.dns.faults))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("preflight: waiting for dns.accounts_portal_cname"))
        let report = try json(result.stdout)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.allSatisfy { $0["outcome"] as? String == "pass" }, "\(findings)")
        #expect((report["baseline"] as? [String: Any])?["fixed"] as? Int == 1, "\(report["baseline"] ?? "no baseline")")
    }

    @Test func waitEndsAtTheDeadlineWithItsOwnCode() throws {
        let app = try AppFolder(["preflight.yml": "app:\n  domain: missing.test\n"])
        let started = Date()
        let result = try Preflight.run(
            ["check", app.path, "--only", "dns.frontend_api_cname", "--wait=3s", "--format", "json"] + fixture.flags(dnsPort: fixture.dns.faults))
        #expect(result.status == 4, "\(result.stderr)")
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 3 && elapsed < 15, "\(elapsed)")
        #expect(result.stderr.contains("gave up waiting after 3s"))
        // The report is the last attempt's: still failing; it says the wait ran out, with the code.
        let report = try json(result.stdout)
        #expect(report["verdict"] as? String == "not_ready")
        #expect(report["exit_code"] as? Int == 4)
        #expect((report["run"] as? [String: Any])?["wait_timed_out"] as? Bool == true)
        #expect(try SchemaValidator.validate(json: result.stdout).status == 0)
        // A merge of it (a shard that ran out of time) exits as the run did.
        let saved = app.path + "/report.json"
        try result.stdout.write(toFile: saved, atomically: true, encoding: .utf8)
        let merged = try Preflight.run(["merge", saved, "--format", "markdown"])
        #expect(merged.status == 4, "\(merged.stderr)")
        #expect(merged.stdout.contains("(exit 4)"), "\(merged.stdout)")
        let html = try Preflight.run(["merge", saved, "--format", "html"])
        #expect(html.status == 4 && html.stdout.contains("— exit 4"), "\(html.stderr)")

        // A problem in the files is not waited for.
        let files = try AppFolder(["preflight.yml": "app:\n  domain: missing.test\n", ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\n"])
        let quick = try Preflight.run(["check", files.path, "--wait=1m", "--only", "dns.frontend_api_cname,keys.publishable_key_live"] + fixture.flags(dnsPort: fixture.dns.faults))
        #expect(quick.status == 1)
        #expect(quick.stderr.contains("not waiting: keys.publishable_key_live fail on files"))
    }

    /// Apps pausing between attempts leave the window of apps in flight (8 at --concurrency 1):
    /// nine apps waiting for records that never come wait side by side, not in two waves.
    @Test func appsThatWaitDoNotHoldBackTheOthers() throws {
        var files = ["apps.yml": "- apps/*\n"]
        for index in 1...9 { files["apps/app\(index)/preflight.yml"] = "app:\n  domain: missing.test\n" }
        let folder = try AppFolder(files)
        let started = Date()
        let result = try Preflight.run(
            ["check", "--apps", folder.path + "/apps.yml", "--only", "dns.frontend_api_cname", "--wait=3s", "--concurrency", "1", "--format", "json"]
                + fixture.flags(dnsPort: fixture.dns.faults))
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "gave up waiting after 3s").count == 10, "\(result.stderr)")
        // One wave is 3 s; a second would end after 6.
        #expect(elapsed >= 3 && elapsed < 5.5, "\(elapsed)")
    }

    @Test func progressOnlyOnATerminal() throws {
        let script = try #require(ChildProcess.which("script"))
        let app = try AppFolder(["preflight.yml": "app:\n  domain: missing.test\n"])
        let command = ([Preflight.binary, "check", app.path, "--only", "dns.frontend_api_cname", "--wait=2s", "--quiet"] + fixture.flags(dnsPort: fixture.dns.faults))
            .map { "'\($0)'" }.joined(separator: " ")
        // `script` gives the command a terminal; standard output and error both land in the transcript.
        let result = try ChildProcess.run(script, ["-qefc", command, "/dev/null"], environment: Preflight.baseEnvironment, timeout: 30)
        #expect(result.stdout.contains("\r\u{1B}[Kwaiting for dns.frontend_api_cname"), "\(result.stdout)")
        // ... and the fleet's progress line.
        let fleet = try AppFolder(Self.fleetFiles)
        let fleetCommand = ([Preflight.binary, "check", "--apps", fleet.path + "/apps.yml", "--quiet"] + fixture.flags()).map { "'\($0)'" }.joined(separator: " ")
        let fleetRun = try ChildProcess.run(script, ["-qefc", fleetCommand, "/dev/null"], environment: Preflight.baseEnvironment, timeout: 30)
        #expect(fleetRun.stdout.contains("[3/3 apps] 1 not ready"), "\(fleetRun.stdout)")
        // Lines written while it shows (an app's --wait attempts) go above it, never into it.
        let waiting = try ChildProcess.run(script, ["-qefc", fleetCommand + " --wait=2s --only dns.frontend_api_cname", "/dev/null"], environment: Preflight.baseEnvironment, timeout: 30)
        #expect(waiting.stdout.contains("preflight: backoffice: gave up waiting after 2s"), "\(waiting.stdout)")
        #expect(waiting.stdout.contains("[3/3 apps] 1 not ready"), "\(waiting.stdout)")
        // While backoffice waits, the line counts it.
        #expect(waiting.stdout.contains("[2/3 apps] 0 not ready, 1 waiting"), "\(waiting.stdout)")
        #expect(!waiting.stdout.contains("not readypreflight") && !waiting.stdout.contains("apps]preflight"), "\(waiting.stdout)")
        // Without a terminal, none of it.
        let piped = try Preflight.run(["check", "--apps", fleet.path + "/apps.yml", "--quiet"] + fixture.flags())
        #expect(!piped.stderr.contains("apps]") && !piped.stdout.contains("apps]"))
    }
}
