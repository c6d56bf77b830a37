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

    static let configuration = Configuration(
        app: AppSettings(domain: "example.com", envFiles: [".env.production"], assets: ["dist"]),
        clerk: ClerkSettings(secretKeyEnv: "CLERK_SECRET_KEY"))

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

    @Test("no pass when nothing could be read", arguments: ids)
    func nothingCouldBeRead(id: String) throws {
        let check = try #require(BuiltinChecks.registry.check(id: id))
        let evidence = Self.failedEvidence(for: check, envFiles: [EnvFileEvidence(path: ".env.production", readError: "permission denied")])
        #expect(Self.passes(check, evidence) == [], "\(id) passed without its evidence")
    }
}
