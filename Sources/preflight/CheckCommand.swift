import ArgumentParser
import Foundation
import Logging
import PreflightChecks
import PreflightCore
import PreflightProbes
import PreflightReports

extension Preflight {
    /// `preflight check [PATH]`: runs the pipeline, writes every requested report, and turns
    /// the verdict into the exit code.
    struct CheckCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Check an application folder and report whether it is ready for production.")

        @OptionGroup var options: CheckOptions

        @OptionGroup var output: ReportOutput

        func run() async throws {
            let console = Console.standard
            // Every destination is checked before anything is read or probed.
            try output.checkWritable()
            let report = try await options.execute(console: console)
            try output.write(report, console: console, noColor: options.noColor, quiet: options.quiet)
            // The report is the last attempt's; its exit code says whether the wait ran out.
            let code = report.exitCode
            if code != 0 { throw ExitCode(code) }
        }

        /// Values in the environment that must never be shown.
        static func secretValues(in environment: [String: String], configuration: Configuration) -> [String] {
            environment.compactMap { name, value in
                name == configuration.clerk.secretKeyEnv || configuration.clerk.platformTokenEnvs.contains(name)
                    || ClerkVariable(name: name)?.kind.isSecret == true ? value : nil
            }
        }
    }
}

/// What `check` and `baseline write` share: the folder, the selection, the gate, and the
/// pipeline that turns them into a report. The composition root: everything with a side
/// effect (files, environment, clock, network) is created here and handed down.
struct CheckOptions: ParsableArguments {
    @Argument(help: "The application folder(s) (each holds preflight.yml and the env files); a monorepo's root finds its apps.")
    var paths: [String] = []

    @Option(help: ArgumentHelp("A YAML list of app folders to check (globs allowed), each a path or {path, name, config}.", valueName: "file"))
    var apps: String?

    @Option(help: ArgumentHelp("Check only the I-th of N stable shares of the apps (by a hash of the name), for CI matrices: --shard 1/4.", valueName: "I/N"))
    var shard: Shard?

    @Option(help: "Exchanges and DNS queries in flight at once, over all apps.")
    var concurrency: Int = 64

    @Option(name: .customLong("per-host"), help: "HTTP exchanges in flight at once with one host.")
    var perHost: Int = 8

    @Flag(help: "Ask the failing network checks (DNS, TLS, the instance) again, with growing pauses, until they pass or --wait-timeout ends (exit 4).")
    var wait = false

    @Option(name: .customLong("wait-timeout"), help: ArgumentHelp("How long --wait keeps asking: 90s, 30m, 1h.", valueName: "duration"))
    var waitTimeout = WaitDuration(.seconds(30 * 60))

    @Option(name: .customLong("wait-pause"), help: ArgumentHelp("The first pause of --wait; each next one doubles, up to 60s.", visibility: .hidden))
    var waitPause = WaitDuration(.seconds(2))

    @Option(help: "The configuration file (default: preflight.yml in PATH).")
    var config: String?

    @Option(help: "The lowest severity that makes the run fail: warning, error or critical.")
    var failOn: FailOn = .error

    @Flag(help: "Skip every check that needs the network (reported as skipped, not passed).")
    var offline = false

    @Option(help: "Run only these checks (comma-separated ids, repeatable).")
    var only: [String] = []

    @Option(help: "Do not run these checks (comma-separated ids, repeatable).")
    var skip: [String] = []

    @Option(help: "Run only checks with this tag or pack (repeatable).")
    var tag: [String] = []

    @Option(help: ArgumentHelp("Let only findings that are not in this baseline (preflight baseline write) gate.", valueName: "file"))
    var baseline: String?

    @Flag(help: "Ignore every waiver in preflight.yml: every finding gates as it is.")
    var noWaivers = false

    @Flag(help: "Also read every blob reachable from HEAD for committed secret keys (leakage.no_committed_secret_keys); --history=available accepts a shallow clone's partial history.")
    var history = false

