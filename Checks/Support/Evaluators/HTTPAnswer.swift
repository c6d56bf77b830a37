import PreflightCore

/// The answer a check planned for one URL, or the result that says why there is none: not
/// fetched (a plan and a read that do not match, which `PlannedEvidenceTests` catches by these
/// words), or fetched without an answer. Either way the check cannot decide; never a pass.
enum HTTPAnswer {
    case response(HTTPResponse)
    case none(CheckResult)

    init(_ probe: HTTPProbe, _ context: CheckContext, at target: Target) {
        switch context.evidence.http(probe) {
        case nil:
            self = .none(.undecided("\(probe.url) was not fetched", at: target))
        case .failure(let failure)?:
            self = .none(.undecided("no answer from \(probe.url): \(failure)", at: target, evidence: [EvidenceItem("error", failure.description)]))
        case .response(let response)?:
            self = .response(response)
        }
    }
}
