import PreflightCore

/// No Clerk secret key may be committed to the repository: a committed key must be rotated.
struct NoCommittedSecretKeysCheck: Check {
    static let description = CheckDescription(
        id: "leakage.no_committed_secret_keys",
        title: "No secret key committed to git",
        summary: "No file git tracks under the app (read through libgit2: the index, as the working tree has it; ignored files excluded) holds a Clerk sk_live_/sk_test_ key; with --history, no blob reachable from HEAD did either.",
        rationale: """
            A key in a committed .env file is readable by everyone with the repository (and by \
            everyone, once it is public), and deleting the file does not remove it from history: \
            every clone keeps it. A committed key has to be rotated, not only removed. A key \
            counts when its assignment names Clerk (CLERK_SECRET_KEY=…, createClerkClient({ \
            secretKey: … })) and it is not a placeholder; Stripe's keys share the prefixes and are \
            not Preflight's business. --history reads every blob once and names the commit that \
            brought each key in.
            """,
        hint: "Rotate the key in the Clerk Dashboard (API keys) now, remove it from the file, add the file to .gitignore, and keep secrets in the deployment's secret store",
        references: [
            Reference("Clerk: API keys and environment variables", "https://clerk.com/docs/deployments/clerk-environment-variables"),
            Reference("GitHub: removing sensitive data from a repository", "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository"),
        ],
        defaultSeverity: .critical,
        tags: ["leakage", "secrets", "repository"],
        needs: .offline,
        examples: [
            example("a clean repository", scan: RepositoryScan(repositoryRoot: "/src/shop", trackedFilesScanned: 140), expect: .pass),
            example("a committed .env with the secret key", scan: RepositoryScan(repositoryRoot: "/src/shop", trackedFilesScanned: 140, hits: [
                RepositoryScan.Hit(path: ".env", match: ClerkStringScanner.Match(kind: .secretKey, value: "sk_test_…c3d4", line: 2, column: 18), tracked: true),
            ]), expect: .problem),
            example("removed from the tree, still in history (--history)", scan: RepositoryScan(repositoryRoot: "/src/shop", trackedFilesScanned: 139, historyScanned: true, commitsScanned: 52, blobsScanned: 610, hits: [
                RepositoryScan.Hit(path: ".env", match: ClerkStringScanner.Match(kind: .secretKey, value: "sk_live_…9f0e", line: 2, column: 18), tracked: false,
                                   commit: "4be1c0a2d3f1", commitSummary: "add env", commitDate: "2026-03-02T10:00:00Z"),
            ]), expect: .problem),
            example("not a git repository", scan: RepositoryScan(), expect: .notApplicable),
            example("the repository could not be read", scan: RepositoryScan(readError: "cannot read the index: corrupt"), expect: .undecided),
        ])

    static func example(_ title: String, scan: RepositoryScan, expect: CheckExample.Expectation) -> CheckExample {
        let shown = scan.hits.map { "\($0.path):\($0.match.line): CLERK_SECRET_KEY=\($0.match.value)" + ($0.commit.map { " (commit \($0))" } ?? "") }
        return CheckExample(title, input: shown.isEmpty ? "# git ls-files: no Clerk secret key" : shown.joined(separator: "\n"), expect: expect) {
            CheckContext(evidence: Evidence(repository: scan), configuration: LiveExample.configuration)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [.repositoryScan] }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let scan = context.evidence.repository else { return [.undecided("the repository was not read", at: .application)] }
        if let error = scan.readError { return [.undecided("could not read the git repository: \(error)", at: .application)] }
        guard scan.repositoryRoot != nil else { return [.notApplicable("the app folder is not in a git repository")] }
        let rotate = "rotate it in the Clerk Dashboard: removing it does not take it out of git"
        // A key in built output is leakage.no_secret_keys_in_client's finding: one problem, one finding.
        let builtOutput = (context.configuration.app.assets ?? AppSettings.defaultAssetFolders).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        let hits = scan.hits.filter { hit in hit.match.kind == .secretKey && !builtOutput.contains { hit.path.hasPrefix($0) } }
        let results: [CheckResult] = hits.map { hit in
            var evidence = [EvidenceItem("key", hit.match.value)]
            if let excerpt = hit.match.excerpt { evidence.append(EvidenceItem("excerpt", excerpt)) }
            if let commit = hit.commit {
                evidence.append(EvidenceItem("introduced in", "\(commit) \(hit.commitDate ?? "") \(hit.commitSummary ?? "")"))
            }
            if hit.tracked {
                return .problem("Clerk secret key \(hit.match.value) is committed in \(hit.path): \(rotate)",
                                at: .file(path: hit.path, line: hit.match.line, column: hit.match.column, subject: hit.match.value), evidence: evidence)
            }
            return .problem("Clerk secret key \(hit.match.value) is in the history of \(hit.path) (commit \(hit.commit ?? "?")): \(rotate)",
                            at: .file(path: hit.path, line: nil, column: nil, subject: hit.match.value), evidence: evidence)
        }
        // A history read partly (shallow, corrupt, cut short) cannot clear the repository.
        let incomplete = scan.historyIncomplete.map { "the history was not read whole: \($0)" }
        if !results.isEmpty { return results.requiringWholeEvidence(missing: incomplete) }
        var read = "\(scan.trackedFilesScanned) tracked file(s)"
        if scan.historyScanned { read += " and \(scan.blobsScanned) blob(s) of \(scan.commitsScanned) commit(s)" }
        var evidence: [EvidenceItem] = scan.historyScanned ? [] : [EvidenceItem("history", "not read (pass --history to read every blob reachable from HEAD)")]
        if scan.shallow == true { evidence.append(EvidenceItem("history", "a shallow clone: only the commits it holds were read (--history=available)")) }
        return [CheckResult.pass("no Clerk secret key in \(read)", at: .application, evidence: evidence)].requiringWholeEvidence(missing: incomplete)
    }
}
