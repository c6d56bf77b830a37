import PreflightCore

/// An app that verifies Clerk webhooks needs production's own signing secret.
struct WebhookSigningSecretSetCheck: Check {
    static let description = CheckDescription(
        id: "app.webhook_signing_secret_set",
        title: "Production has its own webhook signing secret",
        summary: "When the app verifies Clerk webhooks (verifyWebhook() from @clerk/*/webhooks, or svix's Webhook), the production environment sets the signing secret it reads (CLERK_WEBHOOK_SIGNING_SECRET by default) to a whsec_ value that is not the development one.",
        rationale: """
            Webhook endpoints do not move from development to production: production needs a new \
            endpoint in the Clerk Dashboard, and its own signing secret. With the secret unset \
            every webhook fails verification (users are created in Clerk but never in your \
            database); with the development secret, production's webhooks fail the same way. \
            The variable is the one the code reads at the call (or verifyWebhook's default).
            """,
        hint: "Create the production webhook endpoint in the Clerk Dashboard (Webhooks) and set its signing secret (whsec_…) in the production environment",
        references: [
            Reference("Clerk: sync data with webhooks", "https://clerk.com/docs/guides/development/webhooks/syncing"),
            Reference("Clerk: deploy to production (webhooks)", "https://clerk.com/docs/deployments/overview"),
        ],
        defaultSeverity: .error,
        tags: ["app", "secrets", "code"],
        needs: .offline,
        examples: [
            example("production has its own secret", production: "CLERK_WEBHOOK_SIGNING_SECRET=whsec_prodSecretAAAAAAAAAAAAAAAAAAAA",
                    development: "CLERK_WEBHOOK_SIGNING_SECRET=whsec_devSecretBBBBBBBBBBBBBBBBBBBBBB", expect: .pass),
            example("not set in production", production: "", development: nil, expect: .problem),
            example("the development secret reused", production: "CLERK_WEBHOOK_SIGNING_SECRET=whsec_devSecretBBBBBBBBBBBBBBBBBBBBBB",
                    development: "CLERK_WEBHOOK_SIGNING_SECRET=whsec_devSecretBBBBBBBBBBBBBBBBBBBBBB", expect: .problem),
            CheckExample("no webhook verification in the code", input: "// no verifyWebhook() or svix Webhook", expect: .notApplicable) {
                CheckContext(evidence: Evidence(sources: SourceScan(filesScanned: 30)), configuration: LiveExample.configuration)
            },
        ])

    static func example(_ title: String, production: String, development: String?, expect: CheckExample.Expectation) -> CheckExample {
        let call = SourceScan.Call(kind: .verifyWebhook, path: "app/api/webhooks/route.ts", line: 5, column: 21, arguments: "req")
        let sources = SourceScan(filesScanned: 30, calls: [call],
                                 developmentEnvFiles: development.map { [EnvFileEvidence(path: ".env.development", text: $0 + "\n")] } ?? [])
        var shown = "// app/api/webhooks/route.ts\nconst evt = await verifyWebhook(req)\n# .env.production\n\(production)"
        if let development { shown += "\n# .env.development\n\(development)" }
        let files = [EnvFileEvidence(path: ".env.production", text: production + "\n")]
        return CheckExample(title, input: shown, expect: expect) {
            CheckContext(evidence: Evidence(envFiles: files, sources: sources), configuration: LiveExample.configuration)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [.sourceScan] }

    static let defaultVariable = "CLERK_WEBHOOK_SIGNING_SECRET"

    /// The variable a call reads its secret from: named in its arguments, else (svix) one of
    /// the file's that names a webhook or signing secret, else verifyWebhook's default.
    static func variable(of call: SourceScan.Call) -> String? {
        let inArguments = call.fileEnvironmentVariables.filter { call.arguments?.contains($0) == true }
        if let named = inArguments.first(where: { $0.contains("SECRET") || $0.contains("WEBHOOK") }) { return named }
        if call.kind == .verifyWebhook { return defaultVariable }
        return call.fileEnvironmentVariables.first { $0.contains("WEBHOOK") || $0.contains("SIGNING") || $0.contains("SVIX") }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        return judge(sources, context).requiringWholeEvidence(missing: sources.notReadSummary)
    }

    func judge(_ sources: SourceScan, _ context: CheckContext) -> [CheckResult] {
        let calls = sources.calls.filter { $0.kind == .verifyWebhook || $0.kind == .svixWebhook }
        guard !calls.isEmpty else {
            return [.notApplicable("the app does not verify webhooks (no verifyWebhook() from @clerk/*/webhooks or svix Webhook in \(sources.filesScanned) source file(s))")]
        }
        var results: [CheckResult] = []
        var judged: Set<String> = []
        for call in calls {
            let target = Target.file(path: call.path, line: call.line, column: call.column, subject: call.kind.display)
            guard let name = Self.variable(of: call) else {
                results.append(.problem("cannot tell which variable holds the signing secret of \(call.kind.display) in \(call.path)", at: target, severity: .warning))
                continue
            }
            guard judged.insert(name).inserted else { continue }
            var evidence = [EvidenceItem("read by", "\(call.kind.display) at \(call.path):\(call.line)"), EvidenceItem("variable", name)]
            guard let production = context.evidence.configuredVariables.last(where: { $0.name == name && !$0.value.isEmpty }) else {
                // An env file that could not be read may be the one that sets it: cannot tell.
                if let unread = context.evidence.unreadableEnvFiles.first {
                    results.append(.undecided("\(name), the webhook signing secret \(call.kind.display) reads, is not set where it could be read, and \(unread.readError ?? unread.path)",
                                              at: .environment(variable: name), evidence: evidence))
                    continue
                }
                results.append(.problem("the production environment does not set \(name), the webhook signing secret \(call.kind.display) reads",
                                        at: .environment(variable: name), evidence: evidence + [EvidenceItem("looked in", context.evidence.sourcesDescription)]))
                continue
            }
            evidence.append(EvidenceItem("production value", Redactor.mask(production.value)))
            guard production.value.hasPrefix("whsec_") else {
                results.append(.problem("\(name) is not a webhook signing secret (whsec_…)", at: production.target, evidence: evidence))
                continue
            }
            if let unread = sources.developmentEnvFiles.first(where: { $0.readError != nil }) {
                results.append(.undecided("cannot compare \(name) with development's: \(unread.readError ?? unread.path)",
                                          at: production.target, evidence: evidence))
                continue
            }
            let development = sources.developmentEnvFiles.flatMap(\.effectiveEntries).last { $0.key == name }
            if let development, sameSecretValue(development.value, digest: development.valueDigest, production.value, digest: production.valueDigest) {
                results.append(.problem("\(name) is the development endpoint's signing secret: production needs its own endpoint and secret",
                                        at: production.target, evidence: evidence + [EvidenceItem("same as", ".env.development")]))
                continue
            }
            results.append(.pass("\(name) holds production's own webhook signing secret", at: production.target, evidence: evidence))
        }
        return results
    }
}
