import Foundation
import PreflightCore

/// The app's clock must agree with Clerk's, or every session token is refused.
struct ClockInSyncCheck: Check {
    /// @clerk/backend accepts a token this far outside its validity (`DEFAULT_CLOCK_SKEW_IN_MS`
    /// in packages/backend/src/jwt/verifyJwt.ts: 5 * 1000).
    static let allowedSkew: TimeInterval = 5

    static let description = CheckDescription(
        id: "web.clock_in_sync",
        title: "The app's clock agrees with Clerk's",
        summary: "The Date header of app.url and that of the Frontend API are no further apart than Clerk's clock-skew allowance (5 s by default in @clerk/backend).",
        rationale: """
            Session tokens are short-lived JWTs issued by Clerk with iat, nbf and exp; the app's \
            server checks them against its own clock, allowing 5 seconds of skew \
            (clockSkewInMs). A server whose clock is off by more refuses every token (users are \
            signed out at once, or loop through the handshake). Both clocks are read remotely, \
            from the Date headers of the two answers Preflight already fetches, so the machine \
            running Preflight does not matter. A CDN in front of the app may stamp its own Date: \
            then this reads the CDN's clock, not the server's.
            """,
        hint: "Keep the server's clock synchronised (NTP: systemd-timesyncd, chrony), or raise clockSkewInMs in clerkMiddleware/authenticateRequest while you fix it",
        references: [
            Reference("Clerk: clockSkewInMs (authenticateRequest options)", "https://clerk.com/docs/reference/backend/authenticate-request"),
            Reference("RFC 9110: the Date header", "https://www.rfc-editor.org/rfc/rfc9110#name-date"),
        ],
        defaultSeverity: .error,
        tags: ["web", "sessions"],
        needs: .network,
        examples: [
            example("two seconds apart", app: "Fri, 01 Jan 2027 00:00:02 GMT", clerk: "Fri, 01 Jan 2027 00:00:00 GMT", expect: .pass),
            example("the server is two minutes slow", app: "Thu, 31 Dec 2026 23:58:00 GMT", clerk: "Fri, 01 Jan 2027 00:00:00 GMT", expect: .problem),
            example("no Date header", app: nil, clerk: "Fri, 01 Jan 2027 00:00:00 GMT", expect: .undecided),
        ])

    static let fapiURL = "https://clerk.example.com/v1/environment"

    static func example(_ title: String, app: String?, clerk: String, expect: CheckExample.Expectation) -> CheckExample {
        let shown = "GET https://example.com/ -> Date: \(app ?? "(none)")\nGET \(fapiURL) -> Date: \(clerk)"
        let page = HTTPResponse(url: "https://example.com/", status: 200, headers: app.map { [HTTPHeader(name: "Date", value: $0)] } ?? [])
        let fapi = HTTPResponse(url: fapiURL, status: 200, headers: [HTTPHeader(name: "Date", value: clerk)], body: LiveExample.displayConfig())
        return LiveExample.example(title, shows: shown, expect: expect, http: [
            HTTPExchange(probe: HTTPProbe(url: "https://example.com/", certificates: true), result: .response(page)),
            HTTPExchange(probe: HTTPProbe(url: fapiURL, certificates: true), result: .response(fapi)),
        ])
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard let url = context.configuration.app.url else { return [] }
        // The same exchange as the page scan's (the prober asks the URL once for both).
        return [.http(HTTPProbe(url: url, certificates: true))] + ClerkSources.frontendProbes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let url = context.configuration.app.url else { return [.undecided("app.domain is not set in preflight.yml", at: .application)] }
        let target = Target.url(url)
        guard let fapiURL = ClerkRequests(configuration: context.configuration, evidence: context.evidence).environmentURL else {
            return [.needs("needs a publishable key: the Frontend API's clock is the reference", at: target)]
        }
        let app: HTTPResponse
        let clerk: HTTPResponse
        switch (HTTPAnswer(HTTPProbe(url: url, certificates: true), context, at: target), HTTPAnswer(HTTPProbe(url: fapiURL, certificates: true), context, at: target)) {
        case (.none(let undecided), _), (_, .none(let undecided)): return [undecided]
        case (.response(let first), .response(let second)): (app, clerk) = (first, second)
        }
        guard let appDateText = app.header("date"), let appDate = HTTPDate.parse(appDateText) else {
            return [.undecided("\(url) sends no valid Date header (\(app.header("date") ?? "none")): its clock cannot be read", at: target)]
        }
        guard let clerkDateText = clerk.header("date"), let clerkDate = HTTPDate.parse(clerkDateText) else {
            return [.undecided("the Frontend API sends no valid Date header: Clerk's clock cannot be read", at: target)]
        }
        let apart = appDate.timeIntervalSince(clerkDate)
        // Each header has one-second resolution, and the two answers left their servers at
        // different moments (measured by when their first bytes arrived).
        let margin = 1 + abs(app.timings.firstByteMs - clerk.timings.firstByteMs) / 1000
        let evidence = [EvidenceItem("app Date", appDateText), EvidenceItem("Clerk Date", clerkDateText),
                        EvidenceItem("apart", Self.seconds(apart) + (apart < 0 ? " (the app is behind)" : apart > 0 ? " (the app is ahead)" : "")),
                        EvidenceItem("allowed", "\(Int(Self.allowedSkew)) s (clockSkewInMs), measured within \(Self.seconds(margin))")]
        if abs(apart) <= Self.allowedSkew {
            return [.pass("the app's clock is within \(Self.seconds(abs(apart))) of Clerk's", at: target, evidence: evidence)]
        }
        if abs(apart) > Self.allowedSkew + margin {
            return [.problem("the app's clock is \(Self.seconds(abs(apart))) \(apart < 0 ? "behind" : "ahead of") Clerk's, more than the \(Int(Self.allowedSkew)) s session tokens allow: every token may be refused",
                             at: target, evidence: evidence)]
        }
        return [.undecided("the app's clock is \(Self.seconds(abs(apart))) from Clerk's, too close to the \(Int(Self.allowedSkew)) s allowance to tell from Date headers",
                           at: target, evidence: evidence)]
    }

    static func seconds(_ value: TimeInterval) -> String {
        let rounded = (abs(value) * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }
}
