import PreflightCore

/// The deployed app must not link to or load from Clerk's development hosts.
struct NoDevelopmentHostsCheck: Check {
    static let description = CheckDescription(
        id: "leakage.no_development_hosts",
        title: "No development host in the deployed app",
        summary: "The page at app.url and its same-origin scripts name no Clerk development host (<name>.accounts.dev and the like).",
        rationale: """
            A sign-in link or an allowed-origin list pointing at <name>.accounts.dev sends users \
            to the development instance's Account Portal: a different user pool, shared OAuth \
            credentials, the development banner. Only whole host names count; the SDK's own \
            ".accounts.dev" literal does not.
            """,
        hint: "Replace development URLs with the production ones (accounts.<your domain>, your own /sign-in route) and rebuild",
        references: [
            Reference("Clerk: Account Portal", "https://clerk.com/docs/account-portal/overview"),
            Reference("clerk/javascript constants.ts (development suffixes)", "https://github.com/clerk/javascript/blob/main/packages/shared/src/constants.ts"),
        ],
        defaultSeverity: .error,
        tags: ["leakage", "web"],
        needs: .network,
        examples: [
            PageScanFindings.example(
                "only the SDK's suffix literal", shows: #"app.js: var d=[".accounts.dev",".lcl.dev"]"#, expect: .pass,
                scan: PageScan(url: "https://example.com/", status: 200, scripts: [PageScan.Script(url: "https://example.com/app.js", bytes: 1000)])),
            PageScanFindings.example(
                "a sign-up link to the development Account Portal", shows: #"<a href="https://fuzzy-owl-12.accounts.dev/sign-up">"#,
                expect: .problem,
                scan: PageScan(url: "https://example.com/", status: 200, matches: [
                    ClerkStringScanner.Match(kind: .developmentHost, value: "fuzzy-owl-12.accounts.dev", line: 6, column: 31)])),
            PageScanFindings.example(
                "the page timed out", shows: "GET https://example.com/ -> timeout", expect: .undecided,
                scan: PageScan(url: "https://example.com/", failure: HTTPFailure(kind: .timeout, message: "timed out", url: "https://example.com/"))),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { PageScanFindings.probes(context) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        PageScanFindings.results(
            context, kind: .developmentHost, describe: { "development host \($0.value)" },
            clean: "no development host in the page or its same-origin scripts")
    }
}
