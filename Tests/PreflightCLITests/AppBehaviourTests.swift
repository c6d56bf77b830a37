import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// The deployed app's own behaviour (issue 15) on the real binary against the local servers:
/// what is sent to a webhook endpoint, and that no check of it passes without an answer.
@Suite struct AppBehaviourTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    static let checks = "webhooks.endpoint_rejects_unsigned,routes.protected_paths_enforced,routes.sign_in_redirect_public_origin,web.clock_in_sync"

    func findings(_ stdout: String) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    /// With the secret key in the environment, the test event still carries no credential (the
    /// fixture accepts a credentialed POST, which would fail the check).
    @Test func theTestEventCarriesNoCredential() throws {
        let app = try AppFolder(MisconfigurationTests.app("example.test"))
        let result = try Preflight.run(
            ["check", app.path, "--format", "json", "--only", Self.checks] + fixture.flags(),
            environment: ["CLERK_SECRET_KEY": "sk_live_AppBehaviourTestSecret0000000000wxyz", "CLERK_API_URL": "https://api.clerk.test"])
        let outcomes = Dictionary(try findings(result.stdout).map { ($0["check_id"] as! String, $0["outcome"] as! String) }) { $0 + "," + $1 }
        #expect(outcomes["webhooks.endpoint_rejects_unsigned"] == "pass", "\(result.stdout)")
        #expect(outcomes.values.allSatisfy { $0 == "pass" }, "\(outcomes)")
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Nothing answers: each check could not decide (exit 3); none passes.
    @Test func nothingAnsweringDecidesNothing() throws {
        let app = try AppFolder(MisconfigurationTests.app("example.test"))
        let result = try Preflight.run(
            ["check", app.path, "--format", "json", "--only", Self.checks, "--connect-to", "::127.0.0.1:\(fixture.closedPort)",
             "--dns-server", "127.0.0.1:\(fixture.dns.zone)", "--timeout-ms", "2000"])
        let outcomes = try findings(result.stdout).map { "\($0["check_id"] as! String)=\($0["outcome"] as! String)" }.sorted()
        #expect(outcomes == [
            "routes.protected_paths_enforced=error", "routes.sign_in_redirect_public_origin=error",
            "web.clock_in_sync=error", "webhooks.endpoint_rejects_unsigned=error",
        ], "\(result.stdout)")
        #expect(result.status == 3, "\(result.stderr)")
    }

    /// A webhook URL off the app's domain is refused before anything is sent, at its place.
    @Test func aWebhookOffTheDomainIsAUsageError() throws {
        let app = try AppFolder(["preflight.yml": "app:\n  domain: example.test\n  webhooks:\n    - url: https://collector.clerk.test/hook\n"])
        let result = try Preflight.run(["check", app.path] + fixture.flags())
        #expect(result.status == 2)
        #expect(result.stderr.contains("preflight.yml:4:12: app.webhooks[].url must be on app.domain (example.test)"), "\(result.stderr)")
    }

    /// A preview deployment that ships the live key (previewlive.test serves the template page,
    /// which carries a pk_live_ key), and a preview env file with it: one finding each, at the
    /// URL and at the file's line.
    @Test func previewsThatCarryTheLiveKey() throws {
        let live = PublishableKey.encode(host: "clerk.example.test", instance: .production)
        var files = MisconfigurationTests.app("example.test")
        files["preflight.yml"]! += "  preview_urls: [https://previewlive.test/]\n"
        files[".env.preview"] = "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(live)\n"
        let app = try AppFolder(files)
        let result = try Preflight.run(["check", app.path, "--format", "json", "--only", "keys.live_key_not_on_preview"] + fixture.flags())
        let problems = try findings(result.stdout).filter { $0["outcome"] as? String == "fail" }
            .map { ($0["target"] as? [String: Any])?["display"] as? String ?? "" }.sorted()
        #expect(problems == [".env.preview:1:35 (NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY)", "https://previewlive.test/"], "\(result.stdout)")
        #expect(result.status == 1)
    }

    /// The JWT templates the source asks for, against the production instance's (the fixture has
    /// "convex" only): one finding per call, at its place; without the secret key, skipped.
    @Test func jwtTemplatesTheSourceAsksFor() throws {
        var files = MisconfigurationTests.app("example.test")
        files["lib/db.ts"] = "export async function token(getToken) {\n  const a = await getToken({ template: 'convex' })\n  const b = await getToken({ template: 'supabase' })\n  return [a, b]\n}\n"
        let app = try AppFolder(files)
        let arguments = ["check", app.path, "--format", "json", "--only", "integrations.jwt_templates_exist"] + fixture.flags()
        let result = try Preflight.run(arguments, environment: ["CLERK_SECRET_KEY": "sk_live_JWTTemplateTestSecret00000000000wxyz", "CLERK_API_URL": "https://api.clerk.test"])
        let outcomes = try findings(result.stdout).map { "\($0["outcome"] as! String) \(($0["target"] as? [String: Any])?["display"] as? String ?? "")" }.sorted()
        #expect(outcomes == ["fail lib/db.ts:3:19 (getToken({ template }))", "pass lib/db.ts:2:19 (getToken({ template }))"], "\(result.stdout)")
        let withoutKey = try Preflight.run(arguments)
        #expect(try findings(withoutKey.stdout).map { $0["outcome"] as? String } == ["skipped"], "\(withoutKey.stdout)")
    }

    /// An Expo-shaped app's callback against the production allowlist (the fixture's holds
    /// com.example.shop://callback).
    @Test(arguments: [("com.example.shop", "pass"), ("com.example.other", "fail")])
    func nativeCallbackOnTheAllowlist(bundle: String, outcome: String) throws {
        var files = MisconfigurationTests.app("example.test")
        files["app.json"] = #"{"expo": {"name": "shop", "ios": {"bundleIdentifier": "\#(bundle)"}}}"#
        let app = try AppFolder(files)
        let result = try Preflight.run(
            ["check", app.path, "--format", "json", "--only", "native.redirect_allowlisted"] + fixture.flags(),
            environment: ["CLERK_SECRET_KEY": "sk_live_NativeCallbackTestSecret0000000000wxyz", "CLERK_API_URL": "https://api.clerk.test"])
        let finding = try #require(try findings(result.stdout).first)
        #expect(finding["outcome"] as? String == outcome, "\(result.stdout)")
        #expect((finding["target"] as? [String: Any])?["display"] as? String == "app.json")
    }

    /// Two satellites: satready.test has Clerk's records and a certificate, satbare.test has no
    /// clerk. record; the primary's ClerkProvider lets sign-in return to satready.test only.
    @Test func satellitesEachGetWhatThePrimaryGets() throws {
        var files = MisconfigurationTests.app("example.test")
        files["preflight.yml"]! += "  satellites: [satready.test, satbare.test]\n"
        files["app/layout.tsx"] = "export default function Layout({ children }) {\n  return <ClerkProvider allowedRedirectOrigins={['https://satready.test']}>{children}</ClerkProvider>\n}\n"
        let app = try AppFolder(files)
        let result = try Preflight.run(["check", app.path, "--format", "json", "--only", "domain.satellites_ready"] + fixture.flags())
        let outcomes = try findings(result.stdout).map { "\($0["outcome"] as! String) \(($0["target"] as? [String: Any])?["display"] as? String ?? "")" }.sorted()
        #expect(outcomes == ["fail clerk.satbare.test", "fail https://satbare.test", "pass satready.test"], "\(result.stdout)")
    }
}
