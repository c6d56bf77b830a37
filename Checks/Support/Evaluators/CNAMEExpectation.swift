import PreflightCore

/// What the CNAME checks share: a name must reach one of Clerk's targets through a CNAME.
enum CNAMEExpectation {
    /// Judges `host` (asked as an A question) against Clerk's documented target; the Backend
    /// API's per-instance value from cname_targets, when it was asked, is accepted too.
    static func evaluate(host: String, documented: String, _ context: CheckContext) -> CheckResult {
        var expected = [documented]
        var source = "Clerk's documented target"
        if let exact = ClerkSources.cnameTargets(context)?[host]?.value {
            if !expected.contains(exact) { expected.append(exact) }
            source = ClerkSources.cnameTargetsSource(context)
        }
        return besideClerksVerdict(evaluate(host: host, answer: context.evidence.dns(DNSQuestion(host, .a)), expected: expected, source: source),
                                   host: host, context)
    }

    /// The tool's verdict on `host` beside Clerk's own (the Platform API's domain status), when
    /// it was asked. Agreement adds Clerk's word to the evidence. DNS right while Clerk has not
    /// verified the record: a warning (propagation or caching: Clerk has not seen it yet, and
    /// issues no certificate until it does). DNS wrong while Clerk says verified: the problem
    /// stands, saying Clerk saw otherwise. Clerk's failure hints are kept either way.
    static func besideClerksVerdict(_ result: CheckResult, host: String, _ context: CheckContext) -> CheckResult {
        var result = result
        let status: ClerkAPI.PlatformDomainStatus
        switch ClerkSources.domainStatus(context) {
        case .success(let value): status = value
        case .failure(.failed(let reason)):
            // Clerk's word is a second opinion: without it the tool's own verdict stands, said so.
            result.evidence.append(EvidenceItem("Clerk's check", "not read: \(reason)"))
            return result
        case .failure(.notAsked): return result
        }
        guard let clerk = status.cname(for: host) else { return result }
        let hints = (clerk.failureHints ?? []).map { "\($0.code): \($0.message)" }
        result.evidence.append(EvidenceItem("Clerk's check", (clerk.verified ? "verified" : "not verified") + (clerk.required ? "" : " (not required)")
            + (clerk.actual.map { ", sees \($0.isEmpty ? "nothing" : $0.joined(separator: ", "))" } ?? "")))
        for hint in hints { result.evidence.append(EvidenceItem("Clerk's hint", hint)) }
        switch result.status {
        case .pass where !clerk.verified && clerk.required:
            result.status = .problem
            result.severity = .warning
            result.message = "\(host) answers right, but Clerk's own check has not verified it yet (propagation or caching: Clerk issues no certificate until it does)"
            result.hint = "Wait for propagation, then let Clerk check again (Dashboard: Domains)" + (hints.isEmpty ? "" : "; Clerk says: " + hints.joined(separator: "; "))
        case .problem where clerk.verified:
            result.message += " (Clerk's own check says verified: it saw the record before it changed, or through another resolver)"
        default:
            break
        }
        return result
    }

    /// Judges the answer for `host`. `expected` are acceptable targets; `acceptsClerkServices`
    /// also accepts any `*.clerk.services` name (when the exact target depends on the instance
    /// and the Backend API was not asked). Answers made of addresses alone are left to
    /// `dns.not_proxied`, so one problem is reported once.
    static func evaluate(
        host: String, answer: DNSAnswer?, expected: [String], acceptsClerkServices: Bool = false,
        source: String, severity: Severity? = nil
    ) -> CheckResult {
        let target = Target.dnsName(host)
        let wanted = (expected + (acceptsClerkServices ? ["a *.clerk.services name"] : [])).joined(separator: " or ")
        guard let answer else { return .undecided("\(host) was not looked up", at: target) }
        // A CNAME question answers with the record itself; an address question with the chain.
        let reached = answer.chain.dropFirst() + answer.records.filter { $0.type == .cname }.map(\.value)
        var evidence = [EvidenceItem("chain", ([host] + reached).joined(separator: " -> ")), EvidenceItem("outcome", answer.outcome.display),
                        EvidenceItem("expected", wanted),
                        EvidenceItem("expected from", source)]
        evidence += answer.records.filter { $0.type != .cname }.prefix(4).map { EvidenceItem($0.type.rawValue, $0.value) }
        if answer.outcome.isTransportFailure {
            return .undecided("could not resolve \(host): \(answer.outcome.display)", at: target, evidence: evidence)
        }
        if let hit = reached.first(where: { expected.contains($0) || (acceptsClerkServices && $0.hasSuffix(".clerk.services")) }) {
            return .pass("\(host) is a CNAME to \(hit)", at: target, evidence: evidence)
        }
        switch answer.outcome {
        case .nxdomain:
            return .problem("\(host) does not exist (NXDOMAIN)", at: target, evidence: evidence, severity: severity)
        case .nodata:
            return .problem("\(host) has no CNAME to \(wanted) (NODATA)", at: target, evidence: evidence, severity: severity)
        case .answer where reached.isEmpty:
            return .notApplicable("\(host) answers with addresses, not a CNAME (reported by dns.not_proxied)", at: target)
        default:
            if let first = reached.first {
                return .problem("\(host) points at \(first), not \(wanted)", at: target, evidence: evidence, severity: severity)
            }
            return .problem("\(host) has no CNAME to \(wanted) (\(answer.outcome.display))",
                            at: target, evidence: evidence, severity: severity)
        }
    }
}
