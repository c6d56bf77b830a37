import PreflightCore

/// `--wait`'s schedule: how long to keep asking, and the pauses between attempts (each twice
/// the one before, up to `longestPause`).
public struct WaitPolicy: Sendable, Hashable {
    public var timeout: Duration
    public var firstPause: Duration
    public var longestPause: Duration

    public init(timeout: Duration = .seconds(30 * 60), firstPause: Duration = .seconds(2), longestPause: Duration = .seconds(60)) {
        self.timeout = timeout
        self.firstPause = firstPause
        self.longestPause = longestPause
    }

    /// `90s` -> "1m30s"; whole seconds.
    public static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds) + (duration.components.attoseconds > 0 ? 1 : 0)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s" }
        return "\(seconds / 3600)h" + (seconds % 3600 / 60 > 0 ? "\(seconds % 3600 / 60)m" : "")
    }

    /// A duration as the command line writes it: `90s`, `30m`, `1h`, `1m30s`, or plain seconds.
    public static func parse(_ text: String) -> Duration? {
        if let seconds = Double(text), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        var total = 0.0
        var number = ""
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, !text.isEmpty else { return nil }
        return .milliseconds(Int64(total * 1000))
    }
}

/// `--wait`: after a launch, DNS records propagate and certificates get issued over minutes.
/// Instead of failing at once, the checks that ask the network and fail (or could not decide)
/// are asked again, with a growing pause, until they pass or the time is up. Checks of files
/// are not re-run: waiting does not change them, so a failing one ends the wait at once.
struct Waiter: Sendable {
    var policy: WaitPolicy
    var failOn: Severity
    var needs: [String: CheckNeeds]
    var clock: any EngineClock
    var diagnostics: any Diagnostics
    /// The app's name in a fleet (then every line says which app it is about).
    var app: String?
    /// A fleet's progress line, which counts the apps waiting.
    var progress: FleetProgress?

    struct Outcome: Sendable {
        var run: AppRun
        /// The time ran out with network checks still failing.
        var timedOut: Bool
        var attempts: Int
    }

    /// What is still wrong: gating findings of checks that ask the network (waiting can change
    /// them), gating findings of checks of files (it cannot), and every network check with a
    /// problem, gating or not, which a retry asks again so the last report is current.
    func pending(_ findings: [Finding]) -> (network: [String], files: [String], retry: [String]) {
        var network: Set<String> = []
        var files: Set<String> = []
        var retry: Set<String> = []
        for finding in findings {
            switch finding.outcome {
            case .fail, .warn, .error:
                let asksNetwork = (needs[finding.checkID] ?? .offline) > .offline
                if asksNetwork { retry.insert(finding.checkID) }
                guard finding.gates, finding.severity >= failOn else { continue }
                if asksNetwork { network.insert(finding.checkID) } else { files.insert(finding.checkID) }
            case .confirm:
                // A person must confirm it: asking again changes nothing, as with files.
                if finding.gates, finding.severity >= failOn { files.insert(finding.checkID) }
            case .pass, .skipped:
                continue
            }
        }
        return (network.sorted(), files.sorted(), retry.sorted())
    }

    func settle(_ first: AppRun, rerun: @Sendable ([String]) async throws -> AppRun) async throws -> Outcome {
        let start = clock.elapsed()
        var run = first
        var pause = policy.firstPause
        var attempts = 1
        let prefix = app.map { "preflight: \($0): " } ?? "preflight: "
        // One app: its countdown is the status line. In a fleet the status line is the fleet's
        // progress, and each app's attempts are lines above it.
        let countdown = app == nil && diagnostics.showsStatus
        defer { if countdown { diagnostics.status(nil) } }
        while true {
            let (network, files, retry) = pending(run.result.findings)
            if network.isEmpty { return Outcome(run: run, timedOut: false, attempts: attempts) }
            if !files.isEmpty {
                diagnostics.warn("\(prefix)not waiting: \(files.joined(separator: ", ")) fail on files, which waiting does not change")
                return Outcome(run: run, timedOut: false, attempts: attempts)
            }
            let left = policy.timeout - (clock.elapsed() - start)
            if left <= .zero {
                diagnostics.warn("\(prefix)gave up waiting after \(WaitPolicy.format(policy.timeout)) and \(attempts) attempts: still failing: \(network.joined(separator: ", "))")
                return Outcome(run: run, timedOut: true, attempts: attempts)
            }
            let sleep = min(pause, left)
            let line = "waiting for \(network.joined(separator: ", ")): attempt \(attempts + 1) in \(WaitPolicy.format(sleep)), \(WaitPolicy.format(left)) left"
            if countdown {
                diagnostics.status(line)
            } else {
                diagnostics.warn(prefix + line)
            }
            if let app { await progress?.waits(app) }
            try await clock.sleep(for: sleep)
            let again = try await rerun(retry)
            // The re-run checks' findings replace theirs; every other finding stays as it was.
            let rerunIDs = Set(retry)
            run.result.findings = Settlement.sorted(run.result.findings.filter { !rerunIDs.contains($0.checkID) } + again.result.findings)
            attempts += 1
            pause = min(pause * 2, policy.longestPause)
        }
    }
}
