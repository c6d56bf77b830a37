import PreflightCore

/// A CAA record set must not keep Clerk's certificate authorities from issuing for its hosts.
struct CAAAllowsClerkIssuersCheck: Check {
    static let issuers = OptionKey("issuers", summary: "issuer domain names that must be allowed", default: requiredIssuers)

    static let description = CheckDescription(
        id: "dns.caa_allows_clerk_issuers",
        title: "CAA records allow Clerk's certificate authorities",
        summary: "The CAA record set that applies to clerk.<domain> (RFC 8659: the closest one up the tree) allows letsencrypt.org and pki.goog, or there is none.",
        rationale: """
            Clerk obtains the certificates of clerk.<your domain> and accounts.<your domain> from \
            Let's Encrypt or Google Trust Services. A CAA record set on the domain (or a parent) \
            that names only another CA, forbids issuance (";"), binds Let's Encrypt to one ACME \
            account (accounturi), or carries a critical property a CA does not know, stops the \
            issuance and every renewal: the hosts go dark when the current certificate expires. \
            The set that applies is found as CAs find it: the name itself (following a CNAME), \
            then each parent up to the top-level domain; only "issue" properties govern these \
            non-wildcard names.
            """,
        hint: "Add CAA records for both: <domain> CAA 0 issue \"letsencrypt.org\" and <domain> CAA 0 issue \"pki.goog\" (or remove the CAA set)",
        references: [
            Reference("RFC 8659: DNS Certification Authority Authorization", "https://www.rfc-editor.org/rfc/rfc8659"),
            Reference("Clerk: deploy to production (DNS records)", "https://clerk.com/docs/deployments/overview#dns-records"),
            Reference("Let's Encrypt: CAA", "https://letsencrypt.org/docs/caa/"),
        ],
        defaultSeverity: .error,
        tags: ["dns", "domain", "tls"],
        needs: .network,
        options: [
            issuers.declaration,
        ],
        examples: [
            example("no CAA record anywhere", shows: "example.com: no CAA", expect: .pass, records: [:]),
            example("both CAs allowed", shows: "example.com. CAA 0 issue \"letsencrypt.org\"; CAA 0 issue \"pki.goog\"", expect: .pass,
                    records: ["example.com": [#"0 issue "letsencrypt.org""#, #"0 issue "pki.goog; cansignhttpexchanges=yes""#]]),
            example("only Let's Encrypt", shows: "example.com. CAA 0 issue \"letsencrypt.org\"", expect: .problem,
                    records: ["example.com": [#"0 issue "letsencrypt.org""#]]),
            example("issuance forbidden on the clerk host", shows: "clerk.example.com. CAA 0 issue \";\"", expect: .problem,
                    records: ["clerk.example.com": [#"0 issue ";""#], "example.com": [#"0 issue "letsencrypt.org""#, #"0 issue "pki.goog""#]]),
            example("a critical property no CA knows", shows: "example.com. CAA 128 tbs \"unknown\"; CAA 0 issue letsencrypt.org, pki.goog",
                    expect: .problem,
                    records: ["example.com": [#"128 tbs "unknown""#, #"0 issue "letsencrypt.org""#, #"0 issue "pki.goog""#]]),
            LiveExample.example(
                "the lookup failed", shows: "example.com CAA: SERVFAIL", expect: .undecided,
                dns: names.map { DNSAnswer(question: DNSQuestion($0, .caa), outcome: $0 == "example.com" ? .servfail : .nodata) }),
        ])

    static let requiredIssuers = ["letsencrypt.org", "pki.goog"]
    static let names = ["clerk.example.com", "example.com", "com"]

    /// An example whose CAA answers are `records` by name (the others have none).
    static func example(_ title: String, shows input: String, expect: CheckExample.Expectation, records: [String: [String]]) -> CheckExample {
        LiveExample.example(title, shows: input, expect: expect, dns: names.map { name in
            let found = records[name] ?? []
            return DNSAnswer(question: DNSQuestion(name, .caa), outcome: found.isEmpty ? .nodata : .answer,
                             records: found.map { DNSRecord(name: name, type: .caa, ttl: 300, value: $0) })
        })
    }

    /// The host whose certificate Clerk obtains first: clerk.<domain>, or accounts.<domain>
    /// when the Frontend API is proxied. The Account Portal's usually shares its CAA set.
    static func hosts(_ configuration: Configuration) -> [String] {
        [configuration.clerk.proxyURL == nil ? configuration.frontendAPIHost : configuration.accountsPortalHost].compactMap { $0 }
    }

    /// The name and its parents up to (not including) the root, as RFC 8659 climbs.
    static func climb(_ host: String) -> [String] {
        let labels = host.split(separator: ".")
        return labels.indices.map { labels[$0...].joined(separator: ".") }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        // Every level at once: the climb is decided after, without a chain of round trips.
        Set(hosts(context.configuration).flatMap(climb)).map { .dns(DNSQuestion($0, .caa)) }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let hosts = Self.hosts(context.configuration)
        guard !hosts.isEmpty else { return [.undecided("app.domain is not set in preflight.yml", at: .application)] }
        let required = context[Self.issuers]
        return hosts.map { host in
            let target = Target.dnsName(host)
            var relevant: (name: String, properties: [CAAProperty])?
            var asked: [EvidenceItem] = []
            for name in Self.climb(host) {
                guard let answer = context.evidence.dns(DNSQuestion(name, .caa)) else {
                    return .undecided("\(name) CAA was not looked up", at: target, evidence: asked)
                }
                if answer.outcome.isTransportFailure {
                    return .undecided("could not look up the CAA records of \(name): \(answer.outcome.display)", at: target, evidence: asked)
                }
                let properties = answer.records.filter { $0.type == .caa }.compactMap { CAAProperty(record: $0.value) }
                // No record here is the usual case: the climb goes on to the parent.
                let none = answer.outcome == .nxdomain ? "none (no such name)" : "none"
                asked.append(EvidenceItem("\(name) CAA", properties.isEmpty ? none : answer.records.map(\.value).joined(separator: "; ")))
                if !properties.isEmpty {
                    relevant = (name, properties)
                    break
                }
            }
            guard let relevant else {
                return .pass("no CAA record applies to \(host): any certificate authority may issue", at: target, evidence: asked)
            }
            let evidence = asked + [EvidenceItem("relevant set", relevant.name)]
            if let critical = relevant.properties.first(where: { $0.isCritical && !CAAProperty.knownTags.contains($0.tag) }) {
                return .problem("the CAA set at \(relevant.name) has a critical '\(critical.tag)' property no CA knows: issuance for \(host) is forbidden",
                                at: target, evidence: evidence)
            }
            let issue = relevant.properties.filter { $0.tag == "issue" }
            guard !issue.isEmpty else {
                return .pass("the CAA set at \(relevant.name) does not restrict certificates for \(host) (no issue property)", at: target, evidence: evidence)
            }
            var missing: [String] = []
            var bound: [String] = []
            for issuer in required {
                let entries = issue.filter { $0.issuer == issuer }
                if entries.isEmpty { missing.append(issuer) } else if entries.allSatisfy({ $0.parameters["accounturi"] != nil }) { bound.append(issuer) }
            }
            if !missing.isEmpty {
                return .problem("the CAA set at \(relevant.name) does not allow \(missing.joined(separator: " or ")) to issue for \(host)",
                                at: target, evidence: evidence)
            }
            if !bound.isEmpty {
                return .problem("the CAA set at \(relevant.name) binds \(bound.joined(separator: " and ")) to one ACME account (accounturi): Clerk's cannot issue for \(host)",
                                at: target, evidence: evidence)
            }
            return .pass("the CAA set at \(relevant.name) allows \(required.joined(separator: " and ")) for \(host)", at: target, evidence: evidence)
        }
    }
}
