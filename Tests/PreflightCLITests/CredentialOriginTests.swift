import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// Credentials stay with their origin: the secret key and the Platform API token are sent
/// only to the `https:` origin they were configured for. A Clerk look-alike that redirects
/// (to another host, to `http:`, to another port) gets an `error` naming where it pointed, and
/// the fixture's collector host, where every redirect leads, never sees an `Authorization`.
@Suite struct CredentialOriginTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    static let secret = "sk_live_CredentialOriginSecret0000000000000abcd"
    static let token = "ak_CredentialOriginPlatformToken0000000000wxyz"

    enum Credential: CaseIterable {
        case secretKey, platformToken

        /// The check that reads the answer, and the environment that carries the credential.
        var check: String { self == .secretKey ? "instance.keys_match" : "sso.own_credentials" }
        func environment(api: String) -> [String: String] {
            switch self {
            case .secretKey: ["CLERK_SECRET_KEY": CredentialOriginTests.secret, "CLERK_API_URL": api]
            case .platformToken: ["CLERK_PLATFORM_TOKEN": CredentialOriginTests.token, "CLERK_API_URL": api]
            }
        }
    }

    func run(_ credential: Credential, api: String) throws -> [String: Any] {
        let app = try AppFolder(MisconfigurationTests.app("example.test", extra: [
            "preflight.yml": "app:\n  domain: example.test\nclerk:\n  application_id: app_shop\n  instance_id: ins_shop_prod\n",
        ]))
        let result = try Preflight.run(["check", app.path, "--format", "json", "--only", credential.check] + fixture.flags(),
                                       environment: credential.environment(api: api))
        for output in [result.stdout, result.stderr] {
            #expect(!output.contains("CredentialOriginSecret") && !output.contains("CredentialOriginPlatformToken"))
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let findings = try #require(report["findings"] as? [[String: Any]])
        return try #require(findings.first { $0["check_id"] as? String == credential.check })
    }

    @Test(arguments: Credential.allCases, [
        ("https://redirect-other.clerk.test", "https://collector.clerk.test/v1/"),
        ("https://redirect-http.clerk.test", "http://collector.clerk.test/v1/"),
        ("https://redirect-port.clerk.test", "https://redirect-port.clerk.test:8443/v1/"),
    ])
    func aRedirectToAnotherOriginIsAnErrorAndTheCredentialStays(_ credential: Credential, _ redirect: (api: String, location: String)) throws {
        let finding = try run(credential, api: redirect.api)
        #expect(finding["outcome"] as? String == "error", "\(finding)")
        let message = finding["message"] as? String ?? ""
        #expect(message.contains("credential-redirect"), "\(message)")
        #expect(message.contains("to \(redirect.location)"), "the finding does not name where the redirect pointed: \(message)")
        #expect(try fixture.collected() == [], "a credential reached the collector")
    }

    @Test(arguments: Credential.allCases)
    func aCredentialIsNeverSentOverPlainHTTP(_ credential: Credential) throws {
        let finding = try run(credential, api: "http://collector.clerk.test")
        #expect(finding["outcome"] as? String == "error", "\(finding)")
        #expect((finding["message"] as? String ?? "").contains("insecure-credential"), "\(finding)")
        #expect(try fixture.collected() == [], "a credential reached the collector over http:")
    }

    /// A redirect within the origin (a trailing slash, a moved path) is still followed with the credential.
    @Test(arguments: Credential.allCases)
    func aRedirectWithinTheOriginIsFollowed(_ credential: Credential) throws {
        let finding = try run(credential, api: "https://redirect-same.clerk.test")
        #expect(finding["outcome"] as? String == "pass", "\(finding)")
    }
}
