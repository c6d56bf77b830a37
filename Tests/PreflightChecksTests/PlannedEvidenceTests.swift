import Foundation
import PreflightChecks
import PreflightCore
import Testing

/// A check reads back exactly what it planned: evaluated on evidence that holds an answer
/// (failed, but there) for every probe it planned and nothing else, it never finds a fact
/// missing ("was not fetched", "was not looked up", "was not scanned", "was not read"). A key
/// rebuilt differently in `evaluate` than in `probes` reads as missing, and fails here.
@Suite struct PlannedEvidenceTests {
    static let configuration: Configuration = {
        var configuration = Configuration(
            app: AppSettings(domain: "example.com", url: "https://example.com/", envFiles: [".env.production"], assets: ["dist"],
                             webhooks: ["https://example.com/api/webhooks/clerk"], protectedPaths: ["/dashboard"]),
            clerk: ClerkSettings(secretKeyEnv: "CLERK_SECRET_KEY"))
        configuration.clerk.applicationID = "app_1"
        configuration.app.previewURLs = ["https://shop-git-main-acme.vercel.app/"]
        configuration.app.satellites = ["shop.example.org"]
        return configuration
    }()

    /// Everything a check may plan from: a live key, the secret key, a Platform API key.
    static let planning = Evidence(
        envFiles: [EnvFileEvidence(path: ".env.production", text: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\n")],
        environment: [EnvironmentVariable(name: "CLERK_SECRET_KEY", value: "sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9"),
                      EnvironmentVariable(name: "CLERK_PLATFORM_API_KEY", value: "[set]")])

    static let missingWords = ["was not fetched", "was not looked up", "was not scanned", "was not read"]

    /// The results of `check` on evidence holding exactly its planned facts, each failed.
    static func results(of check: any Check.Type) -> [CheckResult] {
        var evidence = planning
        for request in check.probes(ProbePlanningContext(configuration: configuration, offlineEvidence: planning)) {
            switch request {
            case .dns(let question): evidence.dns.append(DNSAnswer(question: question, outcome: .servfail))
            case .http(let probe):
                evidence.http.append(HTTPExchange(probe: probe, result: .failure(HTTPFailure(kind: .timeout, message: "planned, timed out", url: probe.url))))
            case .page(let url): evidence.pages.append(PageScan(url: url, failure: HTTPFailure(kind: .timeout, message: "planned, timed out", url: url)))
            case .assetScan: evidence.assets = AssetScan(roots: [AssetScan.Root(path: "dist", configured: true)], filesScanned: 1)
            case .repositoryScan: evidence.repository = RepositoryScan(repositoryRoot: "/repo", trackedFilesScanned: 1)
            case .sourceScan: evidence.sources = SourceScan(filesScanned: 1)
            case .proxyCheck(let request):
                evidence.proxyChecks.append(ProxyCheckEvidence(
                    request: request, domainID: nil, result: .failure(HTTPFailure(kind: .timeout, message: "planned, timed out", url: request.apiURL))))
            }
        }
        return check.init().evaluate(CheckContext(evidence: evidence, configuration: configuration, now: Date(timeIntervalSince1970: 1_798_761_600)))
    }

    static func unplannedReads(of check: any Check.Type) -> [String] {
        results(of: check).map(\.message).filter { message in missingWords.contains { message.contains($0) } }
    }

    @Test(arguments: BuiltinChecks.registry.descriptions.map(\.id))
    func everyCheckReadsWhatItPlanned(id: String) throws {
        let check = try #require(BuiltinChecks.registry.check(id: id))
        #expect(Self.unplannedReads(of: check) == [], "\(id) reads evidence it did not plan")
    }

    /// A check whose `evaluate` rebuilds its key differently (a trailing slash) is caught.
    struct MismatchedCheck: Check {
        static let description = CheckDescription(
            id: "test.mismatched", title: "t", summary: "s", rationale: "r", hint: "h", defaultSeverity: .error, needs: .network, examples: [])
        static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [.http(HTTPProbe(url: "https://example.com/health"))] }
        func evaluate(_ context: CheckContext) -> [CheckResult] {
            guard context.evidence.http(HTTPProbe(url: "https://example.com/health/")) != nil else {
                return [.undecided("https://example.com/health/ was not fetched", at: .application)]
            }
            return [.pass("fine", at: .application)]
        }
    }

    @Test func aMismatchBetweenPlanAndReadIsCaught() {
        #expect(Self.unplannedReads(of: MismatchedCheck.self) == ["https://example.com/health/ was not fetched"])
    }
}
