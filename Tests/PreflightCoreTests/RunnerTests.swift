import Foundation
import PreflightCore
import Testing

/// A check whose results are whatever the test puts in the evidence's environment:
/// `RESULT_<n>=pass|problem|undecided|na`.
private struct ScriptedCheck: Check {
    static let description = CheckDescription(
        id: "test.scripted", title: "Scripted", summary: "s", rationale: "r", hint: "do the thing",
        references: [Reference("docs", "https://example.com/docs")], defaultSeverity: .error, tags: ["demo"],
        needs: .offline, examples: [])
    func evaluate(_ context: CheckContext) -> [CheckResult] {
        context.evidence.environment.map { variable in
            let target = Target.environment(variable: variable.name)
            switch variable.value {
            case "pass": return .pass("fine", at: target)
            case "problem": return .problem("broken", at: target)
            case "warning": return .problem("minor", at: target, severity: .warning)
            case "undecided": return .undecided("no data", at: target)
            default: return .notApplicable("nothing", at: target)
            }
        }
    }
}

private struct NetworkCheck: Check {
    static let description = CheckDescription(
        id: "test.network", title: "Network", summary: "s", rationale: "r", hint: "h", defaultSeverity: .critical,
        needs: .network, examples: [])
    func evaluate(_ context: CheckContext) -> [CheckResult] { [.pass("reached", at: .url("https://example.com"))] }
}

private struct OptInCheck: Check {
    static let description = CheckDescription(
        id: "test.opt_in", title: "Opt-in", summary: "s", rationale: "r", hint: "h", defaultSeverity: .info,
        needs: .offline, optIn: true, examples: [])
    func evaluate(_ context: CheckContext) -> [CheckResult] { [.problem("noted", at: .application)] }
}

@Suite struct RunnerTests {
    let registry = CheckRegistry([ScriptedCheck.self, NetworkCheck.self, OptInCheck.self])
    let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15

    func run(
        _ values: [String], configuration: Configuration = Configuration(), selection: Selection = Selection()
    ) async throws -> [Finding] {
        let environment = values.enumerated().map { EnvironmentVariable(name: "RESULT_\($0.offset)", value: $0.element) }
        let runner = Runner(registry: registry, gatherer: FixedEvidence(Evidence(environment: environment)))
        return try await runner.run(configuration: configuration, selection: selection, now: now).findings
    }

    @Test func mapsResultsToOutcomesBySeverity() async throws {
        let findings = try await run(["pass", "problem", "warning", "undecided", "na"], selection: Selection(only: ["test.scripted"]))
        #expect(findings.map(\.outcome) == [.pass, .fail, .warn, .error("no data"), .skipped("nothing")])
        #expect(findings[1].hint == "do the thing")
        #expect(findings[1].docs == "https://example.com/docs")
    }

    @Test func severityOverrideMovesProblemsBetweenFailAndWarn() async throws {
        let configuration = Configuration(checks: ["test.scripted": CheckSettings(severity: .warning)])
        let findings = try await run(["problem"], configuration: configuration, selection: Selection(only: ["test.scripted"]))
        #expect(findings.map(\.outcome) == [.warn])
        #expect(findings.map(\.severity) == [.warning])
    }

    @Test func optInChecksRunOnlyWhenAsked() async throws {
        #expect(try await run([]).contains { $0.checkID == "test.opt_in" } == false)
        #expect(try await run([], selection: Selection(only: ["test.opt_in"])).map(\.checkID) == ["test.opt_in"])
        let enabled = Configuration(checks: ["test.opt_in": CheckSettings(enabled: true)])
        #expect(try await run([], configuration: enabled).contains { $0.checkID == "test.opt_in" })
    }

    @Test func offlineReportsNetworkChecksAsSkipped() async throws {
        let findings = try await run(["pass"], selection: Selection(offline: true))
        let network = try #require(findings.first { $0.checkID == "test.network" })
        #expect(network.outcome == .skipped("needs the network; --offline was given"))
    }

