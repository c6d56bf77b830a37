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

        @Option(help: "Report format on standard output, or in --output: text, json, html, sarif, junit or markdown.")
        var format: ReportFormat = .text

        @Option(help: "Write the report to FILE (atomically) instead of standard output.")
        var output: String?

        @Option(name: .customLong("report"), help: "Also write a report file, e.g. --report sarif=preflight.sarif (repeatable).")
        var reports: [ReportRequest] = []

        func run() async throws {
            let console = Console.standard
            // Every destination is checked before anything is read or probed.
            try CheckOptions.checkWritable([output].compactMap { $0 } + reports.map(\.path))
            let (report, _) = try await options.execute(console: console)
            let color = output == nil && Console.wantsColor(noColorFlag: options.noColor, environment: ProcessInfo.processInfo.environment)
            let main = format.reporter(color: color, quiet: options.quiet).render(report)
            do {
                if let output { try console.write(main, toFile: output) } else { console.output(main) }
                for request in reports {
                    try console.write(request.format.reporter().render(report), toFile: request.path)
                }
            } catch {
                console.error("preflight: cannot write the report: \(error.localizedDescription)")
                throw ExitCode(ExitStatus.usage)
            }
            let code = report.verdict.exitCode
            if code != 0 { throw ExitCode(code) }
        }

        /// Values in the environment that must never be shown.
        static func secretValues(in environment: [String: String], configuration: Configuration) -> [String] {
            environment.compactMap { name, value in
                name == configuration.clerk.secretKeyEnv || name == configuration.clerk.platformTokenEnv
                    || ClerkVariable(name: name)?.kind.isSecret == true ? value : nil
            }
        }
    }
}

/// What `check` and `baseline write` share: the folder, the selection, the gate, and the
/// pipeline that turns them into a report. The composition root: everything with a side
/// effect (files, environment, clock, network) is created here and handed down.
struct CheckOptions: ParsableArguments {
    @Argument(help: "The application folder (holds preflight.yml and the env files).")
    var path: String = "."

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

    @Flag(help: "Also read every blob reachable from HEAD for committed secret keys (leakage.no_committed_secret_keys).")
    var history = false

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
    }

    /// A report file can be written: its folder exists and is writable, and it is not a folder.
    static func checkWritable(_ files: [String]) throws {
        for file in files {
            let parent = URL(fileURLWithPath: file).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("cannot write \(file): no such folder \(parent)")
            }
            guard FileManager.default.isWritableFile(atPath: parent) else { throw ValidationError("cannot write \(file): \(parent) is not writable") }
            if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ValidationError("cannot write \(file): it is a folder")
            }
        }
    }

    /// Loads, gathers, evaluates and settles; returns the report and what was gathered.
    func execute(console: Console) async throws -> (Report, Runner.RunResult) {
        let environment = ProcessInfo.processInfo.environment
        let redactor = SharedRedactor.shared
        LoggingSystem.bootstrap { _ in RedactingLogHandler(level: verbose ? .debug : (quiet ? .error : .warning)) }
        let logger = Logger(label: "preflight")
        let clock = RunClock(environment: environment)
        let startedAt = clock.now()
        try Self.checkWritable([record].compactMap { $0 })

        let registry = BuiltinChecks.registry
        let app = try AppLoader.load(path: path, config: config, registry: registry, console: console)
        let folder = app.folder
        var configuration = app.configuration
        clerk.apply(to: &configuration)
        configuration.scanHistory = history
        for warning in configuration.warnings { console.error("\(warning.description) (warning)") }
        let baseline = try baseline.map(Self.readBaseline)
        // Secrets the environment holds are masked everywhere from here on.
        redactor.add(secrets: Preflight.CheckCommand.secretValues(in: environment, configuration: configuration))
        logger.debug("configuration", metadata: ["path": "\(configuration.path ?? "none")"])

        // A replay evaluates what was recorded; otherwise evidence is gathered live.
        let gatherer: any EvidenceGathering
        var offline = self.offline
        if let replay {
            let recording = try Self.readRecording(replay)
            offline = offline || recording.offline
            gatherer = FixedEvidence(recording.evidence)
        } else {
            let secretKey = environment[configuration.clerk.secretKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
            let platformToken = environment[configuration.clerk.platformTokenEnv].flatMap { $0.isEmpty ? nil : $0 }
            let prober = offline ? nil : try network.makeProber(secretKey: secretKey, platformToken: platformToken, logger: logger)
            gatherer = EvidenceGatherer(folder: folder, environment: environment, snapshot: app.snapshot, prober: prober, logger: logger)
        }
        let selection = Selection(only: splitList(only), skip: splitList(skip), tags: splitList(tag), offline: offline)
        let result: Runner.RunResult
        do {
            result = try await Runner(registry: registry, gatherer: gatherer)
                .run(configuration: configuration, selection: selection, now: startedAt, baseline: baseline, useWaivers: !noWaivers)
        } catch {
            throw ValidationError(error.description)
        }
        for note in result.waiverNotes { console.error("preflight: warning: \(note.message)") }
        redactor.add(secrets: result.evidence.configuredVariables.filter { $0.clerk?.kind.isSecret == true }.map(\.value))
        if let record {
            let recording = EvidenceRecording(
                evidence: result.evidence, recordedAt: startedAt, offline: offline,
                secretVariables: [configuration.clerk.secretKeyEnv])
            do {
                try recording.encoded(redactor: redactor.snapshot()).write(to: URL(fileURLWithPath: record), options: .atomic)
            } catch {
                console.error("preflight: cannot write the recording: \(error.localizedDescription)")
                throw ExitCode(ExitStatus.usage)
            }
        }

        let report = Report(
            metadata: ReportMetadata(
                toolVersion: PreflightVersion.current, startedAt: startedAt, finishedAt: clock.now(),
                targetPath: path, configPath: configuration.path, configLines: configuration.lines, failOn: failOn.severity,
                offline: offline, baselinePath: self.baseline),
            findings: result.findings, checks: result.checks, waiverNotes: result.waiverNotes, baselineFixed: result.baselineFixed)
        return (report, result)
    }

    static func readRecording(_ path: String) throws -> EvidenceRecording {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        do {
            return try EvidenceRecording.decode(data)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    static func readBaseline(_ path: String) throws -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the baseline \(path)") }
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
