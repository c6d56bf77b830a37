import Foundation
import PreflightCore
import PreflightProbes

/// One app's state after one attempt: its configuration as run, the checks' settled findings
/// (waivers applied, no baseline yet), and whether it ran offline.
public struct AppRun: Sendable {
    public var configuration: Configuration
    public var result: Runner.RunResult
    public var offline: Bool
}

/// One attempt at one app: configure, gather (through the shared prober in a fleet, or from
/// the recording), evaluate, and record what was gathered.
struct AppRunner: Sendable {
    var engine: CheckEngine
    var settings: RunSettings
    var recording: EvidenceRecording?
    var startedAt: Date

    var services: EngineServices { engine.services }

    func run(_ target: AppPlan.Target, app: LoadedApp, sharing: ProbeSharing?, only retry: [String]? = nil) async throws(EngineError) -> AppRun {
        var configuration = app.configuration
        if let url = settings.clerkAPIURL { configuration.clerk.apiURL = url }
        if let url = settings.clerkPlatformURL { configuration.clerk.platformURL = url }
        configuration.scanHistory = settings.history
        configuration.acceptShallowHistory = settings.historyAvailable
        // A retry of --wait has said all of this already.
        let firstTime = retry == nil
        // In a fleet each line says which app it is about.
        let prefix = sharing == nil ? "" : "\(target.name): "
        if firstTime { for warning in configuration.warnings { services.diagnostics.warn("\(prefix)\(warning.description) (warning)") } }
        // Secrets the environment holds are masked everywhere from here on.
        services.redactor.add(secrets: services.secretValues(for: configuration))
        services.logger.debug("configuration", metadata: ["app": "\(target.name)", "path": "\(configuration.path ?? "none")"])

        var offline = settings.offline
        let gatherer: any EvidenceGathering
        if let recording {
            offline = offline || recording.offline
            gatherer = FixedEvidence(recording.evidence)
        } else {
            gatherer = try liveGatherer(app: app, configuration: configuration, offline: offline, sharing: sharing)
        }
        let selection = Selection(
            only: retry ?? RunSettings.split(settings.only), skip: RunSettings.split(settings.skip), tags: RunSettings.split(settings.tags),
            offline: offline)
        let result: Runner.RunResult
        do {
            result = try await Runner(registry: engine.registry, gatherer: gatherer)
                .run(configuration: configuration, selection: selection, now: startedAt, useWaivers: settings.useWaivers)
        } catch {
            throw .usage(error.description)
        }
        if firstTime { for note in result.waiverNotes { services.diagnostics.warn("preflight: warning: \(prefix)\(note.message)") } }
        services.redactor.add(secrets: result.evidence.configuredVariables.filter { $0.clerk?.kind.isSecret == true }.map(\.value))
        if let path = settings.record, firstTime {
            try record(result.evidence, of: target, configuration: configuration, offline: offline, to: path)
        }
        return AppRun(configuration: configuration, result: result, offline: offline)
    }

    /// Files and the network, with the app's credentials from the environment.
    func liveGatherer(app: LoadedApp, configuration: Configuration, offline: Bool, sharing: ProbeSharing?) throws(EngineError) -> EvidenceGatherer {
        let environment = services.environment
        let secretKey = environment[configuration.clerk.secretKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
        let platformToken = configuration.clerk.platformToken(in: environment)
        let deadline = services.network.deadlineFromNow()
        var prober: LiveProber?
        if !offline {
            let resolver: any DNSResolving
            if let shared = sharing?.resolver { resolver = shared } else { resolver = try services.network.resolver() }
            prober = LiveProber(
                http: sharing?.http ?? services.network.httpClient(), dns: resolver, secretKey: secretKey, platformToken: platformToken,
                deadline: deadline, logger: services.logger)
            prober?.sharing = sharing
        }
        var gatherer = EvidenceGatherer(
            folder: app.folder, environment: environment, snapshot: app.snapshot, fileSystem: services.files, prober: prober, logger: services.logger)
        gatherer.fileDeadline = deadline
        return gatherer
    }

    /// `--record`: the evidence, secrets masked, with the app's configuration as it was read;
    /// written like a report (atomically, only to a regular file).
    func record(_ evidence: Evidence, of target: AppPlan.Target, configuration: Configuration, offline: Bool, to path: String) throws(EngineError) {
        let configText = configuration.path.flatMap { try? services.files.readText($0, cap: BoundedFile.configurationCap) }
        let recording = EvidenceRecording(
            evidence: evidence, recordedAt: startedAt, offline: offline, secretVariables: [configuration.clerk.secretKeyEnv],
            app: .init(path: target.path, configPath: configuration.path, configText: configText))
        do {
            let text = String(decoding: try recording.encoded(redactor: services.redactor.snapshot()), as: UTF8.self)
            try ReportWriter(redactor: services.redactor).write(text, toFile: path)
        } catch {
            services.diagnostics.warn("preflight: cannot write the recording: \((error as? EngineError)?.description ?? error.localizedDescription)")
            throw .reported
        }
    }
}
