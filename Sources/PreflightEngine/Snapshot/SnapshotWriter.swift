import Foundation
import PreflightCore
import PreflightProbes

/// `preflight snapshot`: reads the app's configuration, asks Clerk's APIs what they show, and
/// writes a starter instance snapshot with `null` where a person must complete it.
public struct SnapshotWriter: Sendable {
    public var services: EngineServices
    public var registry: CheckRegistry

    public init(services: EngineServices, registry: CheckRegistry) {
        self.services = services
        self.registry = registry
    }

    public struct Written: Sendable {
        public var path: String
        public var starter: SnapshotStarter.Starter
        /// The configuration already names a snapshot file (else the user must add it).
        public var configured: Bool

        /// What to tell the user, a line each (made safe: paths come from the disk).
        public func lines(folder: String) -> [String] {
            var lines = ["wrote \(path)"]
            lines.append(starter.read.isEmpty ? "read: nothing (no publishable key, secret key or Platform API token reached Clerk)"
                                              : "read: " + starter.read.joined(separator: "; "))
            if starter.todo.isEmpty {
                lines.append("complete: every field was read")
            } else {
                lines.append("to fill in by hand (\(starter.todo.count)):")
                lines += starter.todo.map { "  \($0)" }
            }
            if configured {
                lines.append("next: run `preflight check \(folder)`")
            } else {
                lines.append("next: add `clerk:\\n  instance_snapshot: \(URL(fileURLWithPath: path).lastPathComponent)` to preflight.yml, then run `preflight check \(folder)`")
            }
            return lines.map(OutsideText.neutralized)
        }
    }

    /// `output` nil: `clerk.instance_snapshot`, else `clerk-instance.json` in the folder.
    public func write(path: String, config: String?, output: String?, force: Bool, clerkAPIURL: String?, clerkPlatformURL: String?) async throws(EngineError) -> Written {
        let loader = AppLoader(registry: registry, files: services.files, clock: services.clock, diagnostics: services.diagnostics)
        guard services.files.isDirectory(path) else { throw .usage("no such folder: \(path)") }
        let folder = URL(fileURLWithPath: path)
        var configuration = try loader.loadConfiguration(path: path, folder: folder, config: config)
        if let url = clerkAPIURL { configuration.clerk.apiURL = url }
        if let url = clerkPlatformURL { configuration.clerk.platformURL = url }
        services.redactor.add(secrets: services.secretValues(for: configuration))

        let target = output ?? AppLoader.shown(configuration.clerk.instanceSnapshot ?? "clerk-instance.json", in: path)
        if services.files.kind(of: target, followLinks: false) != nil, !force {
            throw .usage("\(target) exists; pass --force to replace it")
        }
        let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: parent) else { throw .usage("cannot write \(target): \(parent) is not writable") }

        let environment = services.environment
        let deadline = services.network.deadlineFromNow()
        let prober = LiveProber(
            http: services.network.httpClient(), dns: try services.network.resolver(),
            secretKey: environment[configuration.clerk.secretKeyEnv].flatMap { $0.isEmpty ? nil : $0 },
            platformToken: configuration.clerk.platformToken(in: environment), deadline: deadline, logger: services.logger)
        let gatherer = EvidenceGatherer(folder: folder, environment: environment, fileSystem: services.files, prober: prober, logger: services.logger)
        let evidence = await gatherer.gather(configuration: configuration, offline: false, plan: SnapshotStarter.probes)
        let now = services.clock.now()
        let starter = SnapshotStarter.build(CheckContext(evidence: evidence, configuration: configuration, now: now), exportedAt: now)
        do {
            try Data(starter.text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw .usage("cannot write \(target): \(error.localizedDescription)")
        }
        return Written(path: target, starter: starter, configured: configuration.clerk.instanceSnapshot != nil)
    }
}