    /// `--history=available`: what a shallow clone holds is enough.
    @Flag(name: .customLong("history-available"), help: .hidden)
    var historyAvailable = false

    @Flag(help: "No colour (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .shortAndLong, help: "Show only problems and the summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log what is read and probed to standard error.")
    var verbose = false

    @Option(help: ArgumentHelp("Write the gathered evidence (secrets masked) to FILE.", valueName: "file"))
    var record: String?

    @Option(help: ArgumentHelp("Evaluate the evidence recorded in FILE instead of reading files and probing.", valueName: "file"))
    var replay: String?

    @OptionGroup(title: "Network")
    var network: NetworkOptions

    @OptionGroup(title: "Clerk")
    var clerk: ClerkOptions

    func validate() throws {
        if record != nil && replay != nil { throw ValidationError("--record and --replay cannot be combined") }
        if concurrency < 1 || perHost < 1 { throw ValidationError("--concurrency and --per-host must be positive") }
        if wait && (offline || replay != nil) { throw ValidationError("--wait asks the network again: it cannot be combined with --offline or --replay") }
    }

    /// The single folder of a one-app run (what `baseline write` and the report name).
    var path: String { paths.first ?? "." }

    /// Report files can be written, checked before anything is probed: each path is not empty,
    /// names a regular file or nothing yet (never a folder, a FIFO or a device: as root,
    /// `--output /dev/null` must not replace /dev/null), its folder exists and is writable, and
    /// no file is named twice (one would overwrite the other).
    static func checkWritable(_ files: [String]) throws {
        var seen: [String: String] = [:]
        for file in files {
            guard !file.isEmpty else { throw ValidationError("an empty path was given for a report file") }
            let target = try ReportDestination.resolve(file)
            let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
            guard FileKind.of(parent) == .directory else { throw ValidationError("cannot write \(file): no such folder \(parent)") }
            guard access(parent, W_OK) == 0 else { throw ValidationError("cannot write \(file): \(parent) is not writable") }
            if let earlier = seen[target] { throw ValidationError("\(earlier) and \(file) are the same file: give each report its own") }
            seen[target] = file
        }
    }

    /// Loads, gathers, evaluates and settles, for one app or several (with --wait, until the
    /// network checks pass or the time is up); returns the report and whether the wait ran out.
    /// The report; with --wait its metadata says whether the time ran out.
    func execute(console: Console) async throws -> Report {
        let environment = ProcessInfo.processInfo.environment
        LoggingSystem.bootstrap { _ in RedactingLogHandler(level: verbose ? .debug : (quiet ? .error : .warning)) }
        let logger = Logger(label: "preflight")
        let clock = RunClock(environment: environment)
        let startedAt = clock.now()
        try Self.checkWritable([record].compactMap { $0 })
        let baseline = try baseline.map(Self.readBaseline)
        // A replay without a path is the recorded app with its recorded configuration, wherever it runs.
        let recorded = replay != nil && paths.isEmpty && apps == nil && config == nil ? try Self.readRecording(replay!).app : nil
        let plan = try recorded.map { AppPlan(targets: [AppPlan.Target(name: $0.path, path: $0.path)], isFleet: false, display: $0.path) }
            ?? AppPlan.resolve(paths: paths, appsFile: apps, config: config, shard: shard, console: console)
        let waiter = wait ? Waiter(
            timeout: waitTimeout.duration, firstPause: waitPause.duration, failOn: failOn.severity,
            needs: Dictionary(BuiltinChecks.registry.descriptions.map { ($0.id, $0.needs) }) { first, _ in first }, console: console) : nil

        guard plan.isFleet else {
            let target = plan.targets[0]
            let app = try recorded.map { try AppLoader.load(recorded: $0, registry: BuiltinChecks.registry, console: console) }
                ?? AppLoader.load(path: target.path, config: target.config, registry: BuiltinChecks.registry, console: console)
            let (run, timedOut) = try await checkApp(
                target, app: app, environment: environment, sharing: nil, logger: logger, startedAt: startedAt, baseline: baseline, console: console,
                waiter: waiter)
            return Report(
                metadata: ReportMetadata(
                    toolVersion: PreflightVersion.current, startedAt: startedAt, finishedAt: clock.now(),
                    targetPath: target.path, configPath: run.configuration.path, configLines: run.configuration.lines, failOn: failOn.severity,
                    offline: run.offline, baselinePath: self.baseline, waitTimedOut: wait ? timedOut : nil),
                findings: run.result.findings, checks: run.result.checks, waiverNotes: run.result.waiverNotes, baselineFixed: run.result.baselineFixed)
        }

        guard record == nil, replay == nil else { throw ValidationError("--record and --replay take one app, not \(plan.targets.count)") }
        let loaded = try Self.loadAll(plan.targets, console: console)
        let sharing = ProbeSharing(
            globalLimit: concurrency, perHostLimit: perHost, resolver: offline ? nil : try network.makeResolver(), http: HTTPClient(options: network.httpOptions))
        let progress = FleetProgress(total: plan.targets.count)
        await progress.start()
        // Apps run side by side; the shared prober keeps identical probes to one and the caps global.
        // A window of apps being checked: enough to keep the caps busy, few enough that an app's
        // deadline is spent on its own probes rather than queueing, and memory stays bounded.
        // An app pausing between --wait attempts leaves the window, so apps that wait for their
        // records do not hold back the others; its next attempt goes before apps not yet started.
        let window = RequestLimiter(global: max(8, concurrency))
        var checks: [String: CheckDescription] = [:]
        let results = try await withThrowingTaskGroup(of: (Int, AppRun, Bool).self) { group in
            for (index, target) in plan.targets.enumerated() {
                group.addTask {
                    // Each app waits for its own checks.
                    var appWaiter = waiter
                    appWaiter?.app = target.name
                    appWaiter?.progress = progress
                    let (run, timedOut) = try await checkApp(
                        target, app: loaded[index], environment: environment, sharing: sharing.forApp(index), logger: logger, startedAt: startedAt, baseline: nil, console: console,
                        waiter: appWaiter, window: window, place: index)
                    await progress.finished(target.name, failing: Verdict(findings: run.result.findings, failOn: failOn.severity) != .ready)
                    return (index, run, timedOut)
                }
            }
            // Only what the report needs is kept of a finished app (not its evidence: pages, DNS
            // answers, certificates), so memory grows with findings, not with everything read.
            var done: [AppDone] = []
            for try await (index, run, timedOut) in group {
                let target = plan.targets[index]
                for check in run.result.checks where checks[check.id] == nil { checks[check.id] = check }
                done.append(AppDone(
                    findings: run.result.findings.map { finding in
                        var finding = finding
                        finding.app = target.name
                        return finding
                    },
                    notes: run.result.waiverNotes,
                    info: AppInfo(name: target.name, path: target.path, configPath: run.configuration.path, configLines: run.configuration.lines),
                    timedOut: timedOut))
            }
            return done
        }
        await progress.done()
        var findings: [Finding] = []
        var notes: [WaiverNote] = []
        var infos: [AppInfo] = []
        // By name, as `preflight merge` orders the shards' apps, so the two agree.
        for app in results.sorted(by: { $0.info.name < $1.info.name }) {
            findings += app.findings
            notes += app.notes
            infos.append(app.info)
        }
        var fixed: Int?
        if let baseline { (findings, fixed) = baseline.apply(to: findings, apps: Set(infos.map(\.name))) }
        let order = BuiltinChecks.registry.descriptions.map(\.id)
        return Report(
            metadata: ReportMetadata(
                toolVersion: PreflightVersion.current, startedAt: startedAt, finishedAt: clock.now(),
                targetPath: plan.display, configPath: nil, failOn: failOn.severity, offline: offline, baselinePath: self.baseline,
                waitTimedOut: wait ? results.contains(where: \.timedOut) : nil),
            findings: findings, checks: order.compactMap { checks[$0] }, waiverNotes: notes, baselineFixed: fixed, apps: infos)
    }

    /// One app through the pipeline and, with `--wait`, again until its network checks pass or
    /// the time is up; a retry asks again (no remembered answers) under the same caps.
    /// In a fleet each attempt takes a place in `window` (`place` = the app's order in the run).
    func checkApp(
        _ target: AppPlan.Target, app: LoadedApp, environment: [String: String], sharing: ProbeSharing?, logger: Logger, startedAt: Date,
        baseline: Baseline?, console: Console, waiter: Waiter?, window: RequestLimiter? = nil, place: Int = 0
    ) async throws -> (run: AppRun, timedOut: Bool) {
        @Sendable func attempt(_ only: [String]?, _ sharing: ProbeSharing?) async throws -> AppRun {
            await window?.acquire(priority: place)
            defer { window?.release() }
            return try await runApp(target, app: app, environment: environment, sharing: sharing, logger: logger, startedAt: startedAt,
                                    baseline: baseline, console: console, only: only)
        }
        let run = try await attempt(nil, sharing)
        guard let waiter else { return (run, false) }
        var outcome = try await waiter.settle(run) { ids in try await attempt(ids, sharing?.retrying()) }
        // A retry sees only the checks it re-ran; what the baseline counts as fixed is decided
        // on the last state of every finding.
        if let baseline {
            (outcome.run.result.findings, outcome.run.result.baselineFixed) = baseline.apply(to: outcome.run.result.findings)
        }
        return (outcome.run, outcome.timedOut)
    }

    /// Every app's folder, configuration and snapshot, read before anything is probed: a
    /// mistake in one app's files is found in seconds, not after hundreds of apps were checked,
    /// and every app's mistakes are listed at once. Any of them is a usage error (exit 2).
    static func loadAll(_ targets: [AppPlan.Target], console: Console) throws -> [LoadedApp] {
        var loaded: [LoadedApp] = []
        var failed: [String] = []
        for target in targets {
            do {
                loaded.append(try AppLoader.load(path: target.path, config: target.config, registry: BuiltinChecks.registry, console: console))
            } catch let error as ValidationError {
                console.error("preflight: \(target.name): \(error.message)")
                failed.append(target.name)
            } catch is ExitCode {
                failed.append(target.name)  // its issues are printed, each with file:line:column
            }
        }
        guard failed.isEmpty else {
            let named = failed.prefix(10).joined(separator: ", ") + (failed.count > 10 ? ", …" : "")
            console.error("preflight: \(failed.count) of \(targets.count) apps cannot be read (\(named)); nothing was checked")
            throw ExitCode(ExitStatus.usage)
        }
        return loaded
    }

    /// What the report keeps of one app of a fleet.
    struct AppDone: Sendable {
        var findings: [Finding]
        var notes: [WaiverNote]
        var info: AppInfo
        var timedOut: Bool
    }

    struct AppRun: Sendable {
        var configuration: Configuration
        var result: Runner.RunResult
        var offline: Bool
    }

    /// One app through the pipeline: load, gather (through the shared prober in a fleet), evaluate, settle.
    func runApp(
        _ target: AppPlan.Target, app: LoadedApp, environment: [String: String], sharing: ProbeSharing?, logger: Logger, startedAt: Date,
        baseline: Baseline?, console: Console, only retry: [String]? = nil
    ) async throws -> AppRun {
        let redactor = SharedRedactor.shared
        let registry = BuiltinChecks.registry
        let folder = app.folder
        var configuration = app.configuration
        clerk.apply(to: &configuration)
        configuration.scanHistory = history
        configuration.acceptShallowHistory = historyAvailable
        // A retry of --wait has said all of this already.
        let firstTime = retry == nil
        // In a fleet each line says which app it is about.
        let prefix = sharing == nil ? "" : "\(target.name): "
        if firstTime { for warning in configuration.warnings { console.error("\(prefix)\(warning.description) (warning)") } }
        // Secrets the environment holds are masked everywhere from here on.
        redactor.add(secrets: Preflight.CheckCommand.secretValues(in: environment, configuration: configuration))
        logger.debug("configuration", metadata: ["app": "\(target.name)", "path": "\(configuration.path ?? "none")"])

        // A replay evaluates what was recorded; otherwise evidence is gathered live.
        let gatherer: any EvidenceGathering
        var offline = self.offline
        if let replay {
            let recording = try Self.readRecording(replay)
            offline = offline || recording.offline
            gatherer = FixedEvidence(recording.evidence)
        } else {
            let secretKey = environment[configuration.clerk.secretKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
            let platformToken = configuration.clerk.platformToken(in: environment)
            let prober = offline ? nil : try network.makeProber(secretKey: secretKey, platformToken: platformToken, logger: logger, sharing: sharing)
            var files = EvidenceGatherer(folder: folder, environment: environment, snapshot: app.snapshot, prober: prober, logger: logger)
            files.fileDeadline = Date().addingTimeInterval(Double(network.deadlineMs) / 1000)
            gatherer = files
        }
        let selection = Selection(only: retry ?? splitList(only), skip: splitList(skip), tags: splitList(tag), offline: offline)
        let result: Runner.RunResult
        do {
            result = try await Runner(registry: registry, gatherer: gatherer)
                .run(configuration: configuration, selection: selection, now: startedAt, baseline: baseline, useWaivers: !noWaivers)
        } catch {
            throw ValidationError(error.description)
        }
        if firstTime { for note in result.waiverNotes { console.error("preflight: warning: \(prefix)\(note.message)") } }
        redactor.add(secrets: result.evidence.configuredVariables.filter { $0.clerk?.kind.isSecret == true }.map(\.value))
        if let record, firstTime {
            let configText = configuration.path.flatMap { try? BoundedFile.readText($0, cap: BoundedFile.configurationCap) }
            let recording = EvidenceRecording(
                evidence: result.evidence, recordedAt: startedAt, offline: offline,
                secretVariables: [configuration.clerk.secretKeyEnv],
                app: .init(path: target.path, configPath: configuration.path, configText: configText))
            do {
                // Like a report: atomically, and only to a regular file.
                try console.write(String(decoding: recording.encoded(redactor: redactor.snapshot()), as: UTF8.self), toFile: record)
            } catch {
                console.error("preflight: cannot write the recording: \((error as? ValidationError)?.message ?? error.localizedDescription)")
                throw ExitCode(ExitStatus.usage)
            }
        }
        return AppRun(configuration: configuration, result: result, offline: offline)
    }

    static func readRecording(_ path: String) throws -> EvidenceRecording {
        let data: Data
        do { data = try BoundedFile.read(path, cap: BoundedFile.recordingCap) } catch { throw ValidationError("cannot read the recording: \(error)") }
        do {
            return try EvidenceRecording.decode(data)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    static func readBaseline(_ path: String) throws -> Baseline {
        let data: Data
        do { data = try BoundedFile.read(path, cap: BoundedFile.baselineCap) } catch { throw ValidationError("cannot read the baseline: \(error)") }
        do {
            return try Baseline.decode(data)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}

/// The clock, read only here. `SOURCE_DATE_EPOCH` pins it, so the committed demo reports
/// are reproducible.
struct RunClock {
    let fixed: Date?

    init(environment: [String: String]) {
        fixed = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
    }

    func now() -> Date { fixed ?? Date() }
}
