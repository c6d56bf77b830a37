import Foundation
import PreflightChecks
import PreflightCore
import Testing

/// "Could not decide" is never a pass: every check is evaluated on evidence where each fact it
/// asked for failed (SERVFAIL, a timeout, a page that did not load, an asset folder that is not
/// there) and, in the harsher case, where the env files could not be read either.
@Suite struct NoPassWithoutEvidenceTests {
    static let ids = BuiltinChecks.registry.descriptions.map(\.id)
    static let now = Date(timeIntervalSince1970: 1_798_761_600)

    static let configuration: Configuration = {
        var configuration = Configuration(
            app: AppSettings(domain: "example.com", envFiles: [".env.production"], assets: ["dist"],
                             webhooks: ["https://example.com/api/webhooks/clerk"], protectedPaths: ["/dashboard"]),
            clerk: ClerkSettings(secretKeyEnv: "CLERK_SECRET_KEY"))
        configuration.app.previewURLs = ["https://shop-git-main-acme.vercel.app/"]
        configuration.app.satellites = ["shop.example.org"]
        return configuration
    }()

    /// What planning sees: a readable live key, and the secret key in the environment, so every
    /// probe a check can ask for is asked for.
    static let planning = Evidence(
        envFiles: [EnvFileEvidence(path: ".env.production", text: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\n")],
        environment: [EnvironmentVariable(name: "CLERK_SECRET_KEY", value: "sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9")])

    /// The check's planned facts, each one failed.
    static func failedEvidence(for check: any Check.Type, envFiles: [EnvFileEvidence]) -> Evidence {
        var evidence = Evidence(envFiles: envFiles)
        for request in check.probes(ProbePlanningContext(configuration: configuration, offlineEvidence: planning)) {
            switch request {
            case .dns(let question):
                evidence.dns.append(DNSAnswer(question: question, outcome: .servfail))
            case .http(let probe):
                evidence.http.append(HTTPExchange(probe: probe, result: .failure(HTTPFailure(kind: .timeout, message: "timed out", url: probe.url))))
            case .page(let url):
                evidence.pages.append(PageScan(url: url, failure: HTTPFailure(kind: .timeout, message: "timed out", url: url)))
            case .assetScan:
                evidence.assets = AssetScan(roots: [AssetScan.Root(path: "dist", configured: true, readError: "no such folder: dist")])
            case .repositoryScan:
                evidence.repository = RepositoryScan(readError: "cannot read the index")
            case .sourceScan:
                // Source code can be read; what it lacks is the call: the checks must not pass on that.
                evidence.sources = SourceScan(filesScanned: 0)
            case .proxyCheck(let request):
                evidence.proxyChecks.append(ProxyCheckEvidence(
                    request: request, domainID: nil, result: .failure(HTTPFailure(kind: .timeout, message: "timed out", url: request.apiURL))))
            }
        }
        return evidence
    }

    static func passes(_ check: any Check.Type, _ evidence: Evidence) -> [String] {
        check.init().evaluate(CheckContext(evidence: evidence, configuration: configuration, now: now))
            .filter { $0.status == .pass }.map(\.message)
    }

    @Test("no pass when the live facts failed", arguments: ids)
    func liveFactsFailed(id: String) throws {
        let check = try #require(BuiltinChecks.registry.check(id: id))
        // Checks that read files alone legitimately pass on a readable key file.
        guard check.description.needs >= .network else { return }
        let evidence = Self.failedEvidence(for: check, envFiles: Self.planning.envFiles)
        #expect(Self.passes(check, evidence) == [], "\(id) passed without its evidence")
    }

    /// One piece of a check's evidence read only in part, the rest clean: a page whose scripts
    /// went past the read bounds (the secret in script 61 of 61), a script that answered 500,
    /// a built file that could not be read, a source file that could not be read, a history
    /// that is shallow or corrupt, an env file that could not be read.
    enum Incomplete: String, CaseIterable {
        case scriptsPastTheBounds, scriptFailed, builtFileUnreadable, sourceFileUnreadable, historyShallow, historyCorrupt, envFileUnreadable
    }

    /// Evidence where every planned fact was read and is clean, except `incomplete`; nil when
    /// the check does not read the kind of evidence `incomplete` spoils.
    static func partialEvidence(for check: any Check.Type, _ incomplete: Incomplete) -> Evidence? {
        var evidence = Evidence(envFiles: planning.envFiles, environment: planning.environment)
        var spoiled = false
        for request in check.probes(ProbePlanningContext(configuration: configuration, offlineEvidence: planning)) {
            switch request {
            case .page(let url):
                var scan = PageScan(url: url, status: 200, scripts: [PageScan.Script(url: "https://example.com/a.js", bytes: 100)])
                if incomplete == .scriptsPastTheBounds {
                    scan.scriptsNotRead = ["https://example.com/s61.js"]
                    spoiled = true
                }
                if incomplete == .scriptFailed {
                    scan.scripts.append(PageScan.Script(url: "https://example.com/b.js", failure: HTTPFailure(kind: .httpStatus, message: "HTTP 500", url: "https://example.com/b.js")))
                    spoiled = true
                }
                evidence.pages.append(scan)
            case .assetScan:
                evidence.assets = AssetScan(roots: [AssetScan.Root(path: "dist", configured: true)], filesScanned: 10,
                                            unreadableFiles: incomplete == .builtFileUnreadable ? ["dist/a.js: permission denied"] : [])
                spoiled = spoiled || incomplete == .builtFileUnreadable
            case .sourceScan:
                let call = SourceScan.Call(kind: .clerkMiddleware, path: "middleware.ts", line: 1, column: 1,
                                           arguments: "{ authorizedParties: ['https://example.com'] }")
                evidence.sources = SourceScan(filesScanned: 3, calls: [call],
                                              filesNotRead: incomplete == .sourceFileUnreadable ? ["src/b.ts: permission denied"] : [])
                spoiled = spoiled || incomplete == .sourceFileUnreadable
            case .repositoryScan:
                // Only history readers care how whole the history is; tracked files are read whole.
                guard ![.historyShallow, .historyCorrupt].contains(incomplete) || readsHistory.contains(check.description.id) else { continue }
                var scan = RepositoryScan(repositoryRoot: "/repo", trackedFilesScanned: 4, historyScanned: true, commitsScanned: 2, blobsScanned: 4)
                if incomplete == .historyShallow { scan.shallow = true; scan.historyIncomplete = "the repository is a shallow clone" }
                if incomplete == .historyCorrupt { scan.historyIncomplete = "cannot read blob 1234" }
                spoiled = spoiled || [.historyShallow, .historyCorrupt].contains(incomplete)
                evidence.repository = scan
            case .dns, .http, .proxyCheck:
                continue
            }
        }
        if incomplete == .envFileUnreadable {
            guard readsEnvFiles.contains(check.description.id) else { return nil }
            evidence.envFiles.append(EnvFileEvidence(path: ".env", readError: ".env is a FIFO, not a regular file"))
            spoiled = true
        }
        return spoiled ? evidence : nil
    }

    /// The checks whose pass says something is absent everywhere (no leaked key, no call
    /// without authorizedParties): a piece not read may hold exactly that.
    static let absenceChecks = ids.filter { $0.hasPrefix("leakage.") || $0.hasPrefix("app.") }
    /// The checks that read the repository's history (`--history`).
    static let readsHistory: Set<String> = ["leakage.no_committed_secret_keys"]

    /// The absence checks that read the env files themselves.
    static let readsEnvFiles: Set<String> = ["leakage.no_development_keys", "leakage.no_development_hosts"]

    /// The webhook check looks for its variable in the env files: one it could not read may be
    /// the one that sets it, so "not set" is undecided there, not a failure.
    @Test func anUnreadableEnvFileLeavesTheWebhookSecretUndecided() throws {
        let call = SourceScan.Call(kind: .verifyWebhook, path: "app/api/webhooks/route.ts", line: 3, column: 9, arguments: "req",
                                   fileEnvironmentVariables: [])
        for readError in [".env.production is a FIFO, not a regular file", ".env.production: not UTF-8 text: invalid byte at 2:5",
                          ".env.production is larger than the 1 MiB cap", "no such file: .env.production"] {
            let evidence = Evidence(envFiles: [EnvFileEvidence(path: ".env.production", readError: readError)],
                                    sources: SourceScan(filesScanned: 1, calls: [call]))
            let check = try #require(BuiltinChecks.registry.check(id: "app.webhook_signing_secret_set"))
            let results = check.init().evaluate(CheckContext(evidence: evidence, configuration: Self.configuration))
            #expect(results.map(\.status) == [CheckResult.Status.undecided(results.first?.message ?? "")], "\(readError): \(results)")
            #expect(results.first?.message.contains(readError) == true)
        }
    }

    @Test("no pass when a piece was read only in part", arguments: absenceChecks, Incomplete.allCases)
    func pieceReadInPart(id: String, incomplete: Incomplete) throws {
        let check = try #require(BuiltinChecks.registry.check(id: id))
        guard let evidence = Self.partialEvidence(for: check, incomplete) else { return }
        #expect(Self.passes(check, evidence) == [], "\(id) passed with \(incomplete.rawValue)")
    }

    /// Every Clerk source answered, but none carries the fact asked for (a Platform answer
    /// without redirect URIs, a snapshot with nothing in it): no check that rests on Clerk's
    /// side passes.
    @Test("no pass when the source lacks the fact", arguments: ids)
    func sourceLacksTheFact(id: String) throws {
        let check = try #require(BuiltinChecks.registry.check(id: id))
        guard check.description.needs >= .network || check.description.decidesFromSnapshot else { return }
        var evidence = Self.failedEvidence(for: check, envFiles: Self.planning.envFiles)
        evidence.snapshot = InstanceSnapshot()
        for absence in [FactAbsence.notCarried("the source does not carry it"), .failed("asked, no answer"), .notAsked(.online)] {
            let passes = check.init().evaluate(CheckContext(evidence: evidence, configuration: Self.configuration, now: Self.now, facts: .lacking(absence)))
                .filter { $0.status == .pass }.map(\.message)
            #expect(passes == [], "\(id) passed though no source stated the fact (\(absence))")
        }
    }

    @Test("no pass when nothing could be read", arguments: ids)
    func nothingCouldBeRead(id: String) throws {
        let check = try #require(BuiltinChecks.registry.check(id: id))
        let evidence = Self.failedEvidence(for: check, envFiles: [EnvFileEvidence(path: ".env.production", readError: "permission denied")])
        #expect(Self.passes(check, evidence) == [], "\(id) passed without its evidence")
    }
}
