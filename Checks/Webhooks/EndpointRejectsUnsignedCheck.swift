import Foundation
import PreflightCore

/// A webhook endpoint must be reachable by Svix as it is, and refuse an event it cannot verify.
struct EndpointRejectsUnsignedCheck: Check {
    static let description = CheckDescription(
        id: "webhooks.endpoint_rejects_unsigned",
        title: "Webhook endpoints refuse unsigned events and are reachable",
        summary: "Each app.webhooks URL answers an unsigned, Svix-shaped test event with 400 or 401 from the handler: not 2xx (forgeries accepted), not a redirect (Svix does not follow), not 404 or 405, and not the auth middleware.",
        rationale: """
            Clerk delivers webhooks through Svix, which signs each event (svix-id, svix-timestamp, \
            svix-signature) and does not follow redirects. A handler that acts on an event without \
            verifying it lets anyone create or delete users in your database; a route behind the \
            auth middleware answers Svix with 401, 404 or a redirect to sign-in, and sign-ups stop \
            syncing. Preflight POSTs one harmless event (type preflight.probe, an invalid \
            signature) to each configured URL, only on app.domain and only over https, once per \
            run, without following redirects. Clerk's documented handlers answer 400 when \
            verifyWebhook() throws. The request, exactly: POST with the headers \
            \(eventHeaders.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")) \
            and the body \(eventBody).
            """,
        hint: "Verify every event with verifyWebhook(req) (or svix's Webhook.verify) and answer 400 when it throws; make the route public in the auth middleware; use the exact URL Svix is given (no redirect)",
        references: [
            Reference("Clerk: sync data with webhooks", "https://clerk.com/docs/guides/development/webhooks/syncing"),
            Reference("Clerk: verifyWebhook()", "https://clerk.com/docs/reference/backend/verify-webhook"),
            Reference("Svix: verifying payloads", "https://docs.svix.com/receiving/verifying-payloads/how"),
        ],
        defaultSeverity: .error,
        tags: ["webhooks", "app"],
        needs: .network,
        examples: [
            example("the handler refuses the forged event", status: 400, expect: .pass),
            example("the forged event is accepted", status: 200, body: "{\"ok\":true}", expect: .problem),
            example("behind the auth middleware", status: 404,
                    headers: [HTTPHeader(name: "x-clerk-auth-status", value: "signed-out"), HTTPHeader(name: "x-clerk-auth-reason", value: "session-token-and-uat-missing")],
                    expect: .problem),
            example("a redirect (apex to www)", status: 308, headers: [HTTPHeader(name: "Location", value: "https://www.example.com/api/webhooks/clerk")], expect: .problem),
            example("no such route", status: 404, expect: .problem),
            CheckExample("nothing answered", input: "POST \(url) -> connection refused", expect: .undecided) {
                context([HTTPExchange(probe: probe(url), result: LiveExample.failure(url, .connect, "connection refused"))])
            },
            CheckExample("no webhook endpoint configured", input: "# preflight.yml: no app.webhooks", expect: .notApplicable) {
                CheckContext(evidence: Evidence(), configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static let url = "https://example.com/api/webhooks/clerk"

    static func context(_ http: [HTTPExchange]) -> CheckContext {
        var configuration = LiveExample.configuration
        configuration.app.webhooks = [url]
        return CheckContext(evidence: Evidence(http: http), configuration: configuration, now: LiveExample.now)
    }

    static func example(
        _ title: String, status: Int, headers: [HTTPHeader] = [], body: String = "", expect: CheckExample.Expectation
    ) -> CheckExample {
        let shown = "POST \(url) (unsigned test event) -> \(status)" + headers.map { "\n\($0.name): \($0.value)" }.joined()
        return CheckExample(title, input: shown, expect: expect) {
            context([HTTPExchange(probe: probe(url), result: .response(HTTPResponse(url: url, status: status, headers: headers, body: body)))])
        }
    }

    /// The test event: Svix's headers with an invalid signature, and a type no handler acts on.
    /// Fixed, so a run and its replay (and each --wait attempt) send the same request.
    static let eventBody = #"{"data":{},"object":"event","type":"preflight.probe"}"#
    static let eventHeaders = [
        "Content-Type": "application/json",
        "svix-id": "msg_preflight_probe",
        "svix-timestamp": "1767225600",
        "svix-signature": "v1,cHJlZmxpZ2h0LXByb2JlLW5vdC1hLXNpZ25hdHVyZQ==",
    ]

    static func probe(_ url: String) -> HTTPProbe { .post(url, body: eventBody, headers: eventHeaders) }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        context.configuration.app.webhooks.map { .http(probe($0)) }
    }

    /// Headers Clerk's middleware adds to what it answers.
    static let middlewareHeaders = ["x-clerk-auth-status", "x-clerk-auth-reason", "x-clerk-auth-message"]

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let urls = context.configuration.app.webhooks
        guard !urls.isEmpty else {
            return [.notApplicable("no webhook endpoint is configured (app.webhooks)")]
        }
        return urls.map { judge($0, context) }
    }

    func judge(_ url: String, _ context: CheckContext) -> CheckResult {
        let target = Target.url(url)
        let response: HTTPResponse
        switch HTTPAnswer(Self.probe(url), context, at: target) {
        case .none(let undecided): return undecided
        case .response(let value): response = value
        }
        var evidence = [EvidenceItem("sent", "POST, unsigned test event (type preflight.probe, invalid svix-signature)"),
                        EvidenceItem("answer", "\(response.status)")]
        let clerk = Self.middlewareHeaders.compactMap { name in response.header(name).map { "\(name): \($0)" } }
        evidence += clerk.map { EvidenceItem("middleware", $0) }
        let location = response.header("location").map { URL(string: $0, relativeTo: URL(string: url))?.absoluteURL.absoluteString ?? $0 }
        if let location { evidence.append(EvidenceItem("location", location)) }
        let status = response.status

        if !clerk.isEmpty, [401, 403, 404].contains(status) || (300..<400).contains(status) {
            return .problem("\(url) is behind Clerk's auth middleware: it answered \(status) (\(clerk.joined(separator: ", "))), so Svix's deliveries never reach the handler",
                            at: target, evidence: evidence,
                            hint: "Make the webhook route public: leave it out of auth.protect() (e.g. createRouteMatcher(['/api/webhooks(.*)']) as public) so Svix reaches the handler, which verifies the signature itself")
        }
        switch status {
        case 200..<300:
            return .problem("\(url) accepted an unsigned event (\(status)): anyone can forge Clerk's events (create, change or delete users in your data)",
                            at: target, evidence: evidence, severity: .critical,
                            hint: "Verify every event before acting on it: const evt = await verifyWebhook(req) (from @clerk/nextjs/webhooks or your SDK's), and answer 400 when it throws")
        case 300..<400:
            return .problem("\(url) redirects (\(status)) to \(location ?? "nowhere"): Svix does not follow redirects, so every delivery fails",
                            at: target, evidence: evidence,
                            hint: "Give Clerk the URL that answers itself (the final one: www or not, trailing slash or not, https), or stop the redirect for this route")
        case 404, 405:
            return .problem("\(url) answered \(status) to a POST: the path or method is wrong, so every delivery fails",
                            at: target, evidence: evidence,
                            hint: "Point app.webhooks and the Clerk Dashboard's endpoint at the route that handles POST requests from Svix")
        case 400, 401:
            return .pass("\(url) refused the unsigned event (\(status))", at: target, evidence: evidence)
        case 403:
            return .problem("\(url) refused with 403 before any handler ran (a firewall, bot protection or a platform's auth): it may refuse Svix's deliveries too",
                            at: target, evidence: evidence, severity: .warning,
                            hint: "Let Svix's requests through to the route (allow its IP ranges, or exempt the path from bot protection), and let the handler refuse bad signatures with 400")
        case 500..<600:
            return .problem("\(url) failed with \(status) on an unsigned event: a delivery may fail the same way", at: target, evidence: evidence, severity: .warning,
                            hint: "Answer 400 when verifyWebhook() throws, instead of letting the error escape")
        default:
            return .pass("\(url) refused the unsigned event (\(status))", at: target, evidence: evidence)
        }
    }
}
