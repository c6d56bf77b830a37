import Foundation
import PreflightCore

/// Plain HTTP must lead to HTTPS, and HTTPS must ask browsers to stay there.
struct HTTPSEnforcedCheck: Check {
    static let description = CheckDescription(
        id: "web.https_enforced",
        title: "HTTPS is enforced",
        summary: "http://<app.domain>/ redirects to https://, and the HTTPS answer carries Strict-Transport-Security.",
        rationale: """
            Clerk's session cookies are Secure, and its Frontend API is HTTPS only: a visitor who \\
            types the bare domain and stays on http:// gets a page that cannot sign in, and an \\
            attacker on the network can strip TLS from a first visit. A redirect to https:// and \\
            an HSTS header (max-age above zero) close both.
            """,
        hint: "Redirect every http:// request to https:// (301 or 308) and send Strict-Transport-Security: max-age=31536000; includeSubDomains",
        references: [
            Reference("MDN: Strict-Transport-Security", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security"),
            Reference("RFC 6797: HSTS", "https://www.rfc-editor.org/rfc/rfc6797"),
        ],
        defaultSeverity: .warning,
        tags: ["web", "tls"],
        needs: .network,
        examples: [
            example("a redirect and HSTS", location: "https://example.com/", hsts: "max-age=63072000; includeSubDomains", expect: .pass),
            example("a redirect without HSTS", location: "https://example.com/", hsts: nil, expect: .problem),
            example("HSTS switched off", location: "https://example.com/", hsts: "max-age=0", expect: .problem),
            LiveExample.example(
                "served over plain HTTP", shows: "GET http://example.com/ -> 200", expect: .problem,
                http: [HTTPExchange(probe: HTTPProbe(url: "http://example.com/"), result: LiveExample.response("http://example.com/"))]),
            LiveExample.example(
                "timed out", shows: "GET http://example.com/ -> timeout", expect: .undecided,
                http: [HTTPExchange(probe: HTTPProbe(url: "http://example.com/"), result: LiveExample.failure("http://example.com/", .timeout, "timed out"))]),
        ])

    static func example(_ title: String, location: String, hsts: String?, expect: CheckExample.Expectation) -> CheckExample {
        let headers = hsts.map { [HTTPHeader(name: "Strict-Transport-Security", value: $0)] } ?? []
        let response = HTTPResponse(url: location, status: 200, headers: headers,
                                    redirects: [RedirectHop(url: "http://example.com/", status: 301, location: location)])
        return LiveExample.example(
            title, shows: "GET http://example.com/ -> 301 \(location)\nGET \(location) -> 200" + (hsts.map { "\nStrict-Transport-Security: \($0)" } ?? ""),
            expect: expect, http: [HTTPExchange(probe: HTTPProbe(url: "http://example.com/"), result: .response(response))])
    }

    static func url(_ configuration: Configuration) -> String? {
        configuration.app.domain.map { "http://\($0)/" }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        url(context.configuration).map { [.http(HTTPProbe(url: $0))] } ?? []
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let url = Self.url(context.configuration) else { return [.undecided("app.domain is not set in preflight.yml", at: .application)] }
        let target = Target.url(url)
        guard let result = context.evidence.http(HTTPProbe(url: url)) else { return [.undecided("\(url) was not fetched", at: target)] }
        let response: HTTPResponse
        switch result {
        case .failure(let failure) where failure.kind == .connect && failure.url == url:
            return [.problem("nothing answers at \(url) (\(failure.message)): visitors who type the domain get an error instead of the app",
                             at: target, evidence: [EvidenceItem("error", failure.description)])]
        case .failure(let failure):
            return [.undecided("could not fetch \(url): \(failure)", at: target)]
        case .response(let success):
            response = success
        }
        var evidence = response.redirects.map { EvidenceItem("redirect", "\($0.status) \($0.url) -> \($0.location)") }
        evidence.append(EvidenceItem("final", "\(response.status) \(response.url)"))
        guard URLComponents(string: response.url)?.scheme?.lowercased() == "https" else {
            return [.problem("\(url) answers \(response.status) over plain HTTP without a redirect to https://", at: target, evidence: evidence)]
        }
        guard let hsts = response.header("strict-transport-security") else {
            return [.problem("\(response.url) sends no Strict-Transport-Security header", at: target, evidence: evidence,
                             hint: "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response")]
        }
        evidence.append(EvidenceItem("strict-transport-security", hsts))
        let maxAge = hsts.split(separator: ";").compactMap { part -> Int? in
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "max-age" else { return nil }
            return Int(pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }.first
        guard let maxAge, maxAge > 0 else {
            return [.problem("Strict-Transport-Security of \(response.url) has no positive max-age ('\(hsts)')", at: target, evidence: evidence)]
        }
        return [.pass("\(url) redirects to \(response.url), which sends HSTS for \(maxAge / 86_400) days", at: target, evidence: evidence)]
    }
}
