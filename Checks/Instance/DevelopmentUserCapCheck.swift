import PreflightCore

/// A development instance holds a capped number of users, and none of them move to production.
struct DevelopmentUserCapCheck: Check {
    static let cap = OptionKey("cap", summary: "the development instance's user cap", default: 100)
    static let warnPercent = OptionKey("warn_percent", summary: "warn from this share of the cap", default: 80)

    static let description = CheckDescription(
        id: "instance.dev_user_cap",
        title: "Development user cap is not reached",
        summary: "When the secret key's instance is a development instance, its user count stays under the cap (warning from 80 %), and users there do not move to production.",
        rationale: """
            Development instances cap their users (100 in the current docs, 500 in 2024's; the \
            cap is an option). Past it, sign-ups fail. A team that runs real users on development \
            keys also learns at launch that users do not move between instances: everyone signs \
            up again. On a production instance this check does not apply.
            """,
        hint: "Switch to the production instance's keys before real users sign up; users cannot be moved from development to production",
        references: [
            Reference("Clerk: managing environments", "https://clerk.com/docs/deployments/environments"),
            Reference("Clerk Backend API: users count", "https://clerk.com/docs/reference/backend-api/tag/Users"),
        ],
        defaultSeverity: .error,
        tags: ["instance", "clerk-api"],
        needs: .credentials,
        options: [
            cap.declaration, warnPercent.declaration,
        ],
        examples: [
            example("a production instance", type: "production", users: 5_000, expect: .notApplicable),
            example("a development instance with a few test users", type: "development", users: 0, expect: .pass),
            example("84 of 100 users", type: "development", users: 84, expect: .problem),
            example("the cap is reached", type: "development", users: 100, expect: .problem),
            LiveExample.example("the secret key was refused", shows: "GET /v1/instance -> 401", expect: .undecided,
                                http: [LiveExample.backend("/v1/instance", "", status: 401)]),
            LiveExample.example("an answer without a field Clerk's spec requires", shows: #"GET /v1/instance -> {"object": "instance", "id": "ins_1"}"#,
                                expect: .undecided,
                                http: [LiveExample.backend("/v1/instance", #"{"object": "instance", "id": "ins_1"}"#),
                                       LiveExample.backend("/v1/users/count", #"{"object": "total_count", "total_count": 3}"#)]),
        ])

    static func example(_ title: String, type: String, users: Int, expect: CheckExample.Expectation) -> CheckExample {
        LiveExample.example(title, shows: "GET /v1/instance -> {\"environment_type\": \"\(type)\"}; GET /v1/users/count -> {\"total_count\": \(users)}",
                            expect: expect, http: [
                                LiveExample.backend("/v1/instance", LiveExample.instanceJSON(type: type)),
                                LiveExample.backend("/v1/users/count", #"{"object": "total_count", "total_count": \#(users)}"#),
                            ])
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ClerkSources.backendProbes(context, ["/v1/instance", "/v1/users/count"])
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let target = Target.clerkSetting("users")
        let instance: ClerkAPI.Instance
        switch ClerkSources.instance(context) {
        case .failure(let unavailable): return [unavailable.result(at: target)]
        case .success(let value): instance = value
        }
        let type = instance.environmentType
        guard type == "development" else { return [.notApplicable("the secret key's instance is a \(type) instance: no user cap", at: target)] }
        let count: Int
        switch ClerkSources.usersCount(context) {
        case .failure(let unavailable): return [unavailable.result(at: target)]
        case .success(let value): count = value.totalCount
        }
        let cap = context[Self.cap]
        let warnAt = cap * context[Self.warnPercent] / 100
        let evidence = [EvidenceItem("users", "\(count)"), EvidenceItem("cap", "\(cap)"), EvidenceItem("source", ClerkSource.backendAPI.rawValue)]
        var results: [CheckResult] = []
        if count >= cap {
            results.append(.problem("the development instance holds \(count) users: the cap of \(cap) is reached, and sign-ups fail", at: target, evidence: evidence))
        } else if count >= warnAt {
            results.append(.problem("the development instance holds \(count) of \(cap) users", at: target, evidence: evidence, severity: .warning))
        } else {
            results.append(.pass("the development instance holds \(count) of \(cap) users", at: target, evidence: evidence))
        }
        if count > 0 {
            results.append(.problem(
                "the \(count) users of the development instance will not move to production", at: .clerkSetting("users.migration"),
                evidence: evidence, severity: .info,
                hint: "Plan the switch: users sign up again on the production instance (or export and import them)"))
        }
        return results
    }
}
