import Foundation
import Logging
import PreflightChecks
import PreflightCore
import PreflightProbes

/// The run, as typed stages: settings -> `AppPlan` (which apps) -> `[LoadedApp]` (their files,
/// read before any probe) -> `AppRun` per app (evidence gathered once, checks evaluated, waivers
/// applied; with `--wait` asked again) -> `Report` (settled: the baseline applied once, apps in
/// order). Writing the report is `ReportWriter`'s. Everything outside the run comes through
/// `services`; the command line only parses flags into `RunSettings` and prints.
public struct CheckEngine: Sendable {
    public var registry: CheckRegistry
    public var services: EngineServices

    public init(services: EngineServices, registry: CheckRegistry = BuiltinChecks.registry) {
        self.registry = registry
        self.services = services
    }

    var loader: AppLoader {
        AppLoader(registry: registry, files: services.files, clock: services.clock, diagnostics: services.diagnostics)
    }

    /// Everything a run starts from, read before anything is probed: the apps, their files, the
    /// baseline and the recording. Any problem is a usage error.
    public struct Inputs: Sendable {
        public var plan: AppPlan
        public var apps: [LoadedApp]
        public var baseline: Baseline?
        public var recording: EvidenceRecording?
    }

    /// The first two stages: which apps, and their files.
    public func prepare(_ settings: RunSettings) throws(EngineError) -> Inputs {
        try settings.validate()
        if let record = settings.record { try ReportWriter.checkWritable([record]) }
        let baseline = try settings.baselinePath.map { path throws(EngineError) in try RunInputs.readBaseline(path, files: services.files) }
        let recording = try settings.replay.map { path throws(EngineError) in try RunInputs.readRecording(path, files: services.files) }
        // A replay without a path is the recorded app with its recorded configuration, wherever it runs.
        if let recording, let app = recording.app, settings.paths.isEmpty, settings.appsFile == nil, settings.config == nil {
            let plan = AppPlan(targets: [AppPlan.Target(name: app.path, path: app.path)], isFleet: false, display: app.path)
            return Inputs(plan: plan, apps: [try loader.load(recorded: app)], baseline: baseline, recording: recording)
        }
        let plan = try AppPlan.resolve(
            paths: settings.paths, appsFile: settings.appsFile, config: settings.config, shard: settings.shard, files: services.files,
            diagnostics: services.diagnostics)
        if plan.isFleet, settings.record != nil || settings.replay != nil {
            throw .usage("--record and --replay take one app, not \(plan.targets.count)")
        }
        let apps = plan.isFleet ? try loader.loadAll(plan.targets) : [try loader.load(path: plan.targets[0].path, config: plan.targets[0].config)]
        return Inputs(plan: plan, apps: apps, baseline: baseline, recording: recording)
    }

    /// The whole run: prepare, check every app, settle into one report.
    public func run(_ settings: RunSettings) async throws(EngineError) -> Report {
        let startedAt = services.clock.now()
        let inputs = try prepare(settings)
        do {
            return try await check(inputs, settings: settings, startedAt: startedAt)
        } catch let error as EngineError {
            throw error
        } catch {
            // Only a cancelled wait ends here.
            throw .usage("the run was interrupted: \(error)")
        }
    }

    /// The apps checked (side by side in a fleet) and their findings settled into a report.
    public func check(_ inputs: Inputs, settings: RunSettings, startedAt: Date) async throws -> Report {
        let waiter = settings.wait.map { policy in
            Waiter(policy: policy, failOn: settings.failOn, needs: Dictionary(registry.descriptions.map { ($0.id, $0.needs) }) { first, _ in first },
                   clock: services.clock, diagnostics: services.diagnostics)
        }
        guard inputs.plan.isFleet else {
            let target = inputs.plan.targets[0]
            let checked = try await checkApp(target, app: inputs.apps[0], inputs: inputs, settings: settings, sharing: nil, startedAt: startedAt, waiter: waiter)
            return settle(single: checked, target: target, inputs: inputs, settings: settings, startedAt: startedAt)
        }
        let plan = inputs.plan
        let sharing = ProbeSharing(
            globalLimit: settings.concurrency, perHostLimit: settings.perHost,
            resolver: settings.offline ? nil : try services.network.resolver(), http: services.network.httpClient())
        let progress = FleetProgress(total: plan.targets.count, diagnostics: services.diagnostics)
        await progress.start()
        // Apps run side by side; the shared prober keeps identical probes to one and the caps global.
        // A window of apps being checked: enough to keep the caps busy, few enough that an app's
        // deadline is spent on its own probes rather than queueing, and memory stays bounded.
        // An app pausing between --wait attempts leaves the window, so apps that wait for their
        // records do not hold back the others; its next attempt goes before apps not yet started.
        let window = RequestLimiter(global: Self.windowSize(concurrency: settings.concurrency))
        var done = try await withThrowingTaskGroup(of: AppDone.self) { group in
            for (index, target) in plan.targets.enumerated() {
                group.addTask {
                    // Each app waits for its own checks.
                    var appWaiter = waiter
                    appWaiter?.app = target.name
                    appWaiter?.progress = progress
                    let checked = try await checkApp(
                        target, app: inputs.apps[index], inputs: inputs, settings: settings, sharing: sharing.forApp(index), startedAt: startedAt,
                        waiter: appWaiter, window: window, place: index)
                    await progress.finished(target.name, failing: Verdict(findings: checked.run.result.findings, failOn: settings.failOn) != .ready)
                    // Only what the report needs is kept of a finished app (not its evidence: pages,
                    // DNS answers, certificates), so memory grows with findings, not with everything read.
                    return AppDone(target: target, checked: checked)
                }
            }
            var done: [AppDone] = []
            for try await app in group { done.append(app) }
            return done
        }
        await progress.done()
        return settle(fleet: &done, inputs: inputs, settings: settings, startedAt: startedAt)
    }

