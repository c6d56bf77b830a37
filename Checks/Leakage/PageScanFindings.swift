import PreflightCore

/// What the leakage checks share: the scan of app.url, and its matches of one kind as results.
enum PageScanFindings {
    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        context.configuration.app.url.map { [.page($0)] } ?? []
    }

    /// One problem per match of `kind` (page and scripts), a pass when there is none, and
    /// `undecided` when the page could not be read.
    static func results(
        _ context: CheckContext, kind: ClerkStringScanner.Match.Kind, describe: (ClerkStringScanner.Match) -> String,
        clean: String
    ) -> [CheckResult] {
        guard let url = context.configuration.app.url else {
            return [.undecided("app.url is not set in preflight.yml", at: .application)]
        }
        guard let scan = context.evidence.page(url) else { return [.undecided("\(url) was not scanned", at: .url(url))] }
        if let failure = scan.failure {
            return [.undecided("could not read \(url): \(failure)", at: .url(url))]
        }
        var results: [CheckResult] = []
        let sources = [(url, scan.matches)] + scan.scripts.map { ($0.url, $0.matches) }
        for (source, matches) in sources {
            for match in matches where match.kind == kind {
                results.append(.problem(
                    "\(describe(match)) in \(source == url ? "the page" : "a script the page loads")",
                    at: .file(path: source, line: match.line, column: match.column, subject: match.value),
                    evidence: [EvidenceItem("found", match.value), EvidenceItem("page", url)]))
            }
        }
        guard results.isEmpty else { return results }
        var evidence = [EvidenceItem("scripts read", "\(scan.scripts.filter { $0.failure == nil }.count)")]
        if !scan.scriptsNotRead.isEmpty {
            evidence.append(EvidenceItem("scripts not read (bounds)", scan.scriptsNotRead.joined(separator: ", ")))
        }
        for script in scan.scripts where script.failure != nil {
            evidence.append(EvidenceItem("script failed", "\(script.url): \(script.failure!)"))
        }
        return [.pass(clean, at: .url(url), evidence: evidence)]
    }

    /// A page scan example for the leakage checks.
    static func example(_ title: String, shows input: String, expect: CheckExample.Expectation, scan: PageScan) -> CheckExample {
        LiveExample.example(title, shows: input, expect: expect, pages: [scan])
    }
}
