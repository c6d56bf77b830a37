import ArgumentParser
import Foundation
import Logging
import PreflightChecks
import PreflightCore
import PreflightEngine
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
    }
}

/// What `check` and `baseline write` share: the folder, the selection, the gate; parsed into
/// the engine's `RunSettings`.
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

    /// The flags as the engine's typed settings.
    var settings: RunSettings {
        var settings = RunSettings()
        settings.paths = paths
        settings.appsFile = apps
        settings.shard = shard
        settings.concurrency = concurrency
        settings.perHost = perHost
        settings.wait = wait ? WaitPolicy(timeout: waitTimeout.duration, firstPause: waitPause.duration) : nil
        settings.config = config
        settings.failOn = failOn.severity
        settings.offline = offline
        settings.only = only
        settings.skip = skip
        settings.tags = tag
        settings.baselinePath = baseline
        settings.useWaivers = !noWaivers
        settings.history = history
        settings.historyAvailable = historyAvailable
        settings.record = record
        settings.replay = replay
        settings.clerkAPIURL = clerk.apiURL
        settings.clerkPlatformURL = clerk.platformURL
        return settings
    }

    func validate() throws {
        do { try settings.validate() } catch { throw ValidationError(error.description) }
    }

    /// The single folder of a one-app run (what `baseline write` and the report name).
    var path: String { paths.first ?? "." }

    /// The composition root: the engine with the process's clock, environment, disk and network.
    func execute(console: Console) async throws -> Report {
        console.startLogging(level: verbose ? .debug : (quiet ? .error : .warning))
        let engine = CheckEngine(services: .production(network: network.liveNetwork, diagnostics: console, redactor: console.redactor))
        return try await engine.run(settings)
    }
}
