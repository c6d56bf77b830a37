import Foundation
import PreflightCore

/// What one `preflight check` (or `baseline write`) asks for, as typed values: the command line
/// parses flags into this and nothing else.
public struct RunSettings: Sendable {
    /// The app folders given; empty is the current folder (or the apps a monorepo's root holds).
    public var paths: [String] = []
    /// `--apps FILE`.
    public var appsFile: String?
    public var shard: Shard?
    /// Exchanges and DNS queries in flight at once, over all apps.
    public var concurrency = 64
    /// HTTP exchanges in flight at once with one host.
    public var perHost = 8
    /// `--wait`: ask failing network checks again until they pass or the time is up.
    public var wait: WaitPolicy?
    /// `--config FILE` (one app only).
    public var config: String?
    public var failOn: Severity = .error
    public var offline = false
    public var only: [String] = []
    public var skip: [String] = []
    public var tags: [String] = []
    /// `--baseline FILE`: only findings not in it gate.
    public var baselinePath: String?
    /// False is `--no-waivers`.
    public var useWaivers = true
    /// `--history`, and `--history=available` (a shallow clone's partial history is enough).
    public var history = false
    public var historyAvailable = false
    /// `--record FILE`: the gathered evidence, secrets masked.
    public var record: String?
    /// `--replay FILE`: evaluate recorded evidence instead of reading and probing.
    public var replay: String?
    /// `--clerk-api-url` and `--clerk-platform-url`, over the configuration's.
    public var clerkAPIURL: String?
    public var clerkPlatformURL: String?

    public init() {}

    /// The mistakes no run can start with, in the words of the flags.
    public func validate() throws(EngineError) {
        if record != nil && replay != nil { throw .usage("--record and --replay cannot be combined") }
        if concurrency < 1 || perHost < 1 { throw .usage("--concurrency and --per-host must be positive") }
        if wait != nil && (offline || replay != nil) { throw .usage("--wait asks the network again: it cannot be combined with --offline or --replay") }
        try Self.validateClerkURLs(api: clerkAPIURL, platform: clerkPlatformURL)
    }

    /// `--clerk-api-url` and `--clerk-platform-url` are http(s) URLs with a host.
    public static func validateClerkURLs(api: String?, platform: String?) throws(EngineError) {
        for (flag, value) in [("clerk-api-url", api), ("clerk-platform-url", platform)] {
            guard let value else { continue }
            guard let components = URLComponents(string: value), ["https", "http"].contains(components.scheme ?? ""), components.host?.isEmpty == false else {
                throw .usage("--\(flag) takes an http(s) URL, not '\(value)'")
            }
        }
    }

    /// `only`, `skip` and `tags` as given, with `--only a,b --only c` read as [a, b, c].
    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
