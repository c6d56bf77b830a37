import PreflightCore

/// The server must talk to the production instance.
struct SecretKeyLiveCheck: Check {
    static let description = CheckDescription(
        id: "keys.secret_key_live",
        title: "Secret key is a production key",
        summary: "Every configured Clerk secret key starts with sk_live_.",
        rationale: """
            The secret key decides which instance the server's Backend API calls and session \
            verification use. An sk_test_ key in production verifies sessions against the \
            development instance: users of the production instance cannot sign in, and the \
            development instance's relaxed settings apply to real users.
            """,
        hint: "Set CLERK_SECRET_KEY to the production instance's sk_live_ key in the deployment's secret store, not in a committed file",
        references: [
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
        ],
        defaultSeverity: .critical,
        tags: ["keys", "env", "secrets"],
        needs: .offline,
        examples: [
            ExampleInput.environmentOnly("a live key in the environment",
                [EnvironmentVariable(name: "CLERK_SECRET_KEY", value: ExampleInput.liveSecret)], expect: .pass),
            ExampleInput.envFile("a test key in the production file",
                "CLERK_SECRET_KEY=\(ExampleInput.testSecret)", expect: .problem),
            ExampleInput.envFile("something that is not a secret key",
                "CLERK_SECRET_KEY=changeme", expect: .problem),
            ExampleInput.envFile("no secret key (a static site may not need one)",
                "VITE_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)", expect: .notApplicable),
        ])

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let keys = context.evidence.secretKeyVariables(context.configuration)
        guard !keys.isEmpty else {
            return [.notApplicable("no secret key is configured (\(context.configuration.clerk.secretKeyEnv) is not set)")]
        }
        return keys.map { variable in
            let masked = Redactor.mask(variable.value)
            let evidence = [EvidenceItem(variable.name, masked)]
            if variable.value.hasPrefix(SecretKey.livePrefix) {
                return .pass("\(variable.name) is a production secret key", at: variable.target, evidence: evidence)
            }
            if variable.value.hasPrefix(SecretKey.testPrefix) {
                return .problem("\(variable.name) is a development secret key (sk_test_)", at: variable.target, evidence: evidence)
            }
            return .problem("\(variable.name) does not look like a Clerk secret key (no sk_live_ prefix)",
                            at: variable.target, evidence: evidence)
        }
    }
}
