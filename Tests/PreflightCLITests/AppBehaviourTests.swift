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
}
