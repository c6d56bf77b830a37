import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// What no Clerk API states (the redirect URI registered in Google's console, its publishing
/// status) is never a pass: it is an item to confirm by hand, with the exact value, in every
/// report format; it gates like "could not decide" until a waiver accepts it.
@Suite struct ConfirmByHandTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    static let token = "ak_ConfirmByHandToken000000000000000000wxyz"
    static let callback = "https://clerk.example.test/v1/oauth_callback"

    static func app(waiver: Bool = false) throws -> AppFolder {
        var yaml = "app:\n  domain: example.test\nclerk:\n  application_id: app_shop\n  instance_id: ins_shop_prod\n"
        if waiver {
            yaml += """
                waivers:
                  - id: sso.redirect_uris_production
                    reason: confirmed in Google Cloud Console on 2027-01-02
                    owner: platform-team
                    expires: 2099-01-31

                """
        }
        return try AppFolder(MisconfigurationTests.app("example.test", extra: ["preflight.yml": yaml]))
    }

    @Test func aRecordingWithoutRedirectURIsShowsTheItemsInEveryFormat() throws {
        let app = try Self.app()
        let recording = app.path + "/evidence.json"
        let live = try Preflight.run(["check", app.path, "--only", "sso.redirect_uris_production", "--format", "json", "--record", recording]
                                     + fixture.flags(), environment: ["CLERK_PLATFORM_API_KEY": Self.token, "CLERK_API_URL": "https://api.example.test"])
        #expect(live.status == 3, "\(live.stdout)\(live.stderr)")
        let recorded = try String(contentsOfFile: recording, encoding: .utf8)
        #expect(!recorded.contains("redirect_uris"), "the fixture's Platform answer invents no redirect URIs")

        var outputs: [String: String] = [:]
        for format in ["text", "json", "html", "sarif", "markdown", "junit"] {
            let replay = try Preflight.run(["check", "--replay", recording, "--format", format, "--no-color", "--only", "sso.redirect_uris_production"])
            #expect(replay.status == 3, "\(format): \(replay.stderr)")
            outputs[format] = replay.stdout
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(!findings.contains { $0["outcome"] as? String == "pass" }, "passed on a fact no source stated")
        let confirm = findings.filter { $0["outcome"] as? String == "confirm" }
        #expect(confirm.count == 2, "\(findings)")
        #expect(confirm.contains { ($0["reason"] as? String ?? "").contains(Self.callback) })
        #expect(confirm.contains { ($0["reason"] as? String ?? "").contains("publishing status is In production") })
        #expect((json["summary"] as? [String: Int])?["confirm"] == 2)
        #expect(outputs["text"]!.contains("Confirm by hand (2)"))
        #expect(outputs["text"]!.contains("confirm: in the provider's console, the Authorized redirect URI of the Google OAuth client is \(Self.callback)"))
        #expect(outputs["markdown"]!.contains("### Confirm by hand (2)"))
        #expect(outputs["markdown"]!.contains(Self.callback))
        #expect(outputs["html"]!.contains("<h2>Confirm by hand (2)</h2>"))
        #expect(outputs["html"]!.contains(Self.callback))
        #expect(outputs["sarif"]!.contains(Self.callback))
        #expect(outputs["sarif"]!.contains("\"kind\" : \"review\""))
        #expect(outputs["junit"]!.contains("type=\"confirm-by-hand\""))
        let sarif = try ExternalValidators.validateSARIF(outputs["sarif"]!)
        #expect(sarif.status == 0, "\(sarif.stdout)")
    }

    @Test func aWaiverAcceptsTheItems() throws {
        let app = try Self.app(waiver: true)
        let result = try Preflight.run(["check", app.path, "--only", "sso.redirect_uris_production", "--format", "json"] + fixture.flags(),
                                       environment: ["CLERK_PLATFORM_API_KEY": Self.token, "CLERK_API_URL": "https://api.example.test"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"outcome\" : \"confirm\""), "accepted, still listed")
    }
}
