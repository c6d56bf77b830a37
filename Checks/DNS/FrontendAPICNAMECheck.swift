import PreflightCore

/// clerk.<domain> must be a CNAME to Clerk's Frontend API.
struct FrontendAPICNAMECheck: Check {
    static let target = "frontend-api.clerk.services"

    static let description = CheckDescription(
        id: "dns.frontend_api_cname",
        title: "Frontend API CNAME is in place",
        summary: "clerk.<app.domain> is a CNAME chain that reaches frontend-api.clerk.services.",
        rationale: """
            A production instance serves its Frontend API at clerk.<your domain>, which must be a \
            CNAME to frontend-api.clerk.services. Without it Clerk cannot issue the certificate \
            and the browser cannot reach the Frontend API: sign-in fails for everyone. A record \
            proxied by a CDN (Cloudflare's orange cloud) answers with the proxy's addresses \
            instead of the CNAME and fails Clerk's verification the same way.
            """,
        hint: "Add a DNS record: clerk.<your domain> CNAME frontend-api.clerk.services (DNS only, not proxied), then wait for propagation (up to 48 h)",
        references: [
            Reference("Clerk: deploy to production (DNS records)", "https://clerk.com/docs/deployments/overview#dns-records"),
            Reference("Clerk Platform API: DNSStatus", "https://clerk.com/docs/reference/platform-api"),
        ],
        defaultSeverity: .critical,
        tags: ["dns", "domain"],
        needs: .network,
        examples: [
            LiveExample.example(
                "a CNAME to Clerk", shows: "clerk.example.com. CNAME frontend-api.clerk.services.", expect: .pass,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .answer,
                                chain: ["clerk.example.com", target], records: [DNSRecord(name: target, type: .a, ttl: 300, value: "192.0.2.10")])]),
            LiveExample.example(
                "no record", shows: "clerk.example.com: NXDOMAIN", expect: .problem,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .nxdomain)]),
            LiveExample.example(
                "proxied by a CDN", shows: "clerk.example.com. A 104.21.1.1 (no CNAME)", expect: .problem,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .answer,
                                records: [DNSRecord(name: "clerk.example.com", type: .a, ttl: 300, value: "104.21.1.1")])]),
            LiveExample.example(
                "the DNS server failed", shows: "clerk.example.com: SERVFAIL", expect: .undecided,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .servfail)]),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard context.configuration.clerk.proxyURL == nil, let host = context.configuration.frontendAPIHost else { return [] }
        return [.dns(DNSQuestion(host, .a))]
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        if context.configuration.clerk.proxyURL != nil {
            return [.notApplicable("the Frontend API is proxied (clerk.proxy_url): no CNAME is needed")]
        }
        guard let host = context.configuration.frontendAPIHost else {
            return [.undecided("app.domain is not set in preflight.yml", at: .application)]
        }
        let target = Target.dnsName(host)
        guard let answer = context.evidence.dns(DNSQuestion(host, .a)) else {
            return [.undecided("\(host) was not looked up", at: target)]
        }
        let evidence = [EvidenceItem("chain", answer.chainDisplay), EvidenceItem("outcome", answer.outcome.display)]
            + answer.records.prefix(4).map { EvidenceItem($0.type.rawValue, $0.value) }
        if answer.outcome.isTransportFailure {
            return [.undecided("could not resolve \(host): \(answer.outcome.display)", at: target, evidence: evidence)]
        }
        if answer.chain.contains(Self.target) {
            return [.pass("\(host) is a CNAME to \(Self.target)", at: target, evidence: evidence)]
        }
        switch answer.outcome {
        case .nxdomain, .nodata:
            return [.problem("\(host) does not exist (\(answer.outcome.display))", at: target, evidence: evidence)]
        case .answer where answer.chain.count == 1:
            return [.problem("\(host) answers with addresses instead of a CNAME to \(Self.target) (a proxied record?)",
                             at: target, evidence: evidence,
                             hint: "Make clerk.<your domain> a CNAME to \(Self.target) and turn off the CDN proxy for it (DNS only)")]
        default:
            return [.problem("\(host) points at \(answer.chain.dropFirst().first ?? "?"), not \(Self.target)", at: target, evidence: evidence)]
        }
    }
}
