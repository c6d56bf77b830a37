import PreflightCore

/// Test mode lets anyone sign in with test emails and phone numbers: off in production.
struct TestModeOffCheck: Check {
    static let description = CheckDescription(
        id: "instance.test_mode_off",
        title: "Test mode is off",
        summary: "The instance behind the publishable key answers auth_config.test_mode false.",
        rationale: """
            Test mode accepts the fixed verification code 424242 for test email addresses and \
            phone numbers (+1 (XXX) 555-0100 to 0199, anything+clerk_test@...). It is on by default \
            in development and meant for automated tests; left on in production, anyone who knows \
            the convention can create and sign in to accounts without owning the address.
            """,
        hint: "Turn test mode off for the production instance (Clerk Dashboard: Configure > Settings > Test mode)",
        references: [
            Reference("Clerk: test emails and phones", "https://clerk.com/docs/testing/test-emails-and-phones"),
            Reference("Clerk Frontend API: environment", "https://clerk.com/docs/reference/frontend-api"),
        ],
        defaultSeverity: .error,
        tags: ["instance", "clerk-api", "security"],
        needs: .network,
        examples: [
            LiveExample.example("test mode off", shows: #"GET /v1/environment -> {"auth_config": {"test_mode": false}}"#, expect: .pass,
                                http: [LiveExample.environment(#"{"auth_config": {"test_mode": false}}"#)]),
            LiveExample.example("test mode left on", shows: #"GET /v1/environment -> {"auth_config": {"test_mode": true}}"#, expect: .problem,
                                http: [LiveExample.environment(#"{"auth_config": {"test_mode": true}}"#)]),
            LiveExample.example("the answer does not say", shows: #"GET /v1/environment -> {"auth_config": {}}"#, expect: .undecided,
                                http: [LiveExample.environment(#"{"auth_config": {}}"#)]),
            LiveExample.example("the Frontend API is down", shows: "GET /v1/environment -> 503", expect: .undecided,
                                http: [LiveExample.environment("", status: 503)]),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { ClerkSources.frontendProbes(context) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let target = Target.clerkSetting("auth_config.test_mode")
        switch ClerkSources.environment(context) {
        case .failure(let unavailable): return [unavailable.result(at: target)]
        case .success(let environment):
            let evidence = [EvidenceItem("source", ClerkSource.frontendAPI.rawValue)]
            guard let testMode = environment.authConfig?.testMode else {
                return [.undecided("the Frontend API answer has no auth_config.test_mode", at: target, evidence: evidence)]
            }
            return testMode
                ? [.problem("test mode is on: the fixed code 424242 signs in test addresses and numbers", at: target, evidence: evidence)]
                : [.pass("test mode is off", at: target, evidence: evidence)]
        }
    }
}
