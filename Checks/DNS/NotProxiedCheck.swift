import PreflightCore

/// clerk.<domain> and accounts.<domain> must be plain CNAMEs ("DNS only"), not answered by a proxy.
struct NotProxiedCheck: Check {
    static let description = CheckDescription(
        id: "dns.not_proxied",
        title: "Clerk's records are not proxied",
        summary: "clerk.<app.domain> and accounts.<app.domain> answer through a CNAME, not with a proxy's A/AAAA records.",
        rationale: """
            A CDN that proxies a record (Cloudflare's orange cloud) hides the CNAME and answers \
            with its own addresses. Clerk's DNS verification then fails, no certificate is \
            issued, and the proxy terminates TLS for a host whose traffic Clerk must serve. The \
            records must be "DNS only". An address record set by hand fails the same way.
            """,
        hint: "Set the record to \"DNS only\" (grey cloud in Cloudflare) and make it a CNAME to Clerk's target",
        references: [
            Reference("Clerk: deploy to production (DNS records)", "https://clerk.com/docs/deployments/overview#dns-records"),
            Reference("Cloudflare: proxied and DNS-only records", "https://developers.cloudflare.com/dns/proxy-status/"),
        ],
        defaultSeverity: .critical,
        tags: ["dns", "domain"],
        needs: .network,
        examples: [
            LiveExample.example(
                "both are CNAMEs", shows: "clerk.example.com CNAME frontend-api.clerk.services; accounts.example.com CNAME accounts.clerk.services",
                expect: .pass,
                dns: [cnamed("clerk.example.com", "frontend-api.clerk.services"), cnamed("accounts.example.com", "accounts.clerk.services")]),
            LiveExample.example(
                "clerk. proxied by Cloudflare", shows: "clerk.example.com. A 104.21.48.1, A 172.67.131.1 (no CNAME)", expect: .problem,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .answer, records: [
                    DNSRecord(name: "clerk.example.com", type: .a, ttl: 300, value: "104.21.48.1"),
                    DNSRecord(name: "clerk.example.com", type: .a, ttl: 300, value: "172.67.131.1")]),
                      cnamed("accounts.example.com", "accounts.clerk.services")]),
            LiveExample.example(
                "the lookup failed", shows: "clerk.example.com: REFUSED", expect: .undecided,
                dns: [DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .refused),
                      cnamed("accounts.example.com", "accounts.clerk.services")]),
        ])

    static func cnamed(_ name: String, _ target: String) -> DNSAnswer {
        DNSAnswer(question: DNSQuestion(name, .a), outcome: .answer, chain: [name, target],
                  records: [DNSRecord(name: target, type: .a, ttl: 300, value: "192.0.2.10")])
    }

    /// With the Frontend API proxied through the app, clerk.<domain> is not needed.
    static func hosts(_ configuration: Configuration) -> [String] {
        [configuration.clerk.proxyURL == nil ? configuration.frontendAPIHost : nil, configuration.accountsPortalHost].compactMap { $0 }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        hosts(context.configuration).map { .dns(DNSQuestion($0, .a)) }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard context.configuration.app.domain != nil else { return [.undecided("app.domain is not set in preflight.yml", at: .application)] }
        return Self.hosts(context.configuration).map { host in
            let target = Target.dnsName(host)
            guard let answer = context.evidence.dns(DNSQuestion(host, .a)) else { return .undecided("\(host) was not looked up", at: target) }
            let addresses = answer.records.filter { $0.type == .a || $0.type == .aaaa }.map(\.value)
            let evidence = [EvidenceItem("chain", answer.chainDisplay), EvidenceItem("outcome", answer.outcome.display)]
                + addresses.prefix(6).map { EvidenceItem("address", $0) }
            if answer.outcome.isTransportFailure {
                return .undecided("could not resolve \(host): \(answer.outcome.display)", at: target, evidence: evidence)
            }
            if answer.chain.count > 1 {
                return .pass("\(host) answers through a CNAME (\(answer.chain[1]))", at: target, evidence: evidence)
            }
            if answer.outcome == .answer, !addresses.isEmpty {
                return .problem(
                    "\(host) answers with addresses \(addresses.prefix(4).joined(separator: ", ")) instead of a CNAME: set it to DNS only",
                    at: target, evidence: evidence)
            }
            return .notApplicable("\(host) has no record (\(answer.outcome.display)); the CNAME checks report it", at: target)
        }
    }
}
