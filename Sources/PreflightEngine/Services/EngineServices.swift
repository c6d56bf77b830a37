import Foundation
import Logging
import PreflightCore
import PreflightProbes

/// Everything a run touches outside itself: the clock, the environment, the files it reads,
/// the network, and where it says what it is doing. The command line builds the production
/// set (`EngineServices.production`); the engine's tests build one of fakes, so a fleet's
/// window, a wait's schedule and a baseline are tested in process, without sockets or sleeps.
public struct EngineServices: Sendable {
    public var clock: any EngineClock
    /// The process environment: secret keys, Clerk's variables, `SOURCE_DATE_EPOCH`.
    public var environment: [String: String]
    public var files: any FileReading
    public var network: any NetworkProviding
    public var diagnostics: any Diagnostics
    /// Masks every secret the run learns, in every line, report and recording.
    public var redactor: SharedRedactor
    public var logger: Logger

    public init(
        clock: any EngineClock, environment: [String: String], files: any FileReading = LocalFileSystem(),
        network: any NetworkProviding, diagnostics: any Diagnostics, redactor: SharedRedactor = SharedRedactor(),
        logger: Logger = Logger(label: "preflight")
    ) {
        self.clock = clock
        self.environment = environment
        self.files = files
        self.network = network
        self.diagnostics = diagnostics
        self.redactor = redactor
        self.logger = logger
    }

    /// Values in the environment that must never be shown: the configured secret key, the
    /// Platform API key, and every Clerk variable whose kind is secret.
    public func secretValues(for configuration: Configuration) -> [String] {
        environment.compactMap { name, value in
            name == configuration.clerk.secretKeyEnv || configuration.clerk.platformTokenEnvs.contains(name)
                || ClerkVariable(name: name)?.kind.isSecret == true ? value : nil
        }
    }
}

/// The run's clock: the time reports carry and snapshots are aged by, and the pauses of
/// `--wait`. Read only through here.
public protocol EngineClock: Sendable {
    /// The wall time (pinned by `SOURCE_DATE_EPOCH` in production).
    func now() -> Date
    /// Monotonic time since some fixed point, for measuring how long a wait has lasted.
    func elapsed() -> Duration
    func sleep(for duration: Duration) async throws
}

/// The real clock. `SOURCE_DATE_EPOCH` pins the wall time, so the committed demo reports are
/// reproducible; pauses and elapsed time are real.
public struct SystemClock: EngineClock {
    let fixed: Date?
    let origin = ContinuousClock.now

    public init(environment: [String: String]) {
        fixed = environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init).map(Date.init(timeIntervalSince1970:))
    }

    public func now() -> Date { fixed ?? Date() }
    public func elapsed() -> Duration { ContinuousClock.now - origin }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// Where the run says what it is doing, apart from its reports: warnings (a line each, on
/// standard error) and one status line redrawn in place (a fleet's progress, a wait's
/// countdown). Lines carry outside text: an implementation neutralises and redacts them.
public protocol Diagnostics: Sendable {
    func warn(_ line: String)
    /// Whether a status line is shown at all (a terminal); without one, waits print lines.
    var showsStatus: Bool { get }
    /// Replaces the status line; nil clears it.
    func status(_ line: String?)
}

/// The clients a run probes through. The production one is libcurl and c-ares with the
/// command line's options; the deadline bounds all probes of one app together.
public protocol NetworkProviding: Sendable {
    func httpClient() -> any HTTPFetching
    /// Fails when the resolver cannot be set up (a malformed `--dns-server`).
    func resolver() throws(EngineError) -> any DNSResolving
    /// Time for all probes of one app together, and for reading its git repository.
    var deadline: Duration { get }
}

extension NetworkProviding {
    /// When an app's probes must end if they start now. Real time, not the run's clock (which
    /// `SOURCE_DATE_EPOCH` may pin): curl and c-ares count real time.
    func deadlineFromNow() -> Date {
        let parts = deadline.components
        return Date().addingTimeInterval(TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18)
    }
}

/// libcurl and c-ares, with the command line's options.
public struct LiveNetwork: NetworkProviding {
    public var http: HTTPClientOptions
    public var dns: DNSResolverOptions
    public var deadline: Duration

    public init(http: HTTPClientOptions = HTTPClientOptions(), dns: DNSResolverOptions = DNSResolverOptions(), deadline: Duration = .seconds(60)) {
        self.http = http
        self.dns = dns
        self.deadline = deadline
    }

    public func httpClient() -> any HTTPFetching { HTTPClient(options: http) }

    /// The options' mistakes, in the words of the flags.
    public func validate() throws(EngineError) {
        let numbers = [("timeout-ms", http.timeoutMs), ("dns-timeout-ms", dns.timeoutMs), ("body-cap", http.bodyCap), ("dns-tries", dns.tries)]
        for (name, value) in numbers where value <= 0 { throw .usage("--\(name) must be positive") }
        if deadline <= .zero { throw .usage("--deadline-ms must be positive") }
        for entry in http.resolve where entry.split(separator: ":", omittingEmptySubsequences: false).count < 3 {
            throw .usage("--resolve takes host:port:address, not '\(entry)'")
        }
        for entry in http.connectTo where entry.split(separator: ":", omittingEmptySubsequences: false).count != 4 {
            throw .usage("--connect-to takes host:port:connect-host:connect-port, not '\(entry)'")
        }
        // curl reads it later, blocking: only a regular file (a FIFO would hang every request).
        if let bundle = http.caBundle, FileKind.of(bundle) != .regular {
            throw .usage(FileKind.of(bundle).map { "the CA bundle \(bundle) is \($0.rawValue), not a regular file" } ?? "no such CA bundle: \(bundle)")
        }
    }

    public func resolver() throws(EngineError) -> any DNSResolving {
        do {
            return try DNSResolver(options: dns)
        } catch {
            throw EngineError.usage("\(error)")
        }
    }
}

extension EngineServices {
    /// What a real run uses: the system clock, the process environment, the disk, libcurl and
    /// c-ares with `network`'s options.
    public static func production(
        network: LiveNetwork, diagnostics: any Diagnostics, redactor: SharedRedactor = .shared, logger: Logger = Logger(label: "preflight")
    ) -> EngineServices {
        let environment = ProcessInfo.processInfo.environment
        return EngineServices(
            clock: SystemClock(environment: environment), environment: environment, files: LocalFileSystem(), network: network,
            diagnostics: diagnostics, redactor: redactor, logger: logger)
    }
}
