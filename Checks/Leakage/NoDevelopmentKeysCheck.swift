import PreflightCore

/// The deployed app must not ship a development publishable key.
struct NoDevelopmentKeysCheck: Check {
    static let description = CheckDescription(
        id: "leakage.no_development_keys",
        title: "No development key in the deployed app",
        summary: "Production env files (variables other than Clerk's key variables), the built client output and the live page with the scripts of its site carry no pk_test_ key that decodes.",
        rationale: """
            Env files can be right while the build is wrong: a key inlined at build time from \
            another environment, a fallback in next.config.js, a stale CI cache. What users run \
            is the built bundle. A pk_test_ key there points every visitor at the development \
            instance. Only keys that decode count: Clerk's SDK carries the bare "pk_test_" \
            literal, and Stripe's keys share the prefix. Clerk's own publishable-key variables \
            are judged by keys.publishable_key_live, so a problem is reported once.
            """,
        hint: "Rebuild with the production publishable key (pk_live_) in the build environment, and remove hard-coded fallbacks",
        references: [
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
            Reference("clerk/javascript keys.ts (parsePublishableKey)", "https://github.com/clerk/javascript/blob/main/packages/shared/src/keys.ts"),
        ],
        defaultSeverity: .critical,
        tags: ["leakage", "keys", "web"],
        needs: .offline,
        examples: [
            ScanFindings.example(
                "only a live key and SDK literals", shows: #"app.js: {"pk_test_":"development"} ... VITE_CLERK_PUBLISHABLE_KEY:"pk_live_Y2xlcmsuZXhhbXBsZS5jb20k""#,
                expect: .pass,
                scan: PageScan(url: "https://example.com/", status: 200, scripts: [PageScan.Script(url: "https://example.com/app.js", bytes: 1000, matches: [
                    ClerkStringScanner.Match(kind: .productionKey, value: ExampleInput.liveKey, line: 1, column: 40)])])),
            ScanFindings.example(
                "a development key in a bundle", shows: #"app.js: VITE_CLERK_PUBLISHABLE_KEY:"pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk""#,
                expect: .problem,
                scan: PageScan(url: "https://example.com/", status: 200, scripts: [PageScan.Script(url: "https://example.com/app.js", bytes: 1000, matches: [
                    ClerkStringScanner.Match(kind: .developmentKey, value: ExampleInput.developmentKey, line: 1, column: 56)])])),
            LiveExample.example(
                "a fallback key baked into a built chunk", shows: #"dist/assets/vendor-9a1b.js:1:88210: process.env.KEY||"pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk""#,
                expect: .problem,
                assets: AssetScan(roots: [AssetScan.Root(path: "dist", configured: true)], filesScanned: 40, hits: [
                    AssetScan.Hit(path: "dist/assets/vendor-9a1b.js", match: ClerkStringScanner.Match(
                        kind: .developmentKey, value: ExampleInput.developmentKey, line: 1, column: 88210))])),
            ScanFindings.example(
                "the page did not load", shows: "GET https://example.com/ -> 502", expect: .undecided,
                scan: PageScan(url: "https://example.com/", failure: HTTPFailure(kind: .httpStatus, message: "HTTP 502 (server error)", url: "https://example.com/"))),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { ScanFindings.probes(context, sources: .all) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        ScanFindings.results(
            context, kind: .developmentKey, skipVariable: { $0.clerk?.kind == .publishableKey },
            describe: { match in
                let host = (try? PublishableKey(match.value))?.frontendAPIHost ?? "?"
                return "development publishable key for \(host)"
            },
            clean: "no development key in what was read")
    }
}
