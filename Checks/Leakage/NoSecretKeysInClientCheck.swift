import PreflightCore

/// A Clerk secret key must never ship to browsers.
struct NoSecretKeysInClientCheck: Check {
    static let description = CheckDescription(
        id: "leakage.no_secret_keys_in_client",
        title: "No secret key in client code",
        summary: "The built client output and what the live page loads carry no Clerk sk_live_/sk_test_ key.",
        rationale: """
            A secret key in a bundle is readable by every visitor and gives full Backend API \
            access: list and delete users, mint sessions, change the instance. It gets there \
            through a browser-exposed variable, a server file imported by a client component, \
            or a hard-coded fallback. The deployment's own secret values (the secret key and the \
            webhook signing secret, from the environment and env files) are a leak wherever \
            they appear, under any name. Any other sk_ key counts when it has the shape of \
            Clerk's (30 to 64 characters mixing upper case, lower case and digits) or its \
            assignment names Clerk (a Clerk variable name, createClerkClient, clerk), and it is \
            not a placeholder: Stripe (24 or about 99 characters) and Paystack (lower-case hex) \
            use the same prefixes, and their keys are not Preflight's business. A scan that \
            read nothing (no built output, --offline) is not a pass.
            """,
        hint: "Rotate the secret key in the Clerk Dashboard now (it is public), remove it from client code and browser-exposed variables, and rebuild",
        references: [
            Reference("Clerk: API keys", "https://clerk.com/docs/deployments/clerk-environment-variables"),
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
        ],
        defaultSeverity: .critical,
        tags: ["leakage", "secrets", "web"],
        needs: .offline,
        examples: [
            LiveExample.example(
                "a clean build", shows: "dist/: 120 files, no Clerk secret key", expect: .pass,
                assets: AssetScan(roots: [AssetScan.Root(path: "dist", configured: true)], filesScanned: 120), offline: true),
            LiveExample.example(
                "a secret key inlined by the bundler", shows: #"dist/assets/index-77a0.js:1:512: {VITE_CLERK_SECRET_KEY:"sk_live_…c3"}"#,
                expect: .problem,
                assets: AssetScan(roots: [AssetScan.Root(path: "dist", configured: true)], filesScanned: 120, hits: [
                    AssetScan.Hit(path: "dist/assets/index-77a0.js", match: ClerkStringScanner.Match(
                        kind: .secretKey, value: "sk_live_…b2c3", line: 1, column: 512))])),
            ScanFindings.example(
                "a secret key in a script the page loads", shows: #"https://example.com/app.js:1:90: createClerkClient({secretKey:"sk_live_…"})"#,
                expect: .problem,
                scan: PageScan(url: "https://example.com/", status: 200, scripts: [PageScan.Script(url: "https://example.com/app.js", bytes: 4000, matches: [
                    ClerkStringScanner.Match(kind: .secretKey, value: "sk_live_…b2c3", line: 1, column: 90)])])),
            LiveExample.example(
                "an asset folder that cannot be read", shows: "# preflight.yml\napp:\n  assets: [build]\n# (build is not a folder)", expect: .undecided,
                assets: AssetScan(roots: [AssetScan.Root(path: "build", configured: true, readError: "not a folder: build")])),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ScanFindings.probes(context, sources: [.assets, .page])
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        // Env files are keys.no_secret_in_public_variable's: a problem is reported once.
        ScanFindings.results(
            context, kind: .secretKey, sources: [.assets, .page], describe: { "Clerk secret key \($0.value)" },
            clean: "no Clerk secret key in client code")
    }
}