    /// Apps checked at once in a fleet: at least 8, and as many as the global cap.
    static func windowSize(concurrency: Int) -> Int { max(8, concurrency) }

    /// One app through the pipeline and, with `--wait`, again until its network checks pass or
    /// the time is up; a retry asks again (no remembered answers) under the same caps.
    /// In a fleet each attempt takes a place in `window` (`place` = the app's order in the run).
    func checkApp(
        _ target: AppPlan.Target, app: LoadedApp, inputs: Inputs, settings: RunSettings, sharing: ProbeSharing?, startedAt: Date,
        waiter: Waiter?, window: RequestLimiter? = nil, place: Int = 0
    ) async throws -> CheckedApp {
        let runner = AppRunner(engine: self, settings: settings, recording: inputs.recording, startedAt: startedAt)
        @Sendable func attempt(_ only: [String]?, _ sharing: ProbeSharing?) async throws -> AppRun {
            await window?.acquire(priority: place)
            defer { window?.release() }
            return try await runner.run(target, app: app, sharing: sharing, only: only)
        }
        let run = try await attempt(nil, sharing)
        guard let waiter else { return CheckedApp(run: run, timedOut: false, attempts: 1) }
        let outcome = try await waiter.settle(run) { ids in try await attempt(ids, sharing?.retrying()) }
        return CheckedApp(run: outcome.run, timedOut: outcome.timedOut, attempts: outcome.attempts)
    }

    /// One app's last state: its run, whether its wait ran out, and how many times it was asked.
    struct CheckedApp: Sendable {
        var run: AppRun
        var timedOut: Bool
        var attempts: Int
    }

    /// What the report keeps of one app of a fleet.
    struct AppDone: Sendable {
        var findings: [Finding]
        var notes: [WaiverNote]
        /// The ids of the checks run, not their descriptions: a thousand apps' copies of every
        /// description were 15 MB of a fleet's peak.
        var checkIDs: [String]
        var info: AppInfo
        var timedOut: Bool

        init(target: AppPlan.Target, checked: CheckedApp) {
            let result = checked.run.result
            findings = result.findings.map { finding in
                var finding = finding
                finding.app = target.name
                return finding
            }
            notes = result.waiverNotes
            checkIDs = result.checks.map(\.id)
            info = AppInfo(name: target.name, path: target.path, configPath: checked.run.configuration.path, configLines: checked.run.configuration.lines)
            timedOut = checked.timedOut
        }
    }

    /// The report of one app. The baseline is applied here, once, on the last state of every
    /// finding (a `--wait` retry sees only the checks it re-ran).
    func settle(single checked: CheckedApp, target: AppPlan.Target, inputs: Inputs, settings: RunSettings, startedAt: Date) -> Report {
        var findings = checked.run.result.findings
        var fixed: Int?
        if let baseline = inputs.baseline { (findings, fixed) = baseline.apply(to: findings) }
        let configuration = checked.run.configuration
        return Report(
            metadata: ReportMetadata(
                toolVersion: PreflightVersion.current, startedAt: startedAt, finishedAt: services.clock.now(),
                targetPath: target.path, configPath: configuration.path, configLines: configuration.lines, failOn: settings.failOn,
                offline: checked.run.offline, baselinePath: settings.baselinePath, waitTimedOut: settings.wait != nil ? checked.timedOut : nil),
            findings: findings, checks: checked.run.result.checks, waiverNotes: checked.run.result.waiverNotes, baselineFixed: fixed)
    }

    /// The report of a fleet: apps by name (as `preflight merge` orders the shards' apps, so the
    /// two agree), checks in the registry's order, the baseline applied once over every app.
    func settle(fleet done: inout [AppDone], inputs: Inputs, settings: RunSettings, startedAt: Date) -> Report {
        done.sort { $0.info.name < $1.info.name }
        var findings: [Finding] = []
        // Sized once, and each app's findings let go as soon as they are in the report's: a
        // fleet's findings are held once, not twice (or in a doubled buffer) at the peak.
        findings.reserveCapacity(done.reduce(0) { $0 + $1.findings.count })
        var notes: [WaiverNote] = []
        var infos: [AppInfo] = []
        var ran: Set<String> = []
        for index in done.indices {
            findings += done[index].findings
            done[index].findings = []
            notes += done[index].notes
            infos.append(done[index].info)
            ran.formUnion(done[index].checkIDs)
        }
        var fixed: Int?
        if let baseline = inputs.baseline { (findings, fixed) = baseline.apply(to: findings, apps: Set(infos.map(\.name))) }
        return Report(
            metadata: ReportMetadata(
                toolVersion: PreflightVersion.current, startedAt: startedAt, finishedAt: services.clock.now(),
                targetPath: inputs.plan.display, configPath: nil, failOn: settings.failOn, offline: settings.offline,
                baselinePath: settings.baselinePath, waitTimedOut: settings.wait != nil ? done.contains(where: \.timedOut) : nil),
            findings: findings, checks: registry.descriptions.filter { ran.contains($0.id) }, waiverNotes: notes, baselineFixed: fixed, apps: infos)
    }
}
