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
            and the browser cannot reach the Frontend API: sign-in fails for everyone. When the \
            secret key is in the environment, the per-instance target of the Backend API's \
            cname_targets is accepted too. A record answered with addresses instead (a CDN proxy) \
            is reported by dns.not_proxied.
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
                "the per-instance target the Backend API gives", shows: "clerk.example.com. CNAME frontend-api.ins2x.clerk.services. (cname_targets says so)",
                expect: .pass,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .answer,
                                chain: ["clerk.example.com", "frontend-api.ins2x.clerk.services"],
                                records: [DNSRecord(name: "frontend-api.ins2x.clerk.services", type: .a, ttl: 300, value: "192.0.2.10")])],
                http: [LiveExample.backendDomains(["clerk.example.com": "frontend-api.ins2x.clerk.services"])]),
            LiveExample.example(
                "a CNAME to somewhere else", shows: "clerk.example.com. CNAME old-provider.example.net.", expect: .problem,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .answer,
                                chain: ["clerk.example.com", "old-provider.example.net"],
                                records: [DNSRecord(name: "old-provider.example.net", type: .a, ttl: 300, value: "192.0.2.99")])]),
            LiveExample.example(
                "the DNS server failed", shows: "clerk.example.com: SERVFAIL", expect: .undecided,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .servfail)]),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard context.configuration.clerk.proxyURL == nil, let host = context.configuration.frontendAPIHost else { return [] }
        return [.dns(DNSQuestion(host, .a))] + ClerkSources.backendProbes(context, ["/v1/domains"]) + ClerkSources.domainStatusProbes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        if context.configuration.clerk.proxyURL != nil {
            return [.notApplicable("the Frontend API is proxied (clerk.proxy_url): no CNAME is needed")]
        }
        guard let host = context.configuration.frontendAPIHost else {
            return [.undecided("app.domain is not set in preflight.yml", at: .application)]
        }
        return [CNAMEExpectation.evaluate(host: host, documented: Self.target, context)]
    }
}
