import PreflightCore

/// accounts.<domain> must be a CNAME to Clerk's Account Portal.
struct AccountsPortalCNAMECheck: Check {
    static let target = "accounts.clerk.services"

    static let description = CheckDescription(
        id: "dns.accounts_portal_cname",
        title: "Account Portal CNAME is in place",
        summary: "accounts.<app.domain> is a CNAME chain that reaches accounts.clerk.services.",
        rationale: """
            A production instance serves its Account Portal (hosted sign-in, sign-up and user \
            profile pages) at accounts.<your domain>. Clerk verifies the CNAME before it issues \
            the certificate; without it every link to the Account Portal, and the default \
            redirects after sign-out, land on an error page.
            """,
        hint: "Add a DNS record: accounts.<your domain> CNAME accounts.clerk.services (DNS only, not proxied)",
        references: [
            Reference("Clerk: deploy to production (DNS records)", "https://clerk.com/docs/deployments/overview#dns-records"),
            Reference("Clerk: Account Portal", "https://clerk.com/docs/account-portal/overview"),
        ],
        defaultSeverity: .error,
        tags: ["dns", "domain"],
        needs: .network,
        examples: [
            LiveExample.example(
                "a CNAME to Clerk", shows: "accounts.example.com. CNAME accounts.clerk.services.", expect: .pass,
                dns: [DNSAnswer(question: DNSQuestion("accounts.example.com", .a), outcome: .answer,
                                chain: ["accounts.example.com", target], records: [DNSRecord(name: target, type: .a, ttl: 300, value: "192.0.2.20")])]),
            LiveExample.example(
                "no record", shows: "accounts.example.com: NXDOMAIN", expect: .problem,
                dns: [DNSAnswer(question: DNSQuestion("accounts.example.com", .a), outcome: .nxdomain)]),
            LiveExample.example(
                "the lookup timed out", shows: "accounts.example.com: timeout", expect: .undecided,
                dns: [DNSAnswer(question: DNSQuestion("accounts.example.com", .a), outcome: .timeout)]),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        guard let host = context.configuration.accountsPortalHost else { return [] }
        return [.dns(DNSQuestion(host, .a))] + ClerkSources.backendProbes(context, ["/v1/domains"]) + ClerkSources.domainStatusProbes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let host = context.configuration.accountsPortalHost else {
            return [.undecided("app.domain is not set in preflight.yml", at: .application)]
        }
        return [CNAMEExpectation.evaluate(host: host, documented: Self.target, context)]
    }
}
