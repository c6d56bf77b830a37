import PreflightCore

/// The mail (SPF) and DKIM names must be CNAMEs to the instance's targets at clerk.services.
struct MailRecordsCheck: Check {
    /// The names Clerk asks for under the production domain.
    static let labels = ["clkmail", "clk._domainkey", "clk2._domainkey"]

    static let description = CheckDescription(
        id: "dns.mail_records",
        title: "Mail DNS records are in place",
        summary: "clkmail.<domain>, clk._domainkey.<domain> and clk2._domainkey.<domain> are CNAMEs to the instance's *.clerk.services targets.",
        rationale: """
            Clerk sends verification codes, magic links and invitations from your domain. The \
            clkmail record carries the SPF setup and the two _domainkey records the DKIM keys; \
            without them mail is rejected or lands in spam, and users cannot finish signing up. \
            The exact targets (mail.<instance>.clerk.services, dkim1..., dkim2...) depend on the \
            instance: with the secret key in the environment they come from the Backend API's \
            cname_targets; without it any *.clerk.services target is accepted.
            """,
        hint: "Add the three CNAME records shown in the Clerk Dashboard (Domains) for your production instance, DNS only",
        references: [
            Reference("Clerk: deploy to production (DNS records)", "https://clerk.com/docs/deployments/overview#dns-records"),
            Reference("Clerk Backend API: domains", "https://clerk.com/docs/reference/backend-api/tag/Domains"),
        ],
        defaultSeverity: .error,
        tags: ["dns", "domain", "email"],
        needs: .network,
        examples: [
            LiveExample.example(
                "all three names point at clerk.services", shows: "clkmail, clk._domainkey, clk2._domainkey CNAME mail./dkim1./dkim2.ins2x.clerk.services.",
                expect: .pass,
                dns: labels.enumerated().map { index, label in
                    mailAnswer(label, target: ["mail", "dkim1", "dkim2"][index] + ".ins2x.clerk.services")
                }),
            LiveExample.example(
                "the DKIM records are missing", shows: "clkmail.example.com CNAME mail.ins2x.clerk.services; clk._domainkey, clk2._domainkey: NXDOMAIN",
                expect: .problem,
                dns: [mailAnswer("clkmail", target: "mail.ins2x.clerk.services"),
                      DNSAnswer(question: DNSQuestion("clk._domainkey.example.com", .cname), outcome: .nxdomain),
                      DNSAnswer(question: DNSQuestion("clk2._domainkey.example.com", .cname), outcome: .nxdomain)]),
            LiveExample.example(
                "a target other than the instance's", shows: "clkmail.example.com CNAME mail.other.clerk.services (cname_targets says mail.ins2x.clerk.services)",
                expect: .problem,
                dns: [mailAnswer("clkmail", target: "mail.other.clerk.services"),
                      mailAnswer("clk._domainkey", target: "dkim1.ins2x.clerk.services"),
                      mailAnswer("clk2._domainkey", target: "dkim2.ins2x.clerk.services")],
                http: [LiveExample.backendDomains(instanceTargets)]),
            LiveExample.example(
                "a target other than the instance's, in the newer dns_targets shape", shows: "clk2._domainkey.example.com CNAME dkim2.other.clerk.services (dns_targets says dkim2.ins2x.clerk.services)",
                expect: .problem,
                dns: [mailAnswer("clkmail", target: "mail.ins2x.clerk.services"),
                      mailAnswer("clk._domainkey", target: "dkim1.ins2x.clerk.services"),
                      mailAnswer("clk2._domainkey", target: "dkim2.other.clerk.services")],
                http: [LiveExample.backendDomains(instanceTargets, dnsTargets: true)]),
            LiveExample.example(
                "the DNS server failed", shows: "clkmail.example.com: SERVFAIL", expect: .undecided,
                dns: labels.map { DNSAnswer(question: DNSQuestion("\($0).example.com", .cname), outcome: .servfail) }),
        ])

    /// The instance's mail targets as the Backend API gives them, for the examples.
    static let instanceTargets = [
        "clkmail.example.com": "mail.ins2x.clerk.services", "clk._domainkey.example.com": "dkim1.ins2x.clerk.services",
        "clk2._domainkey.example.com": "dkim2.ins2x.clerk.services",
    ]

    static func mailAnswer(_ label: String, target: String) -> DNSAnswer {
        DNSAnswer(question: DNSQuestion("\(label).example.com", .cname), outcome: .answer,
                  records: [DNSRecord(name: "\(label).example.com", type: .cname, ttl: 300, value: target)])
    }

    static func hosts(_ configuration: Configuration) -> [String] {
        guard let domain = configuration.app.domain else { return [] }
        return labels.map { "\($0).\(domain)" }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        // The CNAME itself is asked for: the targets need not have addresses.
        hosts(context.configuration).map { .dns(DNSQuestion($0, .cname)) } + ClerkSources.backendProbes(context, ["/v1/domains"])
            + ClerkSources.domainStatusProbes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let hosts = Self.hosts(context.configuration)
        guard !hosts.isEmpty else { return [.undecided("app.domain is not set in preflight.yml", at: .application)] }
        let targets = ClerkSources.cnameTargets(context)
        return hosts.map { host in
            let answer = context.evidence.dns(DNSQuestion(host, .cname))
            let result: CheckResult
            if let exact = targets?[host] {
                result = CNAMEExpectation.evaluate(
                    host: host, answer: answer, expected: [exact.value], source: ClerkSources.cnameTargetsSource(context),
                    severity: exact.required == false ? .warning : nil)
            } else {
                result = CNAMEExpectation.evaluate(
                    host: host, answer: answer, expected: [], acceptsClerkServices: true,
                    source: targets == nil ? ClerkSources.cnameTargetsSource(context) : "any *.clerk.services (not in cname_targets)")
            }
            return CNAMEExpectation.besideClerksVerdict(result, host: host, context)
        }
    }
}
