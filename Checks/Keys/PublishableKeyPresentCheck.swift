import PreflightCore

/// A production build needs a publishable key; without one Clerk's SDK does not load.
struct PublishableKeyPresentCheck: Check {
    static let description = CheckDescription(
        id: "keys.publishable_key_present",
        title: "Publishable key is configured",
        summary: "A Clerk publishable key is set in the production env files or the environment.",
        rationale: """
            Clerk's frontend SDKs cannot load without a publishable key, and every framework reads \
            it from its own variable (NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY, VITE_CLERK_PUBLISHABLE_KEY, \
            ...). A key missing from the production configuration breaks sign-in at launch; an \
            empty one fails the same way, later.
            """,
        hint: "Set the publishable key of the production instance (pk_live_...) in the variable your framework reads, e.g. NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
        references: [
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
            Reference("Clerk: environment variables", "https://clerk.com/docs/deployments/clerk-environment-variables"),
        ],
        defaultSeverity: .critical,
        tags: ["keys", "env"],
        needs: .offline,
        examples: [
            ExampleInput.envFile("a live key in the Next.js variable",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)", expect: .pass),
            ExampleInput.environmentOnly("a key in the CI environment, no env file",
                [EnvironmentVariable(name: "VITE_CLERK_PUBLISHABLE_KEY", value: ExampleInput.liveKey)], expect: .pass),
            ExampleInput.envFile("only the secret key is set",
                "CLERK_SECRET_KEY=\(ExampleInput.liveSecret)", expect: .problem),
            ExampleInput.envFile("the variable is empty",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\"\"", expect: .problem),
            ExampleInput.unreadable("the configured env file is missing", expect: .undecided),
        ])

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let evidence = context.evidence
        let keys = evidence.publishableKeyVariables
        if !keys.isEmpty {
            return keys.map { .pass("publishable key set in \($0.name)", at: $0.target) }
        }
        // A key may be in a file that could not be read: absence is not proven.
        if let unreadable = evidence.unreadableEnvFiles.first {
            return [.undecided("could not read \(unreadable.path): \(unreadable.readError ?? "unknown error")",
                               at: .file(path: unreadable.path, line: nil, column: nil, subject: nil))]
        }
        let empty = evidence.clerkVariables.filter { $0.clerk?.kind == .publishableKey && $0.value.isEmpty }
        if let variable = empty.first {
            return [.problem("\(variable.name) is empty", at: variable.target)]
        }
        return [.problem("no publishable key in \(evidence.sourcesDescription)", at: .application)]
    }
}
