import Foundation
import PreflightTestSupport
import Testing

/// Secret keys seeded into env files and the environment never appear unredacted in any
/// output: every format, report files, --verbose logs, and error messages.
@Suite struct RedactionTests {
    static let fileSecret = "sk_live_FileSeededSecretValue000000000000wxyz"
    static let publicSecret = "sk_test_PublicVariableSecret0000000000000qrst"
    static let environmentSecret = "sk_live_EnvironmentSeededSecret000000000mnop"
    /// A secret with no known prefix: only the exact-value redaction can catch it.
    static let shapelessSecret = "correct-horse-battery-staple-9931"
    static let webhookSecret = "whsec_SeededWebhookSecretBase64Value0000+/ab"

    static let rawSecrets = [fileSecret, publicSecret, environmentSecret, shapelessSecret, webhookSecret]

    func assertNoLeak(_ text: String, _ context: String) {
        for secret in Self.rawSecrets {
            #expect(!text.contains(secret), "\(context) leaks \(secret.prefix(10))…")
            // Not even the middle of it.
            #expect(!text.contains(String(secret.dropFirst(8).prefix(16))), "\(context) leaks part of \(secret.prefix(10))…")
        }
    }

    @Test func everyFormatAndLogIsRedacted() throws {
        let app = try AppFolder([
            ".env.production": """
                NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk
                CLERK_SECRET_KEY=\(Self.fileSecret)
                NEXT_PUBLIC_CLERK_SECRET_KEY="\(Self.publicSecret)"
                VITE_CLERK_WEBHOOK_SIGNING_SECRET=\(Self.webhookSecret)
                """,
            "preflight.yml": "app:\n  domain: example.com\nclerk:\n  secret_key_env: DEPLOY_CLERK_KEY\n",
        ])
        let environment = ["CLERK_SECRET_KEY": Self.environmentSecret, "DEPLOY_CLERK_KEY": Self.shapelessSecret]
        for format in ["text", "json"] {
            let result = try Preflight.run(
                ["check", app.path, "--offline", "--format", format, "--verbose", "--report", "json=\(app.path)/r.json",
                 "--report", "text=\(app.path)/r.txt"],
                environment: environment)
            #expect(result.status == 1)
            #expect(result.stdout.contains("sk_test_…qrst"), "the masked form names the key")
            assertNoLeak(result.stdout, "\(format) stdout")
            assertNoLeak(result.stderr, "\(format) --verbose stderr")
            assertNoLeak(try String(contentsOfFile: "\(app.path)/r.json", encoding: .utf8), "json report file")
            assertNoLeak(try String(contentsOfFile: "\(app.path)/r.txt", encoding: .utf8), "text report file")
        }
    }

    @Test func errorMessagesAreRedacted() throws {
        let app = try AppFolder(["preflight.yml": "clerk:\n  secret_key_env: \(Self.fileSecret)\n  \(Self.environmentSecret): x\n"])
        let result = try Preflight.run(["check", app.path, "--verbose"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("preflight.yml:2:"))
        assertNoLeak(result.stdout + result.stderr, "configuration error")
    }
}
