import Foundation
import PreflightCore
import PreflightEngine
import PreflightProbes
import PreflightReports
import Testing

/// The engine in process: memory files, scripted DNS, a clock whose pauses take no time. What
/// needs real sockets (libcurl, c-ares, dnsmasq, the fixture) is tested end to end elsewhere.
@Suite struct CheckEngineTests {
    static let cname = "dns.frontend_api_cname"

    static func settings(_ paths: [String], only: [String] = [cname]) -> RunSettings {
        var settings = RunSettings()
        settings.paths = paths
        settings.only = only
        return settings
    }

    @Test("one app: the report carries the run's clock and the check's verdict")
    func oneApp() async throws {
        let harness = EngineHarness(files: EngineHarness.app("a"))
        let report = try await harness.engine.run(Self.settings(["/mem/a"]))
        #expect(report.metadata.startedAt == harness.clock.start)
        #expect(report.findings.map(\.outcome) == [.pass])
        #expect(report.findings.first?.message == "clerk.a.example is a CNAME to frontend-api.clerk.services")
        #expect(report.exitCode == 0)
        #expect(await harness.gauge.asked == ["dns clerk.a.example A": 1])
    }

    @Test("--wait: pauses double from the first, and the run ends when the record appears")
    func waitSchedule() async throws {
        var harness = EngineHarness(files: EngineHarness.app("a"))
        harness.dns = { ScriptedDNS.clerkCNAME(gauge: $0, readyAfter: 3) }
        var settings = Self.settings(["/mem/a"])
        settings.wait = WaitPolicy(timeout: .seconds(30 * 60), firstPause: .seconds(2))
        let report = try await harness.engine.run(settings)
        #expect(harness.clock.sleeps == [.seconds(2), .seconds(4), .seconds(8)])
        #expect(report.findings.map(\.outcome) == [.pass])
        #expect(report.metadata.waitTimedOut == false)
        #expect(report.exitCode == 0)
        #expect(await harness.gauge.asked["dns clerk.a.example A"] == 4)
        #expect(harness.diagnostics.lines.contains("preflight: waiting for dns.frontend_api_cname: attempt 2 in 2s, 30m left"))
    }

    @Test("--wait gives up when the time is spent: the last pause is cut to what is left, exit 4")
    func waitGivesUp() async throws {
        var harness = EngineHarness(files: EngineHarness.app("a"))
        harness.dns = { ScriptedDNS.clerkCNAME(gauge: $0, readyAfter: .max) }
        var settings = Self.settings(["/mem/a"])
        settings.wait = WaitPolicy(timeout: .seconds(25), firstPause: .seconds(2))
        let report = try await harness.engine.run(settings)
        // 2 + 4 + 8 = 14 s, then 11 s left: the fourth pause is 11 s, not 16.
        #expect(harness.clock.sleeps == [.seconds(2), .seconds(4), .seconds(8), .seconds(11)])
        #expect(report.metadata.waitTimedOut == true)
        #expect(report.exitCode == 4)
        #expect(harness.diagnostics.lines.last == "preflight: gave up waiting after 25s and 5 attempts: still failing: dns.frontend_api_cname")
    }

    @Test("--wait does not wait for a check of files: waiting cannot change it")
    func waitStopsOnFiles() async throws {
        var harness = EngineHarness(files: EngineHarness.app("a"))
        harness.dns = { ScriptedDNS.clerkCNAME(gauge: $0, readyAfter: .max) }
        var settings = Self.settings(["/mem/a"], only: [Self.cname, "keys.publishable_key_present"])
        settings.wait = WaitPolicy()
        let report = try await harness.engine.run(settings)
        #expect(harness.clock.sleeps.isEmpty)
        #expect(report.metadata.waitTimedOut == false)
        #expect(harness.diagnostics.lines.contains { $0.hasPrefix("preflight: not waiting: keys.publishable_key_present fail on files") })
    }

    @Test("a fleet keeps every exchange within --concurrency, asks an identical question once, and reports apps by name")
    func fleetCaps() async throws {
        var files: [String: String] = [:]
        let names = (1...40).map { String(format: "app%02d", $0) }
        for name in names.reversed() { files.merge(EngineHarness.app(name)) { $1 } }
        // Two apps on one domain: their question is asked once.
        files["/mem/twin1/preflight.yml"] = "app:\n  domain: twin.example\n"
        files["/mem/twin2/preflight.yml"] = "app:\n  domain: twin.example\n"
        let harness = EngineHarness(files: files)
        var settings = Self.settings((names + ["twin1", "twin2"]).map { "/mem/\($0)" })
        settings.concurrency = 3
        let report = try await harness.engine.run(settings)
        #expect(await harness.gauge.most <= 3)
        #expect(await harness.gauge.most >= 2, "the fakes overlap: the cap is what limits them")
        #expect(await harness.gauge.asked["dns clerk.twin.example A"] == 1)
        #expect(await harness.gauge.total == 41)
        #expect(report.apps.map(\.name) == report.apps.map(\.name).sorted())
        #expect(report.apps.count == 42)
        #expect(Set(report.findings.compactMap(\.app)).count == 42)
        #expect(report.findings.allSatisfy { $0.outcome == .pass })
        // The progress line ends cleared.
        #expect(harness.diagnostics.statusLines.last == .some(nil))
    }

