import Foundation
import PreflightCore

/// Every satellite domain gets what the primary gets, and the two are wired to each other.
struct SatellitesReadyCheck: Check {
    static let description = CheckDescription(
        id: "domain.satellites_ready",
        title: "Satellite domains are ready",
        summary: "Each satellite domain (app.satellites; the Backend API's /v1/domains names the ones Clerk has) has its clerk.<satellite> CNAME to Clerk (not proxied) and a valid certificate there, and the primary's source lets sign-in return to it (allowedRedirectOrigins); an app that is itself a satellite sets CLERK_DOMAIN and signs in on the primary.",
        rationale: """
            A satellite domain shares the primary's sessions through its own Frontend API at \
            clerk.<satellite>: without that CNAME (or behind a proxy's addresses) Clerk issues no \
            certificate and the satellite cannot load Clerk. Sign-in happens on the primary, \
            which must list the satellite's origin in allowedRedirectOrigins to send users back, \
            and the satellite app must say it is one (CLERK_IS_SATELLITE, CLERK_DOMAIN) and where \
            to sign in (a sign-in URL on the primary). Each missing piece is its own finding. \
            Satellites only Clerk knows of (in /v1/domains, not in app.satellites) are named, \
            since their records are checked only once configured.
            """,
        hint: "Add clerk.<satellite> CNAME frontend-api.clerk.services (DNS only), pass the satellite's origin in allowedRedirectOrigins on the primary, and in the satellite app set CLERK_IS_SATELLITE=true, CLERK_DOMAIN=<satellite> and a sign-in URL on the primary",
        references: [
            Reference("Clerk: satellite domains", "https://clerk.com/docs/guides/dashboard/dns-domains/satellite-domains"),
        ],
        defaultSeverity: .error,
        tags: ["domain", "dns", "tls"],
        needs: .network,
        examples: [
            example("a ready satellite", dns: true, certificate: true, origins: ["https://shop.example.org"], expect: .pass),
            example("no CNAME on the satellite", dns: false, certificate: true, origins: ["https://shop.example.org"], expect: .problem),
            example("the primary does not allow the way back", dns: true, certificate: true, origins: [], expect: .problem),
            example("the satellite's certificate is not valid", dns: true, certificate: false, origins: ["https://shop.example.org"], expect: .problem),
            CheckExample("no satellite", input: "# no app.satellites; the Backend API lists none", expect: .notApplicable) {
                CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], sources: SourceScan(filesScanned: 3)),
                             configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static let satellite = "shop.example.org"

    static func example(_ title: String, dns: Bool, certificate: Bool, origins: [String], expect: CheckExample.Expectation) -> CheckExample {
        let host = "clerk.\(satellite)"
        let url = environmentURL(satellite)
        var shown = "# preflight.yml\napp:\n  satellites: [\(satellite)]\n"
        shown += dns ? "\(host). CNAME frontend-api.clerk.services.\n" : "\(host): NXDOMAIN\n"
        shown += certificate ? "https://\(host): certificate valid\n" : "https://\(host): certificate expired\n"
        shown += "// app/layout.tsx\n<ClerkProvider allowedRedirectOrigins={[\(origins.map { "'\($0)'" }.joined(separator: ", "))]}>"
        var configuration = LiveExample.configuration
        configuration.app.satellites = [satellite]
        let answer = dns
            ? DNSAnswer(question: DNSQuestion(host, .a), outcome: .answer, chain: [host, FrontendAPICNAMECheck.target],
                        records: [DNSRecord(name: FrontendAPICNAMECheck.target, type: .a, ttl: 300, value: "192.0.2.10")])
            : DNSAnswer(question: DNSQuestion(host, .a), outcome: .nxdomain)
        let tls: HTTPResult = certificate
            ? LiveExample.response(url, body: LiveExample.displayConfig(), certificates: [LiveExample.certificate(host: host, daysLeft: 60)])
            : LiveExample.failure(url, .tlsExpired, "certificate has expired", certificates: [LiveExample.certificate(host: host, daysLeft: -2)])
        return LiveExample.example(title, shows: shown, expect: expect, dns: [answer], http: [HTTPExchange(probe: HTTPProbe(url: url, certificates: true), result: tls)],
                                   configuration: configuration, sources: SourceScan(filesScanned: 3, allowedRedirectOrigins: origins))
    }

    static func environmentURL(_ satellite: String) -> String { ClerkRequests.environmentURL(host: "clerk.\(satellite)") }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        let satellites = context.configuration.app.satellites
        return satellites.flatMap { satellite -> [ProbeRequest] in
            [.dns(DNSQuestion("clerk.\(satellite)", .a)), .http(HTTPProbe(url: environmentURL(satellite), certificates: true))]
        } + ClerkSources.backendProbes(context, ["/v1/domains"]) + [.sourceScan]
    }

