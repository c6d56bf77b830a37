import PreflightCore

/// Code that acts on Clerk's events must verify them first, on the bytes Svix sent.
struct HandlerVerifiesCheck: Check {
    static let description = CheckDescription(
        id: "webhooks.handler_verifies",
        title: "Webhook handlers verify Clerk's events",
        summary: "Every source file that handles Clerk's webhook events (reads an event type such as 'user.created') verifies them with verifyWebhook() or svix's Webhook.verify(), on the raw body.",
        rationale: """
            A webhook endpoint is a public URL: without verification, anyone who finds it can \
            post a user.deleted or user.created event and your handler acts on it. Clerk signs \
            every event through Svix; verifyWebhook(req) (from @clerk/*/webhooks) checks the \
            signature on the request as it came, and svix's Webhook.verify(payload, headers) \
            needs the body as the exact bytes that were sent: a body parsed and serialised again \
            (JSON.stringify(await req.json())) never matches, so every real event is refused. \
            The source is read as text: a handler is a file that reads one of Clerk's event \
            types (as @clerk/backend lists them) and speaks of webhooks or Svix.
            """,
        hint: "Verify before acting: const evt = await verifyWebhook(req) (answer 400 when it throws), or new Webhook(secret).verify(rawBody, headers) with the raw body (await req.text())",
        references: [
            Reference("Clerk: verifyWebhook()", "https://clerk.com/docs/reference/backend/verify-webhook"),
            Reference("Clerk: sync data with webhooks", "https://clerk.com/docs/guides/development/webhooks/syncing"),
            Reference("Svix: verifying payloads (raw body)", "https://docs.svix.com/receiving/verifying-payloads/how"),
        ],
        defaultSeverity: .critical,
        tags: ["webhooks", "app", "code"],
        needs: .offline,
        examples: [
            example("verified with verifyWebhook()", code: "const evt = await verifyWebhook(req)\nif (evt.type === 'user.created') { … }",
                    handlers: [handler(verifies: true)], expect: .pass),
            example("acts on the event unverified", code: "const evt = await req.json() // webhook\nif (evt.type === 'user.created') { … }",
                    handlers: [handler(verifies: false)], expect: .problem),
            example("svix given a re-serialised body", code: "const payload = await req.json()\nnew Webhook(secret).verify(JSON.stringify(payload), headers)",
                    handlers: [handler(verifies: true, reserializedAt: 6)], expect: .problem),
            example("verified in another file", code: "// app/api/webhooks/clerk/route.ts reads evt.type; lib/webhooks.ts calls verifyWebhook()",
                    handlers: [handler(verifies: false)],
                    calls: [SourceScan.Call(kind: .verifyWebhook, path: "lib/webhooks.ts", line: 3, column: 10, arguments: "req")], expect: .toConfirm),
            example("no webhook handler", code: "// no Clerk event type read anywhere", handlers: [], expect: .notApplicable),
        ])

    static let path = "app/api/webhooks/clerk/route.ts"

    static func handler(verifies: Bool, reserializedAt: Int? = nil) -> SourceScan.WebhookHandler {
        SourceScan.WebhookHandler(path: path, line: 7, column: 22, eventType: "user.created", verifies: verifies, reserializedAt: reserializedAt)
    }

    static func example(
        _ title: String, code: String, handlers: [SourceScan.WebhookHandler], calls: [SourceScan.Call] = [], expect: CheckExample.Expectation
    ) -> CheckExample {
        CheckExample(title, input: "// \(path)\n\(code)", expect: expect) {
            CheckContext(evidence: Evidence(sources: SourceScan(filesScanned: 12, calls: calls, webhookHandlers: handlers)),
                         configuration: LiveExample.configuration, now: LiveExample.now)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [.sourceScan] }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        guard let handlers = sources.webhookHandlers else {
            return [.undecided("the source scan did not look for webhook handlers (a recording made before it did)", at: .application)]
        }
        return judge(handlers, sources).requiringWholeEvidence(missing: sources.notReadSummary)
    }

    func judge(_ handlers: [SourceScan.WebhookHandler], _ sources: SourceScan) -> [CheckResult] {
        guard !handlers.isEmpty else {
            return [.notApplicable("no source file handles Clerk's webhook events (\(sources.filesScanned) source file(s) read)")]
        }
        let verifiers = sources.calls.filter { $0.kind == .verifyWebhook || $0.kind == .svixWebhook }
        return handlers.map { handler in
            let target = Target.file(path: handler.path, line: handler.line, column: handler.column, subject: handler.eventType)
            var evidence = [EvidenceItem("handles", "'\(handler.eventType)' at \(handler.path):\(handler.line)")]
            if let line = handler.reserializedAt {
                evidence.append(EvidenceItem("verifies", "svix .verify(JSON.stringify(…)) at \(handler.path):\(line)"))
                return .problem("\(handler.path) verifies a re-serialised body (JSON.stringify at line \(line)): the signature is over the bytes Svix sent, so every real event is refused",
                                at: target, evidence: evidence,
                                hint: "Verify the raw body: const payload = await req.text(); new Webhook(secret).verify(payload, headers); or use verifyWebhook(req)")
            }
            if handler.verifies {
                return .pass("\(handler.path) verifies Clerk's events before handling them", at: target, evidence: evidence)
            }
            let elsewhere = verifiers.filter { $0.path != handler.path }
            if let first = elsewhere.first {
                evidence.append(EvidenceItem("verified in", "\(first.kind.display) at \(first.path):\(first.line)"))
                return CheckResult(
                    status: .toConfirm("confirm that every event \(handler.path) handles went through \(first.kind.display) in \(first.path) (line \(first.line))"),
                    message: "\(handler.path) handles Clerk's events, but verifies them in another file (\(first.path)): it cannot be read which request reaches which",
                    target: target, evidence: evidence)
            }
            return .problem("\(handler.path) handles Clerk's events ('\(handler.eventType)') without verifying them: anyone can post forged events to it",
                            at: target, evidence: evidence)
        }
    }
}
