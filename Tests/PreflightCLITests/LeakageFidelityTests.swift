import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// Leaks found as real bundles carry them: the deployment's own secret under a neutral name,
/// Clerk's own SDK hosts that are never the app's, and a scan that read nothing.
@Suite struct LeakageFidelityTests {
    static let secret = "sk_live_LeakFidelitySecretKey000000000000abcd"

    func findings(_ stdout: String) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    @Test func theDeploymentsOwnSecretIsALeakUnderAnyName() throws {
        let app = try AppFolder(MisconfigurationTests.app("example.com", extra: [
            "preflight.yml": "app:\n  domain: example.com\n  assets: [dist]\n",
            ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.example.com", instance: .production))\nCLERK_SECRET_KEY=\(Self.secret)\n",
            "dist/chunk-1.js": #"let s="\#(Self.secret)";fetch("/api",{headers:{a:s}});"#,
            "dist/server-sdk.js": #"const LOCAL_API_URL="https://api.lclclerk.com";const x="https://happy-cat-1.accounts.lclclerk.com";"#,
        ]))
        let result = try Preflight.run(["check", app.path, "--offline", "--format", "json",
                                        "--only", "leakage.no_secret_keys_in_client,leakage.no_development_hosts"])
        #expect(result.status == 1, "\(result.stdout)")
        let found = try findings(result.stdout)
        let leak = try #require(found.first { $0["check_id"] as? String == "leakage.no_secret_keys_in_client" })
        #expect(leak["outcome"] as? String == "fail")
        #expect(((leak["target"] as? [String: Any])?["display"] as? String ?? "").hasPrefix("dist/chunk-1.js:1:8"), "\(leak)")
        #expect(found.first { $0["check_id"] as? String == "leakage.no_development_hosts" }?["outcome"] as? String == "pass",
                "Clerk's own *.lclclerk.com hosts were reported as the app's")
        #expect(!(result.stdout + result.stderr).contains("LeakFidelitySecretKey"), "the secret was shown")
    }

    @Test func aScanThatReadNothingIsNotAPass() throws {
        let app = try AppFolder(MisconfigurationTests.app("example.com"))
        let result = try Preflight.run(["check", app.path, "--offline", "--format", "json", "--only", "leakage.no_secret_keys_in_client"])
        let finding = try #require(try findings(result.stdout).first)
        #expect(finding["outcome"] as? String == "skipped", "\(finding)")
        #expect((finding["reason"] as? String ?? "").contains("build the app, or list its output folder in app.assets"), "\(finding)")
    }
}
