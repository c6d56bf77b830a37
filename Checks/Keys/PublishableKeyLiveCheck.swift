import PreflightCore

/// Production must run on the production instance's key, and the key must decode.
struct PublishableKeyLiveCheck: Check {
    static let description = CheckDescription(
        id: "keys.publishable_key_live",
        title: "Publishable key is a production key",
        summary: "Every configured publishable key is a well-formed pk_live_ key.",
        rationale: """
            A pk_test_ key points the app at the development instance: shared OAuth credentials, \
            a user cap, the "development keys" banner, and no way to move users to production \
            later. A key that does not decode (a placeholder, a truncated paste) stops Clerk from \
            loading at all. The instance type comes from the prefix alone.
            """,
        hint: "Copy the publishable key from the production instance in the Clerk Dashboard (API keys) and redeploy",
        references: [
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
            Reference("clerk/javascript keys.ts (parsePublishableKey)", "https://github.com/clerk/javascript/blob/main/packages/shared/src/keys.ts"),
        ],
        defaultSeverity: .critical,
        tags: ["keys", "env"],
        needs: .offline,
        examples: [
            ExampleInput.envFile("a live key",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)", expect: .pass),
            ExampleInput.envFile("a development key left in the production file",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.developmentKey)", expect: .problem),
            ExampleInput.envFile("a placeholder",
                "VITE_CLERK_PUBLISHABLE_KEY=pk_live_YOUR_KEY_HERE", expect: .problem),
            ExampleInput.envFile("no key at all (reported by keys.publishable_key_present)",
                "CLERK_SECRET_KEY=\(ExampleInput.liveSecret)", expect: .notApplicable),
        ])

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let keys = context.evidence.publishableKeyVariables
        guard !keys.isEmpty else { return [.notApplicable("no publishable key is configured")] }
        return keys.map { variable in
            let evidence = [EvidenceItem(variable.name, variable.value)]
            do {
                let key = try PublishableKey(variable.value)
                switch key.instance {
                case .production:
                    return .pass("\(variable.name) is a production key for \(key.frontendAPIHost)", at: variable.target, evidence: evidence)
                case .development:
                    return .problem("\(variable.name) is a development key (pk_test_) for \(key.frontendAPIHost)",
                                    at: variable.target, evidence: evidence)
                }
            } catch {
                return .problem("\(variable.name) is not a valid publishable key: \(error)", at: variable.target, evidence: evidence)
            }
        }
    }
}
