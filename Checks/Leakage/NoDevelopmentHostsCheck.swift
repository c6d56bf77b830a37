import PreflightCore

/// The deployed app must not link to or load from Clerk's development hosts.
struct NoDevelopmentHostsCheck: Check {
    static let description = CheckDescription(
        id: "leakage.no_development_hosts",
        title: "No development host in the deployed app",
        summary: "Production env files (every variable), the built client output and the live page with the scripts of its site name no Clerk development host (<name>.accounts.dev and the like).",
        rationale: """
            A sign-in link or an allowed-origin list pointing at <name>.accounts.dev sends users \
            to the development instance's Account Portal: a different user pool, shared OAuth \
            credentials, the development banner. It hides in env files under any name \
            (NEXT_PUBLIC_SIGN_IN_URL), in the built bundle and in the deployed page. Only whole \
            host names count: a label before the longest development suffix the name ends \
            with. The SDK's own suffix literals (".accounts.dev", ".accounts.lclclerk.com") are \
            suffixes, not hosts.
            """,
        hint: "Replace development URLs with the production ones (accounts.<your domain>, your own /sign-in route) and rebuild",
        references: [
            Reference("Clerk: Account Portal", "https://clerk.com/docs/account-portal/overview"),
            Reference("clerk/javascript constants.ts (development suffixes)", "https://github.com/clerk/javascript/blob/main/packages/shared/src/constants.ts"),
        ],
        defaultSeverity: .error,
        tags: ["leakage", "web"],
        needs: .offline,
        examples: [
            ScanFindings.example(
                "only the SDK's suffix literal", shows: #"app.js: var d=[".accounts.dev",".lcl.dev"]"#, expect: .pass,
                scan: PageScan(url: "https://example.com/", status: 200, scripts: [PageScan.Script(url: "https://example.com/app.js", bytes: 1000)])),
            ScanFindings.example(
                "a sign-up link to the development Account Portal", shows: #"<a href="https://fuzzy-owl-12.accounts.dev/sign-up">"#,
                expect: .problem,
                scan: PageScan(url: "https://example.com/", status: 200, matches: [
                    ClerkStringScanner.Match(kind: .developmentHost, value: "fuzzy-owl-12.accounts.dev", line: 6, column: 31)])),
            LiveExample.example(
                "a sign-in URL in an env file", shows: "# .env.production\nNEXT_PUBLIC_CLERK_SIGN_IN_URL=https://fuzzy-owl-12.accounts.dev/sign-in",
                expect: .problem,
                envFiles: [EnvFileEvidence(path: ".env.production", text: "NEXT_PUBLIC_CLERK_SIGN_IN_URL=https://fuzzy-owl-12.accounts.dev/sign-in\n")]),
            LiveExample.example(
                "a development host in a built chunk", shows: "dist/assets/index-4f1c.js:1:2045: \"https://fuzzy-owl-12.accounts.dev/sign-in\"",
                expect: .problem,
                assets: AssetScan(roots: [AssetScan.Root(path: "dist", configured: true)], filesScanned: 12, hits: [
                    AssetScan.Hit(path: "dist/assets/index-4f1c.js", match: ClerkStringScanner.Match(
                        kind: .developmentHost, value: "fuzzy-owl-12.accounts.dev", line: 1, column: 2045))])),
            LiveExample.example(
                "the configured asset folder is missing", shows: "# preflight.yml\napp:\n  assets: [dist]\n# (dist does not exist)", expect: .undecided,
                assets: AssetScan(roots: [AssetScan.Root(path: "dist", configured: true, readError: "no such folder: dist")])),
            ScanFindings.example(
                "the page timed out", shows: "GET https://example.com/ -> timeout", expect: .undecided,
                scan: PageScan(url: "https://example.com/", failure: HTTPFailure(kind: .timeout, message: "timed out", url: "https://example.com/"))),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { ScanFindings.probes(context, sources: .all) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        ScanFindings.results(
            context, kind: .developmentHost, describe: { "development host \($0.value)" },
            clean: "no development host in what was read")
    }
}
