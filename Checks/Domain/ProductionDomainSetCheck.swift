import PreflightCore

/// app.domain must be a domain the team can own: Clerk's production instance lives on it.
struct ProductionDomainSetCheck: Check {
    static let extraSharedSuffixes = OptionKey(
        "extra_shared_suffixes", summary: "more suffixes under which no production domain may live (an internal PaaS)", default: [String]())

    static let description = CheckDescription(
        id: "domain.production_domain_set",
        title: "Production domain is one you own",
        summary: "app.domain is set and is a domain a team can own: not an IP address, not localhost, not a public suffix, not under a Clerk development suffix or a shared-hosting suffix (vercel.app, netlify.app, ...).",
        rationale: """
            A production instance needs DNS records (clerk., accounts., mail) under the domain, \
            and cookies scoped to it. Under a shared-hosting suffix such as vercel.app or \
            netlify.app the records cannot be added and browsers refuse cookies on the suffix, \
            which is why the public suffix list's private section lists them; an IP address or \
            localhost has no DNS at all; a Clerk development host is the development instance. \
            The decision uses the public suffix list (libpsl with the machine's copy).
            """,
        hint: "Set app.domain to the domain you own and serve the app from (example.com or app.example.com), and add it as the production instance's domain in the Clerk Dashboard",
        references: [
            Reference("Clerk: deploy to production", "https://clerk.com/docs/deployments/overview"),
            Reference("Public suffix list", "https://publicsuffix.org/list/"),
        ],
        defaultSeverity: .critical,
        tags: ["domain"],
        needs: .offline,
        options: [
            extraSharedSuffixes.declaration,
        ],
        examples: [
            example("a domain under com", domain: "example.com",
                    facts: DomainFacts(name: "example.com", publicSuffix: "com", section: .icann, registrableDomain: "example.com"), expect: .pass),
            example("a subdomain of one under co.uk", domain: "app.example.co.uk",
                    facts: DomainFacts(name: "app.example.co.uk", publicSuffix: "co.uk", section: .icann, registrableDomain: "example.co.uk"), expect: .pass),
            example("a Vercel preview domain", domain: "acme.vercel.app",
                    facts: DomainFacts(name: "acme.vercel.app", publicSuffix: "vercel.app", section: .private, registrableDomain: "acme.vercel.app"),
                    expect: .problem),
            example("a public suffix itself", domain: "co.uk",
                    facts: DomainFacts(name: "co.uk", publicSuffix: "co.uk", section: .icann), expect: .problem),
            example("an IP address", domain: "203.0.113.7", facts: DomainFacts(name: "203.0.113.7", isAddress: true), expect: .problem),
            example("not set", domain: nil, facts: nil, expect: .problem),
        ])

    static func example(_ title: String, domain: String?, facts: DomainFacts?, expect: CheckExample.Expectation) -> CheckExample {
        CheckExample(title, input: domain.map { "# preflight.yml\napp:\n  domain: \($0)" } ?? "# preflight.yml has no app.domain", expect: expect) {
            CheckContext(evidence: Evidence(domain: facts), configuration: Configuration(app: AppSettings(domain: domain)))
        }
    }

    static let specialNames = ["localhost", "local", "internal", "invalid", "example", "home.arpa"]

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let domain = context.configuration.app.domain else {
            return [.problem("app.domain is not set in preflight.yml: the production domain decides the DNS, TLS and key checks",
                             at: .application, hint: "Set app.domain to your production domain, e.g. app.domain: example.com")]
        }
        let target = Target.clerkSetting("app.domain")
        guard let facts = context.evidence.domain, facts.name == domain else {
            return [.undecided("the public suffix list was not consulted for \(domain)", at: target)]
        }
        var evidence = [EvidenceItem("domain", domain)]
        if let suffix = facts.publicSuffix { evidence.append(EvidenceItem("public suffix", "\(suffix) (\(facts.section?.rawValue ?? "?") section)")) }
        if let registrable = facts.registrableDomain { evidence.append(EvidenceItem("registrable domain", registrable)) }

        if facts.isAddress {
            return [.problem("\(domain) is an IP address: Clerk needs a domain with DNS records", at: target, evidence: evidence)]
        }
        if let special = Self.specialNames.first(where: { domain == $0 || domain.hasSuffix(".\($0)") }) {
            return [.problem("\(domain) is under the special-use name '\(special)', which no one can register", at: target, evidence: evidence)]
        }
        if let suffix = ClerkHosts.developmentSuffix(of: domain) ?? ClerkHosts.developmentSuffixes.first(where: { domain == String($0.dropFirst()) }) {
            return [.problem("\(domain) is under Clerk's development suffix \(suffix): that is the development instance's host", at: target, evidence: evidence)]
        }
        if facts.publicSuffix == domain {
            return [.problem("\(domain) is itself a public suffix (\(facts.section?.rawValue ?? "listed") section): no one owns it, and browsers refuse its cookies",
                             at: target, evidence: evidence)]
        }
        let extra = context[Self.extraSharedSuffixes].map(ClerkHosts.normalize)
        if let suffix = extra.first(where: { domain == $0 || domain.hasSuffix(".\($0)") }) {
            return [.problem("\(domain) is under \(suffix), listed in extra_shared_suffixes as shared hosting", at: target, evidence: evidence)]
        }
        if facts.section == .private, let suffix = facts.publicSuffix {
            return [.problem(
                "\(domain) is under the shared-hosting suffix \(suffix) (public suffix list, private section): Clerk cannot add DNS records there, and browsers scope cookies to each site under it",
                at: target, evidence: evidence,
                hint: "Buy or use a domain you own, point it at your host (\(suffix) is the host's), and set it as app.domain")]
        }
        if let registrable = facts.registrableDomain {
            let note = facts.publicSuffix == nil ? " (its top-level domain is not in the public suffix list)" : ""
            return [.pass("\(domain) is a domain one can own (registrable as \(registrable))\(note)", at: target, evidence: evidence)]
        }
        return [.undecided("the public suffix list gave no registrable domain for \(domain)", at: target, evidence: evidence)]
    }
}
