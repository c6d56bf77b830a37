import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// The real binary against the real local servers: DNS from dnsmasq, HTTPS with a test CA,
/// Clerk-shaped Frontend API answers. Nothing leaves the machine.
@Suite struct LiveCheckTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    /// An app on example.test whose key points at clerk.example.test.
    static let readyApp: [String: String] = [
        ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.example.test", instance: .production))\n",
        "preflight.yml": "app:\n  domain: example.test\n  url: https://example.test/\n",
    ]

    func findings(_ json: String) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    func outcomes(_ json: String) throws -> [String: String] {
        Dictionary(try findings(json).map { ($0["check_id"] as! String, $0["outcome"] as! String) }, uniquingKeysWith: { a, b in a == "pass" ? b : a })
    }

    @Test func readyAppPassesEveryLiveCheck() throws {
        let app = try AppFolder(Self.readyApp)
        let result = try Preflight.run(["check", app.path, "--format", "json"] + fixture.flags())
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let outcomes = try outcomes(result.stdout)
        #expect(outcomes["dns.frontend_api_cname"] == "pass")
        #expect(outcomes["tls.certificates_valid"] == "pass")
        #expect(outcomes["instance.production_active"] == "pass")
        #expect(outcomes["leakage.no_development_keys"] == "pass")
        #expect(outcomes["leakage.no_development_hosts"] == "pass")
        let validation = try SchemaValidator.validate(json: result.stdout)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
    }

    @Test func leakyBundleFailsWithLocations() throws {
        var files = Self.readyApp
        files["preflight.yml"] = "app:\n  domain: example.test\n  url: https://leaky.example.test/\n"
        let app = try AppFolder(files)
        let result = try Preflight.run(["check", app.path, "--format", "json", "--tag", "leakage"]
            + fixture.flags(hosts: ["leaky.example.test"]))
        #expect(result.status == 1)
        let problems = try findings(result.stdout).filter { $0["outcome"] as? String == "fail" }
        let places = problems.compactMap { ($0["target"] as? [String: Any])?["display"] as? String }.sorted()
        #expect(places == [
            "https://leaky.example.test/:6:31 (fuzzy-owl-12.accounts.dev)",
            "https://leaky.example.test/assets/leaky-app.js:1:118 (fuzzy-owl-12.accounts.dev)",
            "https://leaky.example.test/assets/leaky-app.js:1:56 (pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk)",
        ])
        let validation = try SchemaValidator.validate(json: result.stdout)
        #expect(validation.status == 0, "\(validation.stdout)\(validation.stderr)")
    }

    @Test func developmentInstanceFails() throws {
        var files = Self.readyApp
        files[".env.production"] = "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.dev.example.test", instance: .production))\n"
        let app = try AppFolder(files)
        let result = try Preflight.run(["check", app.path, "--format", "json", "--only", "instance.production_active"]
            + fixture.flags(hosts: ["clerk.dev.example.test"]))
        #expect(result.status == 1)
        let finding = try #require(try findings(result.stdout).first)
        #expect(finding["outcome"] as? String == "fail")
        #expect(finding["message"] as? String == "clerk.dev.example.test is a development instance")
    }

    @Test(arguments: [
        ("malformed", "the Frontend API answered with malformed JSON"),
        ("down", "the Frontend API did not answer: http-status: HTTP 503 (server error)"),
        ("limited", "the Frontend API did not answer: http-status: HTTP 429 (rate limited, retry after 30 s)"),
    ])
    func brokenFrontendAPIIsUndecided(name: String, message: String) throws {
        let host = "clerk.\(name).example.test"
        let app = try AppFolder([
            ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: host, instance: .production))\n",
            "preflight.yml": "app:\n  domain: example.test\n",
        ])
        // A 429's Retry-After (30 s) is waited out only within the deadline; this one does not fit.
        let result = try Preflight.run(["check", app.path, "--format", "json", "--only", "instance.production_active", "--deadline-ms", "3000"]
            + fixture.flags(hosts: [host]))
        #expect(result.status == 3, "\(result.stdout)")
        let finding = try #require(try findings(result.stdout).first)
        #expect(finding["outcome"] as? String == "error")
        #expect(finding["message"] as? String == message)
    }

    @Test func missingCNAMEAndProxiedRecordsFail() throws {
        for (domain, check, message) in [
            ("missing.test", "dns.frontend_api_cname", "clerk.missing.test does not exist (NXDOMAIN)"),
            ("proxied.test", "dns.not_proxied", "clerk.proxied.test answers with addresses 127.0.0.1 instead of a CNAME: set it to DNS only"),
        ] {
            let app = try AppFolder(["preflight.yml": "app:\n  domain: \(domain)\n"])
            let result = try Preflight.run(["check", app.path, "--format", "json", "--only", check] + fixture.flags())
            #expect(result.status == 1)
            #expect(try findings(result.stdout).filter { $0["outcome"] as? String == "fail" }.map { $0["message"] as? String } == [message])
        }
        // The CNAME check leaves a proxied record to dns.not_proxied: one problem, one finding.
        let app = try AppFolder(["preflight.yml": "app:\n  domain: proxied.test\n"])
        let result = try Preflight.run(["check", app.path, "--format", "json", "--only", "dns.frontend_api_cname"] + fixture.flags())
        #expect(try findings(result.stdout).first?["outcome"] as? String == "skipped")
    }

    /// With the secret key in the environment, the mail records are held to the instance's
    /// exact targets from the Backend API; a refused key falls back to any *.clerk.services and
    /// says why, and the key never shows.
    @Test func mailRecordsUseTheBackendAPITargets() throws {
        let app = try AppFolder(Self.readyApp)
        let secret = "sk_live_BackendApiSecretNeverShown000000000wxyz"
        func run(_ key: String) throws -> (Int32, [[String: Any]], String) {
            let result = try Preflight.run(["check", app.path, "--format", "json", "--only", "dns.mail_records"] + fixture.flags(),
                                           environment: ["CLERK_SECRET_KEY": key, "CLERK_API_URL": "https://api.clerk.test"])
            return (result.status, try findings(result.stdout), result.stdout + result.stderr)
        }
        let (status, found, output) = try run(secret)
        #expect(status == 0, "\(output)")
        #expect(found.count == 3)
        for finding in found {
            let evidence = Dictionary((finding["evidence"] as? [[String: String]] ?? []).map { ($0["label"]!, $0["value"]!) }) { a, _ in a }
            #expect(evidence["expected from"] == "Backend API cname_targets", "\(finding)")
        }
        #expect(found.contains { ($0["message"] as? String) == "clkmail.example.test is a CNAME to mail.fixture.clerk.services" })
        #expect(!output.contains("BackendApiSecretNeverShown"))

        // The fixture refuses keys that do not look like keys.
        let (refusedStatus, refused, refusedOutput) = try run("not-a-key")
        #expect(refusedStatus == 0)
        #expect(refusedOutput.contains("any *.clerk.services (the Backend API refused the secret key in $CLERK_SECRET_KEY (HTTP 401))"), "\(refused)")
    }

    @Test func certificateCloseToExpiryWarnsOrFailsByOption() throws {
        var files = ["preflight.yml": "app:\n  url: https://soon.example.test/__ok\n"]
        let flags = ["--format", "json", "--only", "tls.certificates_valid"] + fixture.flags(hosts: []) + fixture.connectTo(["soon.example.test": fixture.https.soon])
        let failing = try AppFolder(files)
        let failed = try Preflight.run(["check", failing.path] + flags)
        #expect(failed.status == 1)
        #expect(try findings(failed.stdout).first?["outcome"] as? String == "fail")

        files["preflight.yml"]! += "checks:\n  tls.certificates_valid: { warn_days: 30, fail_days: 7 }\n"
        let warning = try AppFolder(files)
        let warned = try Preflight.run(["check", warning.path] + flags)
        #expect(warned.status == 0)
        let finding = try #require(try findings(warned.stdout).first)
        #expect(finding["outcome"] as? String == "warn")
        #expect((finding["message"] as? String)?.hasSuffix("(warn under 30)") == true)
        #expect(try Preflight.run(["check", warning.path, "--fail-on", "warning"] + flags).status == 1)
    }

    @Test func expiredCertificateFailsWithItsDates() throws {
        let app = try AppFolder(["preflight.yml": "app:\n  url: https://expired.example.test/\n"])
        let result = try Preflight.run(["check", app.path, "--only", "tls.certificates_valid", "--no-color"]
            + fixture.flags(hosts: []) + fixture.connectTo(["expired.example.test": fixture.https.expired]))
        #expect(result.status == 1)
        #expect(result.stdout.contains("does not verify (tls-expired)"))
        #expect(result.stdout.contains("not after: 2025-01-01T00:00:00Z"))
    }

    @Test func everyEndpointFailingIsUndecidedNotReady() throws {
        // DNS and HTTPS both go to a port where nothing listens.
        let app = try AppFolder(Self.readyApp)
        let result = try Preflight.run(
            ["check", app.path, "--format", "json", "--ca-bundle", fixture.ca, "--dns-server", "127.0.0.1:\(fixture.closedPort)",
             "--dns-timeout-ms", "200", "--dns-tries", "1"]
                + fixture.connectTo(["example.test": fixture.closedPort, "clerk.example.test": fixture.closedPort]))
        #expect(result.status == 3, "\(result.stdout)")
        let outcomes = try outcomes(result.stdout)
        for id in ["dns.frontend_api_cname", "tls.certificates_valid", "instance.production_active"] {
            #expect(outcomes[id] == "error", "\(id) is \(outcomes[id] ?? "missing")")
        }
        // Only what reads files alone may pass: keys, the domain, the leakage scans of files.
        let offlineIDs = ["domain.production_domain_set", "leakage.no_development_keys", "leakage.no_development_hosts", "leakage.no_secret_keys_in_client"]
        for finding in try findings(result.stdout) where finding["outcome"] as? String == "pass" {
            let id = finding["check_id"] as! String
            #expect(id.hasPrefix("keys.") || offlineIDs.contains(id), "\(id) passed without its network evidence")
        }
    }

    @Test func offlineSkipsTheNetworkChecks() throws {
        let app = try AppFolder(Self.readyApp)
        // No fixture flags: were anything probed, it would fail.
        let result = try Preflight.run(["check", app.path, "--offline", "--format", "json"])
        #expect(result.status == 0)
        let outcomes = try outcomes(result.stdout)
        #expect(outcomes["dns.frontend_api_cname"] == "skipped")
        #expect(outcomes["instance.production_active"] == "skipped")
    }

    @Test func replayGivesTheSameReport() throws {
        var files = Self.readyApp
        files[".env.production"]! += "CLERK_SECRET_KEY=sk_live_RecordedSecretNeverWritten000000000zzzz\n"
        let app = try AppFolder(files)
        let recording = "\(app.path)/evidence.json"
        let live = try Preflight.run(["check", app.path, "--format", "json", "--record", recording] + fixture.flags())
        #expect(live.status == 0, "\(live.stdout)\(live.stderr)")
        let recorded = try String(contentsOfFile: recording, encoding: .utf8)
        #expect(recorded.contains("\"format\" : \"preflight-evidence\""))
        #expect(!recorded.contains("RecordedSecretNeverWritten"))
        #expect(recorded.contains("sk_live_…zzzz"))

        // Replay: no network flags, and the env file is gone.
        try FileManager.default.removeItem(atPath: "\(app.path)/.env.production")
        let replayed = try Preflight.run(["check", app.path, "--format", "json", "--replay", recording])
        #expect(replayed.status == live.status)
        #expect(try Self.withoutRunMetadata(replayed.stdout) == Self.withoutRunMetadata(live.stdout))
    }

    /// Each bundled example, live against the local world as `make demo` runs it, then replayed
    /// from its recording with no network and no files: the same findings.
    @Test(arguments: ["misconfigured-app", "ready-app"])
    func everyExampleReplaysToTheSameFindings(_ example: String) throws {
        let scratch = try AppFolder([:])
        let recording = scratch.path + "/\(example).json"
        let environment = try DemoReportTests.demoEnvironment(example)
        let live = try Preflight.run(["check", "Examples/\(example)", "--format", "json", "--record", recording] + fixture.flags(),
                                     environment: environment, directory: Golden.packageRoot.path)
        let replayed = try Preflight.run(["check", "--replay", recording, "--format", "json"], directory: scratch.path)
        #expect(replayed.status == live.status, "\(replayed.stderr)")
        #expect(try Self.withoutRunMetadata(replayed.stdout) == Self.withoutRunMetadata(live.stdout))
    }

    @Test func replayRejectsWhatIsNotARecording() throws {
        let app = try AppFolder(["bad.json": "{\"format\": \"something-else\"}", "future.json": "{\"format\": \"preflight-evidence\", \"version\": 99}"])
        let bad = try Preflight.run(["check", app.path, "--replay", "\(app.path)/bad.json"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not a Preflight evidence recording"))
        let future = try Preflight.run(["check", app.path, "--replay", "\(app.path)/future.json"])
        #expect(future.status == 2)
        #expect(future.stderr.contains("version 99 is not supported"))
    }

    static func withoutRunMetadata(_ json: String) throws -> NSDictionary {
        var report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        report["run"] = nil
        return report as NSDictionary
    }

    @Test func resolveAndDeadlineFlagsReachTheProbes() throws {
        // --resolve keeps the URL's own port; the deadline cuts a slow answer short.
        // Without the deadline the slow request would succeed after 5 s (the timeout is 10 s).
        let port = fixture.https.good
        let result = try Preflight.run(
            ["probe", "--json", "--ca-bundle", fixture.ca, "--resolve", "example.test:\(port):127.0.0.1", "--deadline-ms", "500",
             "--http", "https://example.test:\(port)/__ok", "--http", "https://example.test:\(port)/__slow?ms=5000"])
        #expect(result.status == 0, "\(result.stderr)")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let exchanges = try #require(output["http"] as? [[String: Any]])
        let byURL = Dictionary(uniqueKeysWithValues: exchanges.map { (($0["probe"] as! [String: Any])["url"] as! String, $0["result"] as! [String: Any]) })
        #expect((byURL["https://example.test:\(port)/__ok"]?["response"] as? [String: Any])?["status"] as? Int == 200)
        #expect((byURL["https://example.test:\(port)/__slow?ms=5000"]?["failure"] as? [String: Any])?["kind"] as? String == "timeout")
    }

    @Test func malformedNetworkFlagsAreUsageErrors() throws {
        #expect(try Preflight.run(["probe", "--http", "https://x.test/", "--connect-to", "x.test:443"]).status == 2)
        #expect(try Preflight.run(["probe", "--dns", "x.test", "--dns-server", "not a server"]).status == 2)
        #expect(try Preflight.run(["probe", "--http", "https://x.test/", "--ca-bundle", "/nonexistent.pem"]).status == 2)
    }

    @Test func hugeBodiesStayUnderTheMemoryBound() throws {
        let result = try Preflight.run(
            ["probe", "--json", "--timeout-ms", "60000", "--http", "https://example.test/__big?bytes=1073741824",
             "--http", "https://example.test/__gzip-bomb"] + fixture.flags())
        #expect(result.status == 0)
        let output = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let exchanges = try #require(output["http"] as? [[String: Any]])
        #expect(exchanges.count == 2)
        for exchange in exchanges {
            let failure = (exchange["result"] as? [String: Any])?["failure"] as? [String: Any]
            #expect(failure?["kind"] as? String == "too-large", "\(exchange)")
        }
        // Measured against the same command on a small body, so the bound is what the caps
        // hold back (a 1 GiB body, a gzip bomb), not how busy the machine is.
        let rss = try #require(output["peak_rss_bytes"] as? Int)
        let small = try Preflight.run(["probe", "--json", "--http", "https://example.test/", "--http", "https://example.test/robots.txt"] + fixture.flags())
        let baseline = try #require((try JSONSerialization.jsonObject(with: Data(small.stdout.utf8)) as? [String: Any])?["peak_rss_bytes"] as? Int)
        #expect(rss - baseline < 64 * 1024 * 1024, "peak RSS \(rss) bytes against \(baseline) for small bodies")
    }
}
