import PreflightCore

/// The plan must cover every paid feature the production instance uses.
struct PaidFeaturesCoveredCheck: Check {
    static let description = CheckDescription(
        id: "plan.paid_features_covered",
        title: "The plan covers the paid features in use",
        summary: "clerk.plan (or the snapshot's plan) covers every paid feature in use, as seen in the Frontend API (branding removed, allowlist, blocklist, SAML/enterprise SSO, passkeys, SMS sign-in, organizations over 20 members), the Backend API (satellite domains) and the snapshot.",
        rationale: """
            Every feature is free in development, so a team builds on SAML, passkeys or a custom \
            session lifetime and finds at launch that the production instance refuses them on the \
            free plan (the Platform API answers 402 unsupported_subscription_plan_features). Each \
            uncovered feature is listed with where it was seen. Add-ons (B2B custom roles, \
            self-serve SSO) are not told apart from the plans.
            """,
        hint: "Upgrade the application's plan (Clerk Dashboard: Billing) or turn the feature off before launch, then set clerk.plan in preflight.yml",
        references: [
            Reference("Clerk: pricing", "https://clerk.com/pricing"),
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
        ],
        defaultSeverity: .error,
        tags: ["plan", "clerk-api"],
        needs: .network,
        decidesFromSnapshot: true,
        examples: [
            example("a free plan with nothing paid in use", plan: .free, environment: #"{"display_config": {"branded": true}}"#, expect: .pass),
            example("branding removed on the free plan", plan: .free, environment: #"{"display_config": {"branded": false}}"#, expect: .problem),
            example("SAML and passkeys on Pro", plan: .pro,
                    environment: #"{"display_config": {"branded": false}, "user_settings": {"saml": {"enabled": true}, "attributes": {"passkey": {"enabled": true}}}}"#,
                    expect: .pass),
            example("SAML on the free plan", plan: .free,
                    environment: #"{"display_config": {"branded": true}, "user_settings": {"saml": {"enabled": true}}}"#, expect: .problem),
            example("the plan is not known", plan: nil, environment: #"{"display_config": {"branded": false}}"#, expect: .notApplicable),
            example("the Frontend API failed", plan: .free, environment: nil, expect: .undecided),
        ])

    static func example(_ title: String, plan: ClerkPlan?, environment: String?, expect: CheckExample.Expectation) -> CheckExample {
        var configuration = LiveExample.configuration
        configuration.clerk.plan = plan
        return LiveExample.example(
            title, shows: (plan.map { "# preflight.yml\nclerk:\n  plan: \($0.rawValue)\n" } ?? "# no clerk.plan\n") + "GET /v1/environment -> \(environment ?? "503")",
            expect: expect, http: [LiveExample.environment(environment ?? "", status: environment == nil ? 503 : 200)], configuration: configuration)
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ClerkSources.frontendProbes(context) + ClerkSources.backendProbes(context, ["/v1/domains"])
    }

    static func featuresInUse(_ environment: ClerkAPI.Environment?, domains: ClerkAPI.DomainList?, snapshot: InstanceSnapshot?) -> [String: [String]] {
        PaidFeatures.inUse(environment, domains: domains, snapshot: snapshot)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let (plan, planSource) = ClerkSources.plan(context) else {
            return [.needs("needs the plan: set clerk.plan in preflight.yml (free, pro, business, enterprise) or the snapshot's plan", at: .clerkSetting("plan"))]
        }
        var environment: ClerkAPI.Environment?
        switch ClerkSources.environment(context) {
        case .success(let value): environment = value
        case .failure(.failed(let reason)): return [.undecided(reason, at: .clerkSetting("plan"))]
        case .failure(.notAsked(let reason, let need)):
            guard context.evidence.snapshot != nil else {
                return [need ? .needs(reason + ", or an instance snapshot", at: .clerkSetting("plan")) : .notApplicable(reason, at: .clerkSetting("plan"))]
            }
        }
        let domains = try? ClerkSources.domains(context).get()
        let used = Self.featuresInUse(environment, domains: domains, snapshot: context.evidence.snapshot)
        let planEvidence = EvidenceItem("plan", "\(plan.rawValue) (\(planSource))")
        guard plan == .free else {
            return [.pass("the \(plan.rawValue) plan covers \(used.isEmpty ? "the features in use" : used.keys.sorted().joined(separator: ", "))",
                          at: .clerkSetting("plan"), evidence: [planEvidence])]
        }
        guard !used.isEmpty else { return [.pass("no paid feature is in use on the free plan", at: .clerkSetting("plan"), evidence: [planEvidence])] }
        return used.keys.sorted().map { feature in
            .problem("\(feature) is in use, and the free plan does not cover it", at: .clerkSetting("plan: \(feature)"),
                     evidence: [planEvidence] + used[feature]!.map { EvidenceItem("seen in", $0) })
        }
    }
}
