import Foundation
import PreflightCore

/// The Account Portal must live on the production domain and answer there.
struct AccountPortalOnDomainCheck: Check {
    static let description = CheckDescription(
        id: "instance.account_portal_on_domain",
        title: "Account Portal is on the production domain",
        summary: "The primary domain's accounts_portal_url (Backend API, else the snapshot) is accounts.<app.domain> or another host of the domain, not a development host, and https://accounts.<domain>/ answers.",
        rationale: """
            Hosted sign-in, sign-up and profile pages live on the Account Portal. In development \
            it is a *.accounts.dev host; in production it must be accounts.<your domain>, where \
            OAuth consent screens and emails show your name. A portal left on a development host \
            or on a domain that does not answer strands every user sent there. Its certificate is \
            judged by tls.certificates_valid.
            """,
        hint: "Add accounts.<your domain> as a CNAME to accounts.clerk.services and finish the domain setup in the Clerk Dashboard (Domains)",
        references: [
            Reference("Clerk: Account Portal", "https://clerk.com/docs/account-portal/overview"),
            Reference("Clerk Backend API: domains", "https://clerk.com/docs/reference/backend-api/tag/Domains"),
        ],
        defaultSeverity: .error,
        tags: ["instance", "domain", "clerk-api"],
        needs: .network,
        examples: [
            LiveExample.example("on the domain and answering", shows: #"accounts_portal_url: https://accounts.example.com; GET https://accounts.example.com/ -> 200"#,
                                expect: .pass, http: [portal("https://accounts.example.com"), answer(200)]),
            LiveExample.example("left on the development portal", shows: #"accounts_portal_url: https://fuzzy-owl-12.accounts.dev"#,
                                expect: .problem, http: [portal("https://fuzzy-owl-12.accounts.dev"), answer(200)]),
            LiveExample.example("on the domain, but nothing answers", shows: "GET https://accounts.example.com/ -> 502", expect: .problem,
                                http: [portal("https://accounts.example.com"), answer(502)]),
            LiveExample.example("the Backend API is rate limiting", shows: "GET /v1/domains -> 429", expect: .undecided,
                                http: [LiveExample.backend("/v1/domains", "", status: 429), answer(200)]),
            LiveExample.example("neither the secret key nor a snapshot", shows: "(no CLERK_SECRET_KEY, no clerk.instance_snapshot)", expect: .notApplicable),
        ])

    static func portal(_ url: String) -> HTTPExchange {
        LiveExample.backend("/v1/domains", #"{"data": [\#(LiveExample.domainJSON("example.com", extra: #""accounts_portal_url": "\#(url)""#))], "total_count": 1}"#)
    }

    static func answer(_ status: Int) -> HTTPExchange {
        HTTPExchange(probe: HTTPProbe(url: "https://accounts.example.com/", certificates: true), result: LiveExample.response("https://accounts.example.com/", status: status))
    }

    static func portalURL(_ configuration: Configuration) -> String? {
        configuration.accountsPortalHost.map { "https://\($0)/" }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        // The same exchange as tls.certificates_valid's: one request for the host.
        (portalURL(context.configuration).map { [.http(HTTPProbe(url: $0, certificates: true))] } ?? [])
            + ClerkSources.backendProbes(context, ["/v1/domains"])
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let domain = context.configuration.app.domain, let portalURL = Self.portalURL(context.configuration) else {
            return [.undecided("app.domain is not set in preflight.yml", at: .application)]
        }
        let target = Target.clerkSetting("domains.accounts_portal_url")
        // The live answer wins; the snapshot stands in without the secret key.
        var configured: String?
        var evidence: [EvidenceItem] = []
        let snapshotURL = context.evidence.snapshot?.instance?.accountsPortalUrl
        switch ClerkSources.domains(context) {
        case .success(let domains):
            let primary = domains.data.first { !$0.isSatellite && ClerkHosts.normalize($0.name) == domain }
                ?? domains.data.first { !$0.isSatellite }
            configured = primary?.accountsPortalUrl
            evidence.append(EvidenceItem("source", ClerkSource.backendAPI.rawValue))
            if let snapshotURL, let configured, snapshotURL != configured {
                evidence.append(EvidenceItem("instance snapshot says", "\(snapshotURL) (stale?)"))
            }
        case .failure(.notAsked(let reason, let need)):
            guard let snapshotURL else {
                return [need ? .needs(reason + ", or the snapshot's instance.accounts_portal_url", at: target) : .notApplicable(reason, at: target)]
            }
            configured = snapshotURL
            evidence.append(EvidenceItem("source", ClerkSource.snapshot.rawValue))
        case .failure(let failed):
            return [failed.result(at: target)]
        }
        guard let configured, let host = URLComponents(string: configured)?.host.map(ClerkHosts.normalize) else {
            return [.undecided("the primary domain has no accounts_portal_url", at: target, evidence: evidence)]
        }
        evidence.insert(EvidenceItem("accounts_portal_url", configured), at: 0)
        if let suffix = ClerkHosts.developmentSuffix(of: host) {
            return [.problem("the Account Portal is on development host \(host) (\(suffix))", at: target, evidence: evidence)]
        }
        guard host == domain || host.hasSuffix(".\(domain)") else {
            return [.problem("the Account Portal is on \(host), outside \(domain)", at: target, evidence: evidence)]
        }
        guard let result = context.evidence.http(HTTPProbe(url: portalURL, certificates: true)) else {
            return [.undecided("\(portalURL) was not fetched", at: target, evidence: evidence)]
        }
        switch result {
        case .failure(let failure) where failure.kind.isCertificateVerdict:
            return [.notApplicable("\(portalURL) does not verify over TLS (reported by tls.certificates_valid)", at: target)]
        case .failure(let failure):
            return [.undecided("could not reach \(portalURL): \(failure)", at: target, evidence: evidence)]
        case .response(let response) where response.status >= 500:
            return [.problem("the Account Portal \(portalURL) answers \(response.status)", at: target, evidence: evidence)]
        case .response(let response):
            return [.pass("the Account Portal is on \(host) and answers \(response.status)", at: target, evidence: evidence)]
        }
    }
}
