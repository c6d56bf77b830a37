import PreflightCore

/// The production domain should publish a DMARC policy.
struct DMARCPresentCheck: Check {
    static let description = CheckDescription(
        id: "dns.dmarc_present",
        title: "DMARC record is published",
        summary: "_dmarc.<app.domain> (or of its registrable domain) has exactly one TXT record starting v=DMARC1.",
        rationale: """
            Clerk's verification codes and magic links come from your domain. Mailbox providers \
            (Gmail and Yahoo require it of bulk senders since 2024) look for a DMARC policy on \
            the sender's domain; without one, Clerk's mail is more likely to be junked, and \
            anyone can spoof your domain. A subdomain without its own record is covered by its \
            registrable domain's. Two DMARC records count as none.
            """,
        hint: "Publish a TXT record at _dmarc.<your domain>, e.g. \"v=DMARC1; p=quarantine; rua=mailto:dmarc@<your domain>\"",
        references: [
            Reference("Clerk: deploy to production (DNS records)", "https://clerk.com/docs/deployments/overview#dns-records"),
            Reference("RFC 7489: DMARC", "https://www.rfc-editor.org/rfc/rfc7489#section-6.6.3"),
        ],
        defaultSeverity: .warning,
        tags: ["dns", "domain", "email"],
        needs: .network,
        examples: [
            LiveExample.example(
                "a policy", shows: "_dmarc.example.com. TXT \"v=DMARC1; p=reject\"", expect: .pass,
                dns: [txt("_dmarc.example.com", ["v=DMARC1; p=reject"])]),
            LiveExample.example(
                "no record", shows: "_dmarc.example.com: NXDOMAIN", expect: .problem,
                dns: [DNSAnswer(question: DNSQuestion("_dmarc.example.com", .txt), outcome: .nxdomain)]),
            LiveExample.example(
                "two policies", shows: "_dmarc.example.com. TXT \"v=DMARC1; p=none\", TXT \"v=DMARC1; p=reject\"", expect: .problem,
                dns: [txt("_dmarc.example.com", ["v=DMARC1; p=none", "v=DMARC1; p=reject"])]),
            LiveExample.example(
                "the lookup timed out", shows: "_dmarc.example.com: timeout", expect: .undecided,
                dns: [DNSAnswer(question: DNSQuestion("_dmarc.example.com", .txt), outcome: .timeout)]),
        ])

    static func txt(_ name: String, _ values: [String]) -> DNSAnswer {
        DNSAnswer(question: DNSQuestion(name, .txt), outcome: .answer, records: values.map { DNSRecord(name: name, type: .txt, ttl: 300, value: $0) })
    }

    /// `_dmarc.<domain>`, then `_dmarc.<registrable domain>` when the domain is a subdomain.
    static func names(_ configuration: Configuration, _ evidence: Evidence) -> [String] {
        guard let domain = configuration.app.domain else { return [] }
        var names = ["_dmarc.\(domain)"]
        if let registrable = evidence.domain?.registrableDomain, registrable != domain { names.append("_dmarc.\(registrable)") }
        return names
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        names(context.configuration, context.offlineEvidence).map { .dns(DNSQuestion($0, .txt)) }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let names = Self.names(context.configuration, context.evidence)
        guard let first = names.first else { return [.undecided("app.domain is not set in preflight.yml", at: .application)] }
        var evidence: [EvidenceItem] = []
        for name in names {
            guard let answer = context.evidence.dns(DNSQuestion(name, .txt)) else {
                return [.undecided("\(name) was not looked up", at: .dnsName(first))]
            }
            if answer.outcome.isTransportFailure {
                return [.undecided("could not look up \(name): \(answer.outcome.display)", at: .dnsName(first), evidence: evidence)]
            }
            let policies = answer.records.map(\.value).filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("v=DMARC1") }
            evidence.append(EvidenceItem(name, policies.isEmpty ? answer.outcome.display : policies.joined(separator: " | ")))
            if policies.count > 1 {
                return [.problem("\(name) has \(policies.count) DMARC records; receivers ignore them all", at: .dnsName(name), evidence: evidence)]
            }
            if let policy = policies.first {
                return [.pass("\(name) publishes \(policy)", at: .dnsName(first), evidence: evidence)]
            }
        }
        return [.problem("no DMARC record at \(names.joined(separator: " or "))", at: .dnsName(first), evidence: evidence)]
    }
}
