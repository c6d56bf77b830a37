import ArgumentParser
import Foundation
import PreflightCore

/// `--wait`: after a launch, DNS records propagate and certificates get issued over minutes.
/// Instead of failing at once, the checks that ask the network and fail (or could not decide)
/// are asked again, with a growing pause, until they pass or the time is up. Checks of files
/// are not re-run: waiting does not change them, so a failing one ends the wait at once.
struct Waiter: Sendable {
    var timeout: Duration
    /// The first pause; each next one is twice as long, up to `longestPause`.
    var firstPause: Duration
    var longestPause: Duration = .seconds(60)
    var failOn: Severity
    var needs: [String: CheckNeeds]
    var console: Console
    /// The app's name in a fleet (then every line says which app it is about).
    var app: String?
    /// A fleet's progress line, which counts the apps waiting.
    var progress: FleetProgress?

    struct Outcome: Sendable {
        var run: CheckOptions.AppRun
        /// The time ran out with network checks still failing.
        var timedOut: Bool
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

    func settle(_ first: CheckOptions.AppRun, rerun: @Sendable ([String]) async throws -> CheckOptions.AppRun) async throws -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        var run = first
        var pause = firstPause
        var attempts = 1
        let prefix = app.map { "preflight: \($0): " } ?? "preflight: "
        // One app: its countdown is the status line. In a fleet the status line is the fleet's
        // progress, and each app's attempts are lines above it.
        let countdown = app == nil && StatusLine.shared.enabled
        defer { if countdown { StatusLine.shared.show(nil) } }
        while true {
            let (network, files, retry) = pending(run.result.findings)
            if network.isEmpty { return Outcome(run: run, timedOut: false) }
            if !files.isEmpty {
                console.error("\(prefix)not waiting: \(files.joined(separator: ", ")) fail on files, which waiting does not change")
                return Outcome(run: run, timedOut: false)
            }
            let left = timeout - (clock.now - start)
            if left <= .zero {
                console.error("\(prefix)gave up waiting after \(Self.format(timeout)) and \(attempts) attempts: still failing: \(network.joined(separator: ", "))")
                return Outcome(run: run, timedOut: true)
            }
            let sleep = min(pause, left)
            let line = "waiting for \(network.joined(separator: ", ")): attempt \(attempts + 1) in \(Self.format(sleep)), \(Self.format(left)) left"
            if countdown {
                StatusLine.shared.show(line)
            } else {
                console.error(prefix + line)
            }
            if let app { await progress?.waits(app) }
            try await Task.sleep(for: sleep)
            let again = try await rerun(retry)
            // The re-run checks' findings replace theirs; every other finding stays as it was.
            let rerunIDs = Set(retry)
            run.result.findings = Settlement.sorted(run.result.findings.filter { !rerunIDs.contains($0.checkID) } + again.result.findings)
            attempts += 1
            pause = min(pause * 2, longestPause)
        }
    }

    /// `90s` -> "1m30s"; whole seconds.
    static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds) + (duration.components.attoseconds > 0 ? 1 : 0)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s" }
        return "\(seconds / 3600)h" + (seconds % 3600 / 60 > 0 ? "\(seconds % 3600 / 60)m" : "")
    }
}

/// A duration on the command line: `90s`, `30m`, `1h`, `1m30s`, or plain seconds.
struct WaitDuration: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        if let seconds = Double(argument), seconds >= 0 {
            duration = .milliseconds(Int64(seconds * 1000))
            return
        }
        var total = 0.0
        var number = ""
        for character in argument {
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
        guard number.isEmpty, !argument.isEmpty else { return nil }
        duration = .milliseconds(Int64(total * 1000))
    }

    static var defaultValueDescription: String { "30m" }
}