    @Test("every app's broken files are listed before anything is probed")
    func fleetLoadErrors() async throws {
        var files = EngineHarness.app("good")
        files["/mem/bad1/preflight.yml"] = "app:\n  domain: [\n"
        files["/mem/bad2/preflight.yml"] = "checks:\n  no.such_check: {}\n"
        let harness = EngineHarness(files: files)
        await #expect(throws: EngineError.reported) {
            try await harness.engine.run(Self.settings(["/mem/good", "/mem/bad1", "/mem/bad2"]))
        }
        #expect(harness.diagnostics.lines.contains("preflight: 2 of 3 apps cannot be read (/mem/bad1, /mem/bad2); nothing was checked"))
        #expect(harness.diagnostics.lines.contains { $0.hasPrefix("/mem/bad2/preflight.yml:2:3: unknown check id 'no.such_check'") })
        #expect(await harness.gauge.total == 0)
    }

    @Test("shards: any N of them cover every app once, evenly, and an app's share is pinned across versions")
    func shards() throws {
        let names = (0..<300).map { "apps/app-\($0)" }
        for count in [1, 2, 3, 4, 7] {
            let shards = (1...count).map { Shard("\($0)/\(count)")! }
            for name in names { #expect(shards.filter { $0.contains(name) }.count == 1) }
            // Even: each share holds its part of 300 apps, give or take a third (FNV-1a alone put
            // names that differ only at the end in 2 of 4 shares).
            for shard in shards {
                let held = names.filter { shard.contains($0) }.count
                #expect(abs(held - 300 / count) <= 100 / count, "shard \(shard) holds \(held) of 300")
            }
        }
        // Pinned: the hash is part of the CI contract (a matrix's shards must agree across versions).
        let four = (1...4).map { Shard("\($0)/4")! }
        let shares = ["apps/admin", "apps/api", "apps/docs", "apps/web"].map { name in four.firstIndex { $0.contains(name) }! }
        #expect(shares == Self.pinnedShards)
        #expect(Shard("0/4") == nil && Shard("5/4") == nil && Shard("1/0") == nil && Shard("a/b") == nil)
    }

    /// Shards (0-based) of apps/admin, apps/api, apps/docs, apps/web among 4.
    static let pinnedShards = [3, 3, 1, 2]

    @Test("--shard applied to the plan: the shares of a fleet cover its apps once")
    func shardPlan() throws {
        var files: [String: String] = [:]
        for name in ["a", "b", "c", "d", "e", "f"] { files.merge(EngineHarness.app(name)) { $1 } }
        let diagnostics = RecordedDiagnostics()
        var covered: [String] = []
        for index in 1...3 {
            let plan = try AppPlan.resolve(
                paths: ["a", "b", "c", "d", "e", "f"].map { "/mem/\($0)" }, appsFile: nil, config: nil, shard: Shard("\(index)/3"),
                files: MemoryFiles(files), diagnostics: diagnostics)
            #expect(plan.isFleet)
            covered += plan.targets.map(\.name)
        }
        #expect(covered.sorted() == ["a", "b", "c", "d", "e", "f"].map { "/mem/\($0)" })
    }

    @Test("the baseline is applied once, to the last state: old findings are marked, fixed ones counted once")
    func baselineOnce() async throws {
        var harness = EngineHarness(files: EngineHarness.app("a"))
        harness.dns = { ScriptedDNS.clerkCNAME(gauge: $0, readyAfter: .max) }
        let failing = try await harness.engine.run(Self.settings(["/mem/a"]))
        #expect(failing.findings.map(\.outcome) == [.fail])
        var baseline = Baseline(findings: failing.findings, createdAt: harness.clock.start)
        baseline.entries.append(Baseline.Entry(fingerprint: "0000000000000000", checkID: "dns.not_proxied", target: "gone", message: "fixed long ago"))
        let baselineText = String(decoding: baseline.encoded(), as: UTF8.self)

        // Still failing: the finding is old (it does not gate); the stale entry is fixed.
        var still = EngineHarness(files: EngineHarness.app("a").merging(["/mem/baseline.json": baselineText]) { $1 })
        still.dns = { ScriptedDNS.clerkCNAME(gauge: $0, readyAfter: .max) }
        var settings = Self.settings(["/mem/a"])
        settings.baselinePath = "/mem/baseline.json"
        let old = try await still.engine.run(settings)
        #expect(old.findings.map(\.baselineState) == [.unchanged])
        #expect(old.baselineFixed == 1)
        #expect(old.exitCode == 0)

        // Fixed while --wait asked again: both entries are fixed, counted once each.
        var recovering = EngineHarness(files: EngineHarness.app("a").merging(["/mem/baseline.json": baselineText]) { $1 })
        recovering.dns = { ScriptedDNS.clerkCNAME(gauge: $0, readyAfter: 1) }
        settings.wait = WaitPolicy()
        let fixed = try await recovering.engine.run(settings)
        #expect(fixed.findings.map(\.outcome) == [.pass])
        #expect(fixed.baselineFixed == 2)
        #expect(recovering.clock.sleeps == [.seconds(2)])
    }

    @Test("merging the shards' JSON reports gives the findings and verdict of one run over every app")
    func mergeEqualsWholeRun() async throws {
        var files: [String: String] = [:]
        let names = (1...9).map { "m\($0)" }
        for name in names { files.merge(EngineHarness.app(name)) { $1 } }
        // Every third app's record is missing: the merged verdict must fail as the whole run does.
        let dns: (Gauge) -> any DNSResolving = { gauge in
            ScriptedDNS(gauge: gauge) { question, _ in
                ["clerk.m3.example", "clerk.m6.example", "clerk.m9.example"].contains(question.name)
                    ? DNSAnswer(question: question, outcome: .nxdomain)
                    : ScriptedDNS.clerkCNAME(gauge: gauge).answer(question, 0)
            }
        }
        var whole = EngineHarness(files: files)
        whole.dns = dns
        let all = try await whole.engine.run(Self.settings(names.map { "/mem/\($0)" }))

        var shardReports: [String: String] = [:]
        for index in 1...3 {
            var harness = EngineHarness(files: files)
            harness.dns = dns
            var settings = Self.settings(names.map { "/mem/\($0)" })
            settings.shard = Shard("\(index)/3")
            shardReports["/mem/shard\(index).json"] = JSONReporter().render(try await harness.engine.run(settings))
        }
        let merged = try ReportMerger(checks: whole.engine.registry.descriptions, files: MemoryFiles(shardReports))
            .merge(shardReports.keys.sorted())
        #expect(merged.findings.map(\.fingerprint).sorted() == all.findings.map(\.fingerprint).sorted())
        #expect(merged.apps.map(\.name) == all.apps.map(\.name))
        #expect(merged.exitCode == all.exitCode && all.exitCode == 1)
        #expect(merged.findings.filter { $0.outcome == .fail }.count == 3)

        // A report given twice is refused: its apps would count twice.
        #expect(throws: EngineError.self) {
            try ReportMerger(checks: whole.engine.registry.descriptions, files: MemoryFiles(shardReports))
                .merge(["/mem/shard1.json", "/mem/shard1.json"])
        }
    }

    @Test("a replay of a recording gives the findings of the run that recorded it, asking nothing")
    func replayEquality() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let recording = folder.appendingPathComponent("evidence.json").path

        var live = EngineHarness(files: EngineHarness.app("a"))
        live.dns = { gauge in
            ScriptedDNS(gauge: gauge) { question, _ in DNSAnswer(question: question, outcome: .answer, chain: [question.name, "old.example.net"]) }
        }
        var settings = Self.settings(["/mem/a"])
        settings.record = recording
        let recorded = try await live.engine.run(settings)
        #expect(recorded.findings.map(\.outcome) == [.fail])

        let replaying = EngineHarness(files: [:])
        var replay = RunSettings()
        replay.replay = recording
        replay.only = [Self.cname]
        let replayed = try await replaying.engine.run(replay)
        #expect(replayed.findings.map(\.fingerprint) == recorded.findings.map(\.fingerprint))
        #expect(replayed.findings.map(\.message) == recorded.findings.map(\.message))
        #expect(await replaying.gauge.total == 0)
    }

    @Test("settings no run can start with are refused before anything is read")
    func invalidSettings() async throws {
        let harness = EngineHarness(files: EngineHarness.app("a"))
        var settings = Self.settings(["/mem/a"])
        settings.wait = WaitPolicy()
        settings.offline = true
        await #expect(throws: EngineError.usage("--wait asks the network again: it cannot be combined with --offline or --replay")) {
            try await harness.engine.run(settings)
        }
        #expect(WaitPolicy.parse("1m30s") == .seconds(90) && WaitPolicy.parse("2x") == nil && WaitPolicy.format(.seconds(5400)) == "1h30m")
    }
}
