import Foundation
import PreflightCore

/// Plain HTTP must lead to HTTPS, and the app's HTTPS answer must ask browsers to stay there.
struct HTTPSEnforcedCheck: Check {
    static let description = CheckDescription(
        id: "web.https_enforced",
        title: "HTTPS is enforced",
        summary: "http://<app.domain>/ redirects to https://, and the HTTPS answer of app.url carries Strict-Transport-Security.",
        rationale: """
            Clerk's session cookies are Secure, and its Frontend API is HTTPS only: a visitor who \
            types the bare domain and stays on http:// gets a page that cannot sign in, and an \
            attacker on the network can strip TLS from a first visit. A redirect to https:// and \
            an HSTS header (max-age above zero) close both. The redirect is read as it is \
            answered (not followed); the header comes from the same fetch of app.url that the \
            other page checks read.
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
            example("a redirect and HSTS", http: redirect(), hsts: "max-age=63072000; includeSubDomains", expect: .pass),
            example("a redirect without HSTS", http: redirect(), hsts: nil, expect: .problem),
            example("HSTS switched off", http: redirect(), hsts: "max-age=0", expect: .problem),
            example("served over plain HTTP", http: LiveExample.response("http://example.com/"), hsts: "max-age=63072000", expect: .problem),
            example("a redirect to another plain http:// URL", http: redirect(to: "http://www.example.com/"), hsts: "max-age=63072000", expect: .problem),
            example("timed out", http: LiveExample.failure("http://example.com/", .timeout, "timed out"), hsts: "max-age=63072000", expect: .undecided),
        ])

    static func redirect(to location: String = "https://example.com/") -> HTTPResult {
        .response(HTTPResponse(url: "http://example.com/", status: 301, headers: [HTTPHeader(name: "Location", value: location)]))
    }

    static func example(_ title: String, http: HTTPResult, hsts: String?, expect: CheckExample.Expectation) -> CheckExample {
        var shown = "GET http://example.com/ -> "
        switch http {
        case .response(let response): shown += "\(response.status)" + (response.header("location").map { " Location: \($0)" } ?? "")
        case .failure(let failure): shown += failure.kind.rawValue
        }
        shown += "\nGET https://example.com/ -> 200" + (hsts.map { "\nStrict-Transport-Security: \($0)" } ?? "")
        let page = PageScan(url: "https://example.com/", status: 200, headers: hsts.map { [HTTPHeader(name: "Strict-Transport-Security", value: $0)] } ?? [])
        return LiveExample.example(title, shows: shown, expect: expect,
                                   http: [HTTPExchange(probe: probe(for: "http://example.com/"), result: http)], pages: [page])
    }

    static func probe(for url: String) -> HTTPProbe { HTTPProbe(url: url, followRedirects: false) }

    static func url(_ configuration: Configuration) -> String? {
        configuration.app.domain.map { "http://\($0)/" }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard let url = url(context.configuration) else { return [] }
        return [.http(probe(for: url))] + ScanFindings.probes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let url = Self.url(context.configuration), let pageURL = context.configuration.app.url else {
            return [.undecided("app.domain is not set in preflight.yml", at: .application)]
        }
        let target = Target.url(url)
        guard let result = context.evidence.http(Self.probe(for: url)) else { return [.undecided("\(url) was not fetched", at: target)] }
        let response: HTTPResponse
        switch result {
        case .failure(let failure) where failure.kind == .connect:
            return [.problem("nothing answers at \(url) (\(failure.message)): visitors who type the domain get an error instead of the app",
                             at: target, evidence: [EvidenceItem("error", failure.description)])]
        case .failure(let failure):
            return [.undecided("could not fetch \(url): \(failure)", at: target)]
        case .response(let success):
            response = success
        }
        var evidence = [EvidenceItem("http://", "\(response.status)" + (response.header("location").map { " -> \($0)" } ?? ""))]
        let location = response.header("location").flatMap { URL(string: $0, relativeTo: URL(string: url))?.absoluteURL }
        guard [301, 302, 303, 307, 308].contains(response.status), let location else {
            return [.problem("\(url) answers \(response.status) over plain HTTP without a redirect to https://", at: target, evidence: evidence)]
        }
        guard location.scheme?.lowercased() == "https" else {
            return [.problem("\(url) redirects to \(location.absoluteString), which is not https://", at: target, evidence: evidence)]
        }

        guard let page = context.evidence.page(pageURL) else { return [.undecided("\(pageURL) was not fetched", at: target, evidence: evidence)] }
        if let failure = page.failure { return [.undecided("could not fetch \(pageURL): \(failure)", at: target, evidence: evidence)] }
        guard let hsts = page.header("strict-transport-security") else {
            return [.problem("\(pageURL) sends no Strict-Transport-Security header", at: target, evidence: evidence,
                             hint: "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response")]
        }
        evidence.append(EvidenceItem("strict-transport-security", hsts))
        let maxAge = hsts.split(separator: ";").compactMap { part -> Int? in
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "max-age" else { return nil }
            return Int(pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        }.first
        guard let maxAge, maxAge > 0 else {
            return [.problem("Strict-Transport-Security of \(pageURL) has no positive max-age ('\(hsts)')", at: target, evidence: evidence)]
        }
        return [.pass("\(url) redirects to \(location.absoluteString), and \(pageURL) sends HSTS for \(maxAge / 86_400) days", at: target, evidence: evidence)]
    }
}