    @Test func skipAndTagSelect() async throws {
        #expect(try await run(["pass"], selection: Selection(skip: ["test.network"])).map(\.checkID) == ["test.scripted"])
        #expect(try await run(["pass"], selection: Selection(tags: ["demo"])).map(\.checkID) == ["test.scripted"])
    }

    @Test func unknownIDsAndTagsAreUsageErrors() async {
        await #expect(throws: SelectionError.self) { try await run([], selection: Selection(only: ["test.scriptd"])) }
        do {
            _ = try await run([], selection: Selection(only: ["test.scriptd"]))
        } catch {
            #expect((error as? SelectionError)?.description == "unknown check id 'test.scriptd' (did you mean 'test.scripted'?)")
        }
        await #expect(throws: SelectionError.self) { try await run([], selection: Selection(tags: ["nope"])) }
    }

    @Test func waiversApplyUntilTheyExpire() async throws {
        let live = Waiver(checkID: "test.scripted", target: "env:RESULT_0", reason: "known", owner: "team", expires: "2027-01-15")
        let expired = Waiver(checkID: "test.scripted", target: "env:RESULT_1", reason: "old", expires: "2027-01-14")
        let configuration = Configuration(waivers: [live, expired])
        let findings = try await run(["problem", "problem"], configuration: configuration, selection: Selection(only: ["test.scripted"]))
        #expect(findings[0].waiver == live)
        #expect(findings[1].waiver == nil)
        #expect(findings[1].evidence.contains { $0.value.hasPrefix("expired on 2027-01-14") })
        #expect(Verdict(findings: findings, failOn: .error) == .notReady)
        #expect(Verdict(findings: [findings[0]], failOn: .error) == .ready)
    }

    @Test func orderIsDeterministic() async throws {
        let first = try await run(["problem", "pass", "undecided"])
        let second = try await run(["problem", "pass", "undecided"])
        #expect(first == second)
        #expect(first.map(\.checkID) == first.map(\.checkID).sorted())
    }
}

@Suite struct VerdictTests {
    func finding(_ outcome: Outcome, _ severity: Severity) -> Finding {
        Finding(checkID: "a.b", title: "t", outcome: outcome, severity: severity, message: "m", hint: "h", target: .application)
    }

    @Test func exitCodes() {
        #expect(Verdict(findings: [finding(.pass, .critical)], failOn: .error).exitCode == 0)
        #expect(Verdict(findings: [finding(.fail, .error)], failOn: .error).exitCode == 1)
        #expect(Verdict(findings: [finding(.warn, .warning)], failOn: .error).exitCode == 0)
        #expect(Verdict(findings: [finding(.warn, .warning)], failOn: .warning).exitCode == 1)
        #expect(Verdict(findings: [finding(.fail, .error)], failOn: .critical).exitCode == 0)
        // Could not decide: never a pass, but a failure wins over it.
        #expect(Verdict(findings: [finding(.error("timeout"), .error)], failOn: .error).exitCode == 3)
        #expect(Verdict(findings: [finding(.error("timeout"), .error), finding(.fail, .critical)], failOn: .error).exitCode == 1)
        // An undecided check below the gate does not gate.
        #expect(Verdict(findings: [finding(.error("timeout"), .info)], failOn: .error).exitCode == 0)
        #expect(Verdict(findings: [finding(.skipped("offline"), .critical)], failOn: .error).exitCode == 0)
    }

    @Test func fingerprintsAreStableAndIgnoreLines() {
        let a = Target.file(path: ".env", line: 3, column: 1, subject: "KEY")
        let b = Target.file(path: ".env", line: 9, column: 5, subject: "KEY")
        #expect(Fingerprint.of(checkID: "x.y", targetIdentity: a.identity) == Fingerprint.of(checkID: "x.y", targetIdentity: b.identity))
        // FNV-1a 64 of "x.y\0t", computed independently; pins the algorithm so baselines survive upgrades.
        #expect(Fingerprint.of(checkID: "x.y", targetIdentity: "t") == "3c1acb40c1065ea2")
    }
}
