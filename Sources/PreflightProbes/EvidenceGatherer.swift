import Foundation
import Logging
import PreflightCore

/// The live evidence gatherer: reads what the selected checks need, once.
public struct EvidenceGatherer: EvidenceGathering {
    public var folder: URL
    public var environment: [String: String]
    public var fileSystem: any FileReading
    /// `nil` when running offline: no probe can be made.
    public var prober: LiveProber?
    public var assetScanner: AssetScanner
    public var publicSuffixes: PublicSuffixList
    public var logger: Logger

    public init(
        folder: URL, environment: [String: String], fileSystem: any FileReading = LocalFileSystem(),
        prober: LiveProber?, assetScanner: AssetScanner = AssetScanner(), publicSuffixes: PublicSuffixList = .shared,
        logger: Logger = Logger(label: "preflight")
    ) {
        self.folder = folder
        self.environment = environment
        self.fileSystem = fileSystem
        self.prober = prober
        self.assetScanner = assetScanner
        self.publicSuffixes = publicSuffixes
        self.logger = logger
    }

    public func gather(for checks: [any Check.Type], configuration: Configuration, offline: Bool) async -> Evidence {
        var evidence = gatherOffline(configuration: configuration)
        evidence.offline = offline
        let context = ProbePlanningContext(configuration: configuration, offlineEvidence: evidence)
        var requests = Set(checks.flatMap { $0.probes(context) })
        if requests.remove(.assetScan) != nil {
            let started = Date()
            let scan = assetScanner.scan(folder: folder, configured: configuration.app.assets)
            evidence.assets = scan
            logger.debug("assets", metadata: ["folders": "\(scan.roots.map(\.path))", "files": "\(scan.filesScanned)",
                                              "bytes": "\(scan.bytesScanned)", "hits": "\(scan.hits.count)",
                                              "ms": "\(Int(Date().timeIntervalSince(started) * 1000))"])
            for root in scan.unreadableRoots {
                logger.warning("could not read asset folder", metadata: ["path": "\(root.path)", "error": "\(root.readError ?? "")"])
            }
        }
        guard !offline, let prober, !requests.isEmpty else { return evidence }
        logger.debug("probing", metadata: ["requests": "\(requests.count)"])
        (evidence.dns, evidence.http, evidence.pages) = await prober.run(requests)
        return evidence
    }

    /// Env files and the environment: what needs no network.
    func gatherOffline(configuration: Configuration) -> Evidence {
        let envFiles = EnvFileProbe(folder: folder, fileSystem: fileSystem).read(configured: configuration.app.envFiles)
        for file in envFiles {
            if let error = file.readError {
                logger.warning("could not read env file", metadata: ["path": "\(file.path)", "error": "\(error)"])
            } else {
                logger.debug("read env file", metadata: ["path": "\(file.path)", "clerk_variables": "\(file.entries.count)"])
            }
            for problem in file.problems {
                logger.warning("env file problem", metadata: ["location": "\(file.path):\(problem.line)", "problem": "\(problem.message)"])
            }
        }
        return Evidence(
            envFiles: envFiles, environment: Self.relevantEnvironment(environment, configuration: configuration),
            domain: configuration.app.domain.map { publicSuffixes.facts(for: $0) })
    }

    /// Clerk's variables from the process environment, and the one named by `secret_key_env`.
    static func relevantEnvironment(_ environment: [String: String], configuration: Configuration) -> [EnvironmentVariable] {
        environment
            .filter { name, value in
                !value.isEmpty && (name == configuration.clerk.secretKeyEnv || ClerkVariable(name: name) != nil)
            }
            .map { EnvironmentVariable(name: $0.key, value: $0.value) }
            .sorted { $0.name < $1.name }
    }
}
