import Foundation
import Logging
import PreflightCore

/// The live evidence gatherer: reads what the selected checks need, once.
public struct EvidenceGatherer: EvidenceGathering {
    public var folder: URL
    public var environment: [String: String]
    /// The instance snapshot, read and validated before gathering (a bad one is a usage error).
    public var snapshot: InstanceSnapshot?
    public var fileSystem: any FileReading
    /// `nil` when running offline: no probe can be made.
    public var prober: LiveProber?
    public var assetScanner: AssetScanner
    public var publicSuffixes: PublicSuffixList
    public var logger: Logger
    /// When the file work that can hang in a library (libgit2) must be given up; the probes'
    /// deadline when nil, else a minute.
    public var fileDeadline: Date?

    public init(
        folder: URL, environment: [String: String], snapshot: InstanceSnapshot? = nil, fileSystem: any FileReading = LocalFileSystem(),
        prober: LiveProber?, assetScanner: AssetScanner = AssetScanner(), publicSuffixes: PublicSuffixList = .shared,
        logger: Logger = Logger(label: "preflight")
    ) {
        self.folder = folder
        self.environment = environment
        self.snapshot = snapshot
        self.fileSystem = fileSystem
        self.prober = prober
        self.assetScanner = assetScanner
        self.publicSuffixes = publicSuffixes
        self.logger = logger
    }

    public func gather(for checks: [any Check.Type], configuration: Configuration, offline: Bool) async -> Evidence {
        await gather(configuration: configuration, offline: offline) { context in checks.flatMap { $0.probes(context) } }
    }

    /// Gathers what `plan` asks for, given the offline evidence (`preflight snapshot` plans its own).
    public func gather(
        configuration: Configuration, offline: Bool, plan: (ProbePlanningContext) -> [ProbeRequest]
    ) async -> Evidence {
        var evidence = gatherOffline(configuration: configuration)
        evidence.offline = offline
        let context = ProbePlanningContext(configuration: configuration, offlineEvidence: evidence)
        var requests = Set(plan(context))
        // The deployment's own secret values are looked for by value in what ships to browsers.
        let knownSecrets = evidence.knownSecretValues(configuration)
        // The asset scan (files, every core) runs beside the network probes, not before them.
        let wantsAssets = requests.remove(.assetScan) != nil
        let wantsRepository = requests.remove(.repositoryScan) != nil
        let wantsSources = requests.remove(.sourceScan) != nil
        // The file scans (every core) run beside the network probes, not before them.
        async let assets = wantsAssets ? scanAssets(configuration, knownSecrets: knownSecrets) : nil
        // The repository read has the run's deadline: libgit2 can spin.
        let repositoryDeadline = fileDeadline ?? prober?.deadline ?? Date().addingTimeInterval(60)
        async let repository = wantsRepository ? onDispatchQueue { [folder] in
            GitRepositoryScanner().scan(folder: folder, history: configuration.scanHistory, acceptShallow: configuration.acceptShallowHistory,
                                        deadline: repositoryDeadline)
        } : nil
        async let sources = wantsSources ? onDispatchQueue { [folder] in SourceScanner().scan(folder: folder) } : nil
        if !offline, var prober, !requests.isEmpty {
            logger.debug("probing", metadata: ["requests": "\(requests.count)"])
            prober.knownSecrets = knownSecrets
            let results = await prober.run(requests)
            (evidence.dns, evidence.http, evidence.pages, evidence.proxyChecks) = (results.dns, results.http, results.pages, results.proxyChecks)
        }
        evidence.assets = await assets
        evidence.repository = await repository
        evidence.sources = await sources
        if let repository = evidence.repository {
            logger.debug("repository", metadata: ["root": "\(repository.repositoryRoot ?? "none")", "tracked_files": "\(repository.trackedFilesScanned)",
                                                  "commits": "\(repository.commitsScanned)", "blobs": "\(repository.blobsScanned)", "hits": "\(repository.hits.count)"])
        }
        return evidence
    }

    /// Blocking file work off the cooperative pool, which the probes' continuations need.
    func onDispatchQueue<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// The asset scan on a dispatch queue: it blocks its threads while it reads, and the
    /// cooperative pool must stay free for the probes' continuations.
    func scanAssets(_ configuration: Configuration, knownSecrets: [String]) async -> AssetScan {
        let started = Date()
        var assetScanner = self.assetScanner
        assetScanner.knownSecrets = knownSecrets
        let scan = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [assetScanner, folder] in
                continuation.resume(returning: assetScanner.scan(folder: folder, configured: configuration.app.assets))
            }
        }
        logger.debug("assets", metadata: ["folders": "\(scan.roots.map(\.path))", "files": "\(scan.filesScanned)",
                                          "bytes": "\(scan.bytesScanned)", "hits": "\(scan.hits.count)",
                                          "ms": "\(Int(Date().timeIntervalSince(started) * 1000))"])
        for root in scan.unreadableRoots {
            logger.warning("could not read asset folder", metadata: ["path": "\(root.path)", "error": "\(root.readError ?? "")"])
        }
        return scan
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
            domain: configuration.app.domain.map { publicSuffixes.facts(for: $0) }, snapshot: snapshot)
    }

    /// Clerk's variables from the process environment, the one named by `secret_key_env`, and
    /// the presence (never the value) of the Platform API token named by `platform_token_env`.
    static func relevantEnvironment(_ environment: [String: String], configuration: Configuration) -> [EnvironmentVariable] {
        environment
            .filter { name, value in
                !value.isEmpty && (name == configuration.clerk.secretKeyEnv || configuration.clerk.platformTokenEnvs.contains(name)
                    || ClerkVariable(name: name) != nil)
            }
            .map { EnvironmentVariable(name: $0.key, value: configuration.clerk.platformTokenEnvs.contains($0.key) ? "[set]" : $0.value) }
            .sorted { $0.name < $1.name }
    }
}
