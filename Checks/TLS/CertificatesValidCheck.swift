import Foundation
import PreflightCore

/// The app and its Frontend API must present certificates browsers accept, with time left.
struct CertificatesValidCheck: Check {
    static let warnDays = OptionKey("warn_days", summary: "warn when a certificate expires in fewer days", default: 30)
    static let failDays = OptionKey("fail_days", summary: "fail when a certificate expires in fewer days", default: 14)

    static let description = CheckDescription(
        id: "tls.certificates_valid",
        title: "TLS certificates are valid",
        summary: "app.url, clerk.<app.domain> and accounts.<app.domain> present a trusted chain for their host that does not expire soon.",
        rationale: """
            Clerk's Frontend API and Account Portal run on your domain with certificates Clerk \
            obtains once the DNS records are in place (from Let's Encrypt or Google Trust \
            Services); your app has its own. An untrusted, mismatched or expired certificate stops sign-in in every browser, \
            and one close to expiry is an outage waiting for a renewal that may not come.
            """,
        hint: "Renew or reissue the certificate; for clerk.<domain>, check the CNAME and any CAA record (it must allow letsencrypt.org and pki.goog) so Clerk can renew it",
        references: [
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
            Reference("Let's Encrypt: CAA", "https://letsencrypt.org/docs/caa/"),
        ],
        defaultSeverity: .error,
        tags: ["tls", "domain"],
        needs: .network,
        options: [
            warnDays.declaration, failDays.declaration,
        ],
        examples: [
            LiveExample.example(
                "every certificate has months left", shows: "https://example.com/, https://clerk.example.com/, https://accounts.example.com/: valid for 80 days",
                expect: .pass,
                http: [
                    HTTPExchange(probe: HTTPProbe(url: "https://example.com/", certificates: true),
                                 result: LiveExample.response("https://example.com/", certificates: [LiveExample.certificate(host: "example.com", daysLeft: 80)])),
                    HTTPExchange(probe: HTTPProbe(url: "https://clerk.example.com/v1/environment", certificates: true),
                                 result: LiveExample.response("https://clerk.example.com/v1/environment", certificates: [LiveExample.certificate(host: "clerk.example.com", daysLeft: 80)])),
                    HTTPExchange(probe: HTTPProbe(url: "https://accounts.example.com/", certificates: true),
                                 result: LiveExample.response("https://accounts.example.com/", certificates: [LiveExample.certificate(host: "accounts.example.com", daysLeft: 80)])),
                ]),
            LiveExample.example(
                "the app's certificate has expired", shows: "https://example.com/: certificate has expired", expect: .problem,
                http: [HTTPExchange(probe: HTTPProbe(url: "https://example.com/", certificates: true),
                                    result: LiveExample.failure("https://example.com/", .tlsExpired, "SSL certificate problem: certificate has expired"))]),
            LiveExample.example(
                "expires in 20 days", shows: "https://example.com/: 20 days left (warn under 30)", expect: .problem,
                http: [HTTPExchange(probe: HTTPProbe(url: "https://example.com/", certificates: true),
                                    result: LiveExample.response("https://example.com/", certificates: [LiveExample.certificate(host: "example.com", daysLeft: 20)]))]),
            LiveExample.example(
                "the connection timed out", shows: "https://example.com/: timeout", expect: .undecided,
                http: [HTTPExchange(probe: HTTPProbe(url: "https://example.com/", certificates: true),
                                    result: LiveExample.failure("https://example.com/", .timeout, "Operation timed out after 10000 milliseconds"))]),
            LiveExample.example(
                "the server speaks no TLS", shows: "https://example.com/: wrong version number (a plain TCP server on 443)", expect: .undecided,
                http: [HTTPExchange(probe: HTTPProbe(url: "https://example.com/", certificates: true),
                                    result: LiveExample.failure("https://example.com/", .tlsHandshake, "OpenSSL/3.0.17: error:0A00010B:SSL routines::wrong version number"))]),
        ])

