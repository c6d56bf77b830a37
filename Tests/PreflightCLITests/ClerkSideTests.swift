import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// Clerk's side on the real binary against the fixture's Clerk-shaped APIs: the Backend API
/// with a secret key (accepted, refused, rate limited), the Platform API, the instance
/// snapshot and `preflight snapshot`.
@Suite struct ClerkSideTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    static let secret = "sk_live_ClerkSideTestSecretNeverShown00000wxyz"

    /// An app on example.test whose key points at clerk.example.test.
    static func app(_ extra: [String: String] = [:]) -> [String: String] {
        MisconfigurationTests.app("example.test", extra: extra)
    }

    func report(_ stdout: String) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    func finding(_ id: String, in stdout: String) throws -> [String: Any] {
        try #require(try report(stdout).first { $0["check_id"] as? String == id }, "no \(id) finding")
    }

    func run(_ app: borrowing AppFolder, _ environment: [String: String], _ extra: [String] = []) throws -> ChildProcess.Result {
        try Preflight.run(["check", app.path, "--format", "json"] + extra + fixture.flags(), environment: environment)
    }

    @Test func aWorkingSecretKeyLetsTheBackendChecksDecide() throws {
        let app = try AppFolder(Self.app())
        let result = try run(app, ["CLERK_SECRET_KEY": Self.secret, "CLERK_API_URL": "https://api.clerk.test"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(try finding("instance.keys_match", in: result.stdout)["outcome"] as? String == "pass")
        #expect(try finding("instance.account_portal_on_domain", in: result.stdout)["outcome"] as? String == "pass")
        #expect(try finding("instance.dev_user_cap", in: result.stdout)["message"] as? String
            == "the secret key's instance is a production instance: no user cap")
        #expect(!(result.stdout + result.stderr).contains("ClerkSideTestSecretNeverShown"))
    }

    @Test func aRefusedSecretKeyIsAnErrorNeverAPass() throws {
        let app = try AppFolder(Self.app())
        let revoked = "sk_live_RevokedClerkSideTestKey000000000000qrst"
        let result = try run(app, ["CLERK_SECRET_KEY": revoked, "CLERK_API_URL": "https://api.clerk.test"])
        #expect(result.status == 3, "\(result.stdout)")
        let keys = try finding("instance.keys_match", in: result.stdout)
        #expect(keys["outcome"] as? String == "error")
        #expect(keys["message"] as? String == "the Backend API refused the secret key in $CLERK_SECRET_KEY (HTTP 401)")
        let text = try Preflight.run(["check", app.path, "--no-color"] + fixture.flags(),
                                     environment: ["CLERK_SECRET_KEY": revoked, "CLERK_API_URL": "https://api.clerk.test"])
        for output in [result.stdout, result.stderr, text.stdout, text.stderr] {
            #expect(!output.contains("RevokedClerkSideTestKey"))
        }
    }

    @Test func aRateLimitIsWaitedOutWithinTheDeadline() throws {
        // The first GET /v1/domains answers 429 with Retry-After: 1; the second answers.
        let app = try AppFolder(Self.app())
        let started = Date()
        let result = try run(app, ["CLERK_SECRET_KEY": Self.secret, "CLERK_API_URL": "https://api-ratelimited.clerk.test"],
                             ["--only", "instance.keys_match"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(try finding("instance.keys_match", in: result.stdout)["outcome"] as? String == "pass")
    }

    @Test func aRateLimitPastTheDeadlineIsAnError() throws {
        // Retry-After: 30 does not fit in a 3 s deadline: the 429 is the answer.
        let app = try AppFolder(Self.app())
        let started = Date()
        let result = try run(app, ["CLERK_SECRET_KEY": Self.secret, "CLERK_API_URL": "https://api-limited.clerk.test"],
                             ["--only", "instance.keys_match", "--deadline-ms", "3000"])
        #expect(result.status == 3, "\(result.stdout)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try finding("instance.keys_match", in: result.stdout)["message"] as? String
            == "the Backend API kept rate limiting GET /v1/domains (HTTP 429, retry after 30 s) past the run's deadline")
    }

    @Test func withoutCredentialsTheChecksSayWhatTheyNeed() throws {
        let app = try AppFolder(Self.app())
        let result = try Preflight.run(["check", app.path, "--no-color"] + fixture.flags())
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("checks could not run; what would let them:"), "\(result.stdout)")
        #expect(result.stdout.contains("  - needs the secret key in the environment ($CLERK_SECRET_KEY) to ask the Backend API: instance.dev_user_cap, instance.keys_match"))
        #expect(result.stdout.contains("needs a Platform API key (ak_…) in $CLERK_PLATFORM_API_KEY (or $CLERK_PLATFORM_TOKEN)"))
        #expect(result.stdout.contains("needs an instance snapshot (clerk.instance_snapshot; `preflight snapshot` writes a starter): templates.no_environment_prefix"))
        let json = try run(app, [:])
        for id in ["instance.keys_match", "sso.own_credentials", "templates.no_environment_prefix", "plan.paid_features_covered"] {
            #expect(try finding(id, in: json.stdout)["outcome"] as? String == "skipped", "\(id)")
        }
    }

    @Test func thePlatformAPIIsReadAndItsSecretsAreNotRecorded() throws {
        let app = try AppFolder(Self.app(["preflight.yml": "app:\n  domain: example.test\nclerk:\n  application_id: app_shop\n  instance_id: ins_shop_prod\n"]))
        let recording = "\(app.path)/evidence.json"
        let result = try run(app, ["CLERK_PLATFORM_API_KEY": "ak_ClerkSideTestToken0000000000000000mnop", "CLERK_API_URL": "https://api.example.test"],
                             ["--record", recording])
        let google = try finding("sso.own_credentials", in: result.stdout)
        #expect(google["outcome"] as? String == "pass", "\(google)")
        #expect(google["message"] as? String == "oauth_google uses your own OAuth credentials")
        let recorded = try String(contentsOfFile: recording, encoding: .utf8)
        #expect(recorded.contains("client_secret"))
        #expect(!recorded.contains("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d"), "the OAuth client secret reached the recording")
        #expect(!recorded.contains("ClerkSideTestToken"))
    }

    /// Offline, the checks an instance snapshot alone can decide run from it: the ready
    /// example's pass, the misconfigured one's fail, at the snapshot's settings.
    @Test func offlineTheSnapshotDecidesWhatItCan() throws {
        let ids = ["sso.own_credentials", "sso.redirect_uris_production", "plan.paid_features_covered", "templates.no_environment_prefix"]
        for (example, expected) in [("ready-app", "pass"), ("misconfigured-app", "fail")] {
            let result = try Preflight.run(["check", Preflight.example(example), "--offline", "--format", "json", "--only", ids.joined(separator: ",")])
            let found = try report(result.stdout)
            for id in ids {
                let outcomes = found.filter { $0["check_id"] as? String == id }.map { $0["outcome"] as? String ?? "" }
                #expect(outcomes.contains(expected), "\(example) \(id): \(outcomes)")
                #expect(!outcomes.contains("skipped") && !outcomes.contains("error"), "\(example) \(id): \(outcomes)")
            }
        }
        // Without a snapshot they stay skipped offline, saying why.
        let app = try AppFolder(Self.app())
        let bare = try report(try Preflight.run(["check", app.path, "--offline", "--format", "json", "--only", "sso.own_credentials"]).stdout)
        #expect(bare.first?["outcome"] as? String == "skipped")
    }

    /// Clerk's own verdict on the domain (Platform API) beside the tool's DNS verdict: agreement
    /// shows in the evidence; DNS right while Clerk has not verified is a warning with Clerk's hint.
    @Test func clerksDomainVerdictStandsBesideTheDNSVerdict() throws {
        func run(_ application: String) throws -> [String: Any] {
            let app = try AppFolder(Self.app(["preflight.yml": "app:\n  domain: example.test\nclerk:\n  application_id: \(application)\n"]))
            let result = try Preflight.run(["check", app.path, "--format", "json", "--only", "dns.accounts_portal_cname"] + fixture.flags(),
                                           environment: ["CLERK_PLATFORM_API_KEY": "ak_ClerkSideDomainStatus000000000000000abcd", "CLERK_API_URL": "https://api.example.test"])
            return try finding("dns.accounts_portal_cname", in: result.stdout)
        }
        let agreed = try run("app_shop")
        #expect(agreed["outcome"] as? String == "pass", "\(agreed)")
        #expect((agreed["evidence"] as? [[String: String]] ?? []).contains { $0["label"] == "Clerk's check" && $0["value"]!.hasPrefix("verified") }, "\(agreed)")
        let tlsApp = try AppFolder(Self.app(["preflight.yml": "app:\n  domain: example.test\nclerk:\n  application_id: app_shop\n"]))
        let agreedTLS = try Preflight.run(["check", tlsApp.path, "--format", "json", "--only", "tls.certificates_valid"] + fixture.flags(),
                                          environment: ["CLERK_PLATFORM_API_KEY": "ak_ClerkSideDomainStatus000000000000000abcd", "CLERK_API_URL": "https://api.example.test"])
        let tls = try report(agreedTLS.stdout).filter { ($0["target"] as? [String: Any])?["display"] as? String == "https://clerk.example.test/v1/environment" }
        #expect(tls.first.map { ($0["evidence"] as? [[String: String]] ?? []).contains { $0["label"] == "Clerk's SSL status" && $0["value"] == "complete" } } == true, "\(tls)")
        let propagating = try run("app_propagating")
        #expect(propagating["outcome"] as? String == "warn", "\(propagating)")
        #expect((propagating["message"] as? String ?? "").contains("Clerk's own check has not verified it yet"))
        #expect((propagating["evidence"] as? [[String: String]] ?? []).contains { $0["value"] == "cname_not_found: no CNAME record found yet" })
    }

    @Test func aSnapshotIsReadStrictly() throws {
        let app = try AppFolder(Self.app([
            "preflight.yml": "app:\n  domain: example.test\nclerk:\n  instance_snapshot: clerk-instance.json\n",
            "clerk-instance.json": """
                {
                  "schema_version": 1,
                  "social_providers": {
                    "oauth_google": { "enabled": true, "has_own_credential": false }
                  },
                  "plan": 3
                }
                """,
        ]))
        let result = try Preflight.run(["check", app.path, "--offline"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("clerk-instance.json:4:40: $.social_providers.oauth_google: unknown field 'has_own_credential' (did you mean 'has_own_credentials'?)"),
                "\(result.stderr)")
        #expect(result.stderr.contains("clerk-instance.json:6:11: $.plan: must be a string"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let missing = try AppFolder(["preflight.yml": "clerk:\n  instance_snapshot: nowhere.json\n"])
        let absent = try Preflight.run(["check", missing.path, "--offline"])
        #expect(absent.status == 2)
        #expect(absent.stderr.contains("cannot read the instance snapshot"))
    }

    @Test func snapshotWritesAStarterThatChecksAccept() throws {
        let app = try AppFolder(Self.app())
        let environment = ["CLERK_SECRET_KEY": Self.secret, "CLERK_API_URL": "https://api.clerk.test", "SOURCE_DATE_EPOCH": "1798761600"]
        let written = try Preflight.run(["snapshot", app.path] + fixture.flags(), environment: environment)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("read: Frontend API: environment; Backend API: instance, domains, redirect URLs"), "\(written.stdout)")
        #expect(written.stdout.contains("$.social_providers.oauth_google.has_own_credentials"))
        let text = try String(contentsOfFile: "\(app.path)/clerk-instance.json", encoding: .utf8)
        let snapshot = try InstanceSnapshotLoader().load(text: text, path: "clerk-instance.json")
        #expect(snapshot.instance?.id == "ins_2fixture")
        #expect(snapshot.instance?.accountsPortalUrl == "https://accounts.example.test")
        #expect(snapshot.exportedAt == "2027-01-01T00:00:00Z")
        #expect(snapshot.enabledPaidFeatures?.contains("passkeys") == true)
        #expect(!text.contains("ClerkSideTestSecretNeverShown"))
        let validation = try SchemaValidator.validate(json: text, schema: "instance-snapshot")
        #expect(validation.status == 0, "\(validation.stdout)")

        // Not overwritten without --force; then used by check.
        #expect(try Preflight.run(["snapshot", app.path] + fixture.flags(), environment: environment).status == 2)
        try "app:\n  domain: example.test\nclerk:\n  instance_snapshot: clerk-instance.json\n".write(
            toFile: "\(app.path)/preflight.yml", atomically: true, encoding: .utf8)
        let checked = try run(app, environment)
        #expect([0, 1, 3].contains(checked.status))
        #expect(try finding("sso.own_credentials", in: checked.stdout)["outcome"] as? String == "skipped", "the starter leaves credentials to a person")
    }

    /// The committed schema and the loader agree on the examples, and the schema can fail.
    @Test(arguments: ["ready-app", "misconfigured-app"])
    func exampleSnapshotsMatchTheSchema(app: String) throws {
        let text = try String(contentsOfFile: Golden.packageRoot.appendingPathComponent("Examples/\(app)/clerk-instance.json").path, encoding: .utf8)
        let validation = try SchemaValidator.validate(json: text, schema: "instance-snapshot")
        #expect(validation.status == 0, "\(validation.stdout)")
        _ = try InstanceSnapshotLoader().load(text: text, path: "clerk-instance.json")
        let wrong = try SchemaValidator.validate(json: #"{"schema_version": 1, "plan": "gold", "extra": true}"#, schema: "instance-snapshot")
        #expect(wrong.status != 0)
    }
}
