import PreflightCore

/// Anything in a browser-exposed variable ships in the bundle, for anyone to read.
struct NoSecretInPublicVariableCheck: Check {
    static let description = CheckDescription(
        id: "keys.no_secret_in_public_variable",
        title: "No secret key in a browser-exposed variable",
        summary: "No variable that bundlers inline into browser code (NEXT_PUBLIC_, VITE_, PUBLIC_, ...) holds a secret key.",
        rationale: """
            Bundlers copy every NEXT_PUBLIC_, VITE_, PUBLIC_, NUXT_PUBLIC_, EXPO_PUBLIC_, \
            PLASMO_PUBLIC_, REACT_APP_ and GATSBY_ variable into the JavaScript they ship. A secret \
            key there is public: anyone can call Clerk's Backend API as the application, read and \
            delete users, and mint sessions. Stripe keys share the sk_ prefix and leak the same way.
            """,
        hint: "Rename the variable without the public prefix (CLERK_SECRET_KEY), use it only in server code, and rotate the key in the Clerk Dashboard: it has been exposed",
        references: [
            Reference("Clerk: environment variables", "https://clerk.com/docs/deployments/clerk-environment-variables"),
            Reference("Next.js: bundling environment variables for the browser", "https://nextjs.org/docs/app/building-your-application/configuring/environment-variables"),
        ],
        defaultSeverity: .critical,
        tags: ["keys", "env", "secrets", "leakage"],
        needs: .offline,
        examples: [
            ExampleInput.envFile("the secret key stays server-side",
                "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)\nCLERK_SECRET_KEY=\(ExampleInput.liveSecret)", expect: .pass),
            ExampleInput.envFile("a secret key under a public prefix",
                "NEXT_PUBLIC_CLERK_SECRET_KEY=\(ExampleInput.liveSecret)", expect: .problem),
            ExampleInput.envFile("a webhook signing secret under a public prefix",
                "VITE_CLERK_WEBHOOK_SIGNING_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", expect: .problem),
            ExampleInput.environmentOnly("a secret in a public variable of the CI environment",
                [EnvironmentVariable(name: "PUBLIC_CLERK_SECRET_KEY", value: ExampleInput.testSecret)], expect: .problem),
            ExampleInput.unreadable("the configured env file is missing", expect: .undecided),
        ])

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let evidence = context.evidence
        let exposed = evidence.configuredVariables.filter { ClerkVariable.isBrowserExposed($0.name) }
        var results: [CheckResult] = []
        for variable in exposed {
            let isSecretName = variable.clerk?.kind.isSecret == true
            let isSecretValue = SecretKey.looksLikeSecretKey(variable.value) || variable.value.hasPrefix("whsec_")
            guard isSecretValue || (isSecretName && !variable.value.isEmpty) else { continue }
            // Name the server-side variable this one should be (CLERK_WEBHOOK_SIGNING_SECRET, ...).
            let serverName = variable.clerk?.baseName ?? (variable.value.hasPrefix("whsec_") ? "CLERK_WEBHOOK_SIGNING_SECRET" : "CLERK_SECRET_KEY")
            results.append(.problem(
                "browser-exposed \(variable.name) holds a secret (\(Redactor.mask(variable.value)))",
                at: variable.target, evidence: [EvidenceItem(variable.name, Redactor.mask(variable.value))],
                hint: "Rename it to \(serverName) (no public prefix), read it only in server code, and rotate it in the Clerk Dashboard: it has been exposed"))
        }
        for file in evidence.unreadableEnvFiles {
            results.append(.undecided("could not read \(file.path): \(file.readError ?? "unknown error")",
                                      at: .file(path: file.path, line: nil, column: nil, subject: nil)))
        }
        if results.isEmpty {
            results.append(.pass("no secret in the browser-exposed variables of \(evidence.sourcesDescription)",
                                 at: .application))
        }
        return results
    }
}