    /// The URLs whose certificates are checked: the app, and the Frontend API and Account
    /// Portal of the domain. One finding per host.
    static func urls(_ configuration: Configuration) -> [String] {
        var urls: [String] = []
        if let url = configuration.app.url { urls.append(url) }
        if configuration.clerk.proxyURL == nil, let host = configuration.frontendAPIHost {
            urls.append(InstanceProductionActiveCheck.environmentURL(host: host))
        }
        if let host = configuration.accountsPortalHost { urls.append("https://\(host)/") }
        return urls
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        urls(context.configuration).map { .http(HTTPProbe(url: $0, certificates: true)) } + ClerkSources.domainStatusProbes(context)
    }

    /// Clerk's own word on the certificates it issues for the domain (the Platform API's
    /// `ssl`), beside the tool's verdict on the Clerk hosts; nothing when it was not asked.
    static func clerksSSLVerdict(_ context: CheckContext, host: String) -> [EvidenceItem] {
        guard host != context.configuration.app.domain, case .success(let status) = ClerkSources.domainStatus(context) else { return [] }
        return [EvidenceItem("Clerk's SSL status", status.ssl.status)]
            + (status.ssl.failureHints ?? []).map { EvidenceItem("Clerk's hint", "\($0.code): \($0.message)") }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let urls = Self.urls(context.configuration)
        guard !urls.isEmpty else { return [.undecided("neither app.url nor app.domain is set in preflight.yml", at: .application)] }
        let warnDays = context[Self.warnDays]
        let failDays = context[Self.failDays]
        return urls.map { url in
            var result = verdict(url, context, warnDays: warnDays, failDays: failDays)
            result.evidence += Self.clerksSSLVerdict(context, host: URLComponents(string: url)?.host ?? url)
            return result
        }
    }

    func verdict(_ url: String, _ context: CheckContext, warnDays: Int, failDays: Int) -> CheckResult {
        let target = Target.url(url)
        guard let result = context.evidence.http(HTTPProbe(url: url, certificates: true)) else {
            return .undecided("\(url) was not fetched", at: target)
        }
        switch result {
        case .failure(let failure) where failure.kind.isCertificateVerdict:
            var evidence = [EvidenceItem("error", failure.description)]
            if let leaf = failure.certificates?.first { evidence += Self.describe(leaf) }
            return .problem("\(URLComponents(string: url)?.host ?? url) presents a certificate that does not verify (\(failure.kind.rawValue))",
                            at: target, evidence: evidence)
        case .failure(let failure):
            return .undecided("could not connect to \(url): \(failure)", at: target)
        case .response(let response):
            guard URLComponents(string: url)?.scheme == "https" else {
                return .problem("\(url) is served over plain HTTP", at: target, hint: "Serve the app over HTTPS only")
            }
            guard let leaf = response.certificates?.first, let notAfter = leaf.notAfter else {
                return .undecided("no certificate facts were collected for \(url)", at: target)
            }
            let daysLeft = Int((notAfter.timeIntervalSince(context.now) / 86_400).rounded(.down))
            let evidence = Self.describe(leaf) + [EvidenceItem("chain length", "\(response.certificates?.count ?? 0)")]
            let host = URLComponents(string: url)?.host ?? url
            if daysLeft < failDays {
                return .problem("certificate of \(host) expires in \(daysLeft) days (fail under \(failDays))", at: target, evidence: evidence)
            }
            if daysLeft < warnDays {
                return .problem("certificate of \(host) expires in \(daysLeft) days (warn under \(warnDays))", at: target,
                                evidence: evidence, severity: .warning)
            }
            return .pass("certificate of \(host) is valid for \(daysLeft) more days", at: target, evidence: evidence)
        }
    }

    /// Names shown of a certificate's list; a shared or CDN certificate can carry hundreds.
    static let namesShown = 12

    static func describe(_ certificate: CertificateFacts) -> [EvidenceItem] {
        let names = certificate.subjectAltNames
        let shown = names.prefix(namesShown).joined(separator: ", ") + (names.count > namesShown ? ", … (\(names.count) names)" : "")
        return [EvidenceItem("subject", certificate.subject), EvidenceItem("issuer", certificate.issuer),
         EvidenceItem("names", shown),
         EvidenceItem("not after", certificate.notAfter.map { $0.formatted(.iso8601) } ?? "?")]
    }
}