    /// The app itself is a satellite: a Clerk variable of that kind says true.
    static func isSatelliteApp(_ context: CheckContext) -> Bool {
        context.evidence.clerkVariables.contains { $0.clerk?.kind == .isSatellite && $0.value.lowercased() == "true" }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let configured = context.configuration.app.satellites
        var fromClerk: [String] = []
        var clerkSays = "the Backend API lists none"
        switch ClerkSources.domains(context) {
        case .success(let domains): fromClerk = domains.data.filter(\.isSatellite).map { ClerkHosts.normalize($0.name) }
        case .failure(.notAsked(let reason, _)): clerkSays = "the Backend API was not asked: \(reason)"
        case .failure(.failed(let reason)): clerkSays = "the Backend API's domains could not be read: \(reason)"
        }
        let selfIsSatellite = Self.isSatelliteApp(context)
        guard !configured.isEmpty || !fromClerk.isEmpty || selfIsSatellite else {
            return [.notApplicable("no satellite domain: app.satellites is empty, and \(clerkSays)")]
        }
        var results: [CheckResult] = fromClerk.filter { !configured.contains($0) }.map {
            .problem("\($0) is a satellite domain in Clerk but not in app.satellites: its records and certificate are not checked",
                     at: .dnsName($0), severity: .warning, hint: "Add it to app.satellites in preflight.yml")
        }
        for satellite in configured {
            results += judge(satellite, context, selfIsSatellite: selfIsSatellite)
        }
        if selfIsSatellite { results += judgeSelf(context) }
        return results
    }

    /// One satellite's pieces: the CNAME, the certificate, the way back from the primary.
    func judge(_ satellite: String, _ context: CheckContext, selfIsSatellite: Bool) -> [CheckResult] {
        let host = "clerk.\(satellite)"
        var problems: [CheckResult] = []
        var cname = CNAMEExpectation.evaluate(host: host, documented: FrontendAPICNAMECheck.target, context)
        if case .notApplicable = cname.status {
            // For a satellite, addresses instead of a CNAME is its own problem: dns.not_proxied reads only the primary's names.
            cname = .problem("\(host) answers with addresses, not a CNAME to Clerk (a proxy's, \"DNS only\" is required)", at: .dnsName(host))
        }
        if cname.status != .pass { problems.append(cname) }
        let url = Self.environmentURL(satellite)
        switch context.evidence.http(HTTPProbe(url: url, certificates: true)) {
        case nil: problems.append(.undecided("\(url) was not fetched", at: .url(url)))
        case .failure(let failure)? where failure.kind.isCertificateVerdict:
            problems.append(.problem("the certificate of \(host) is not valid (\(failure.message)): browsers refuse the satellite's Frontend API", at: .url(url),
                                     evidence: [EvidenceItem("error", failure.description)]))
        case .failure(let failure)?:
            // A missing CNAME is reported above; without one, no certificate can be asked for.
            if cname.status == .pass { problems.append(.undecided("could not reach \(url): \(failure)", at: .url(url))) }
        case .response?: break
        }
        if !selfIsSatellite {
            let origin = "https://\(satellite)"
            switch context.evidence.sources?.allowedRedirectOrigins {
            case nil: problems.append(.undecided("the source code was not read (allowedRedirectOrigins)", at: .url(origin)))
            case let origins?:
                if !origins.contains(where: { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) == origin }),
                   let unread = context.evidence.sources?.notReadSummary {
                    // The origin may be in what was not read: no verdict on it.
                    problems.append(.undecided("\(origin) is not in the allowedRedirectOrigins read, and \(unread)", at: .url(origin)))
                } else if !origins.contains(where: { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) == origin }) {
                    problems.append(.problem("the primary does not pass \(origin) in allowedRedirectOrigins: after signing in on the primary, users cannot be sent back to the satellite",
                                             at: .url(origin), evidence: [EvidenceItem("allowedRedirectOrigins", origins.isEmpty ? "none in the source" : origins.joined(separator: ", "))]))
                }
            }
        }
        return problems.isEmpty
            ? [.pass("\(satellite) is ready: \(host) reaches Clerk with a valid certificate" + (selfIsSatellite ? "" : ", and the primary lets sign-in return to it"), at: .dnsName(satellite))]
            : problems
    }

    /// This app is a satellite: it names its domain and signs in on the primary.
    func judgeSelf(_ context: CheckContext) -> [CheckResult] {
        var results: [CheckResult] = []
        let variables = context.evidence.clerkVariables
        guard let domain = context.configuration.app.domain else { return [.undecided("app.domain is not set in preflight.yml", at: .application)] }
        if let set = variables.last(where: { $0.clerk?.kind == .domain && !$0.value.isEmpty }) {
            if ClerkHosts.normalize(set.value.replacingOccurrences(of: "https://", with: "")) != domain {
                results.append(.problem("\(set.name) is \(set.value), not this satellite's domain (\(domain))", at: set.target))
            }
        } else {
            results.append(.problem("this app is a satellite (CLERK_IS_SATELLITE) but sets no CLERK_DOMAIN", at: .environment(variable: "CLERK_DOMAIN")))
        }
        if let signIn = variables.last(where: { $0.clerk?.kind == .signInURL && !$0.value.isEmpty }) {
            let host = URLComponents(string: signIn.value)?.host.map(ClerkHosts.normalize)
            if host == nil || host == domain || host!.hasSuffix("." + domain) {
                results.append(.problem("\(signIn.name) (\(signIn.value)) is not a sign-in page on the primary domain: a satellite signs in on the primary", at: signIn.target))
            }
        } else {
            results.append(.problem("this app is a satellite but sets no sign-in URL on the primary (CLERK_SIGN_IN_URL)", at: .environment(variable: "CLERK_SIGN_IN_URL")))
        }
        return results.isEmpty ? [.pass("this satellite names its domain and signs in on the primary", at: .application)] : results
    }
}
