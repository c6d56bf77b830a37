import Foundation
import PreflightCore
import PreflightTestSupport
import Testing
import Yams

/// The GitHub action and the GitLab template are files users copy: they parse, they do what
/// the README says, and every flag they pass to `preflight check` exists.
@Suite struct CITemplateTests {
    static func load(_ path: String) throws -> [String: Any] {
        let text = try String(contentsOfFile: Golden.packageRoot.appendingPathComponent(path).path, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    /// Every `--flag` a script passes to preflight.
    static func flags(in script: String) -> Set<String> {
        Set(script.split(whereSeparator: { " \n\"'=()".contains($0) }).filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init))
    }

    static let checkHelp: String = (try? Preflight.run(["check", "--help"]).stdout) ?? ""

    @Test func theGitHubActionBuildsChecksUploadsAndGates() throws {
        let action = try Self.load("action.yml")
        let runs = try #require(action["runs"] as? [String: Any])
        #expect(runs["using"] as? String == "composite")
        let steps = try #require(runs["steps"] as? [[String: Any]])
        let check = try #require(steps.first { $0["id"] as? String == "check" })
        let script = try #require(check["run"] as? String)
        #expect(script.contains("--report sarif=preflight.sarif"))
        #expect(script.contains("$GITHUB_STEP_SUMMARY"))
        #expect(steps.contains { ($0["uses"] as? String)?.hasPrefix("github/codeql-action/upload-sarif@") == true })
        #expect(steps.last?["run"] as? String == #"exit "${{ steps.check.outputs.exit-code }}""#)
        for flag in Self.flags(in: script) where !["--package-path", "--product", "--show-bin-path"].contains(flag) {
            #expect(Self.checkHelp.contains(flag), "preflight check has no \(flag)")
        }
    }

    @Test func theGitLabTemplatePublishesJUnit() throws {
        let template = try Self.load("ci/preflight.gitlab-ci.yml")
        let job = try #require(template[".preflight"] as? [String: Any])
        let reports = try #require((job["artifacts"] as? [String: Any])?["reports"] as? [String: Any])
        #expect(reports["junit"] as? String == "preflight.junit.xml")
        let script = try #require(job["script"] as? [String]).joined(separator: "\n")
        #expect(script.contains("--report junit=preflight.junit.xml"))
        for flag in Self.flags(in: script) where !["--package-path", "--product", "--show-bin-path"].contains(flag) {
            #expect(Self.checkHelp.contains(flag), "preflight check has no \(flag)")
        }
        #expect((template["preflight"] as? [String: Any])?["extends"] as? String == ".preflight")
    }

    /// A fleet of two apps, one ready and one with a development key, checked offline.
    static func fleet() throws -> AppFolder {
        try AppFolder([
            "apps.yml": "- apps/*\n",
            "apps/docs/preflight.yml": "app:\n  domain: example.com\n",
            "apps/docs/.env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.example.com", instance: .production))\n",
            "apps/admin/preflight.yml": "app:\n  domain: example.com\n",
            "apps/admin/.env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\n",
        ])
    }

    /// The apps the JSON report holds.
    static func apps(inReport path: String) throws -> [String] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        return (report["apps"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    /// The action's check step, run by bash as GitHub runs it (the built binary in place of the
    /// release build), once per shard of a fleet: its reports, its outputs and its summary.
    @Test func theGitHubActionChecksAShardOfAFleet() throws {
        let action = try Self.load("action.yml")
        let steps = try #require((action["runs"] as? [String: Any])?["steps"] as? [[String: Any]])
        var script = try #require(steps.first { $0["id"] as? String == "check" }?["run"] as? String)
        let build = try #require(script.split(separator: "\n").first { $0.hasPrefix("bin=") })
        script = script.replacingOccurrences(of: build, with: "bin='\(Preflight.binary)'")
        let folder = try Self.fleet()
        var seen: [String] = []
        for shard in 1...2 {
            let environment = Preflight.baseEnvironment.merging([
                "GITHUB_OUTPUT": folder.path + "/output\(shard)", "GITHUB_STEP_SUMMARY": folder.path + "/summary\(shard).md",
                "PREFLIGHT_PATH": ".", "PREFLIGHT_APPS": "apps.yml", "PREFLIGHT_SHARD": "\(shard)/2", "PREFLIGHT_FAIL_ON": "error",
                "PREFLIGHT_BASELINE": "", "PREFLIGHT_ARGS": "--offline",
            ]) { $1 }
            let result = try ChildProcess.run("/bin/bash", ["-e", "-c", script], environment: environment, directory: folder.path)
            #expect(result.status == 0, "\(result.stderr)")
            // Only the shard's apps, never the folder the action was given as `path`.
            let apps = try Self.apps(inReport: folder.path + "/preflight.json")
            #expect(!apps.isEmpty && !apps.contains("."), "\(apps)")
            seen += apps
            let output = try String(contentsOfFile: folder.path + "/output\(shard)", encoding: .utf8)
            #expect(output.contains("suffix=-\(shard)-of-2\n"), "\(output)")
            // The shard with the development key is not ready.
            #expect(output.contains("exit-code=\(apps.contains("apps/admin") ? 1 : 0)\n"), "\(output)")
            let summary = try String(contentsOfFile: folder.path + "/summary\(shard).md", encoding: .utf8)
            #expect(apps.allSatisfy(summary.contains), "\(summary)")
            for format in ["sarif", "html", "junit.xml", "md"] {
                #expect(FileManager.default.fileExists(atPath: folder.path + "/preflight.\(format)"), "no preflight.\(format)")
            }
        }
        #expect(seen.sorted() == ["apps/admin", "apps/docs"], "\(seen)")
    }

    /// The GitLab job's script lines, run by one bash as GitLab runs them, in the second of two
    /// `parallel:` copies: its shard of the fleet.
    @Test func theGitLabTemplateChecksItsShardOfAFleet() throws {
        let template = try Self.load("ci/preflight.gitlab-ci.yml")
        let lines = try #require((template[".preflight"] as? [String: Any])?["script"] as? [String])
        // Bootstrap and build are the image's business here; the built binary stands in.
        let script = (["bin='\(Preflight.binary)'"] + lines.filter { !$0.contains("bootstrap") && !$0.contains("swift build") })
            .joined(separator: "\n")
        let folder = try Self.fleet()
        var seen: [String] = []
        for index in 1...2 {
            let environment = Preflight.baseEnvironment.merging([
                "PREFLIGHT_PATH": ".", "PREFLIGHT_APPS": "apps.yml", "PREFLIGHT_FAIL_ON": "error", "PREFLIGHT_ARGS": "--offline",
                "CI_NODE_INDEX": "\(index)", "CI_NODE_TOTAL": "2",
            ]) { $1 }
            let result = try ChildProcess.run("/bin/bash", ["-e", "-o", "pipefail", "-c", script], environment: environment, directory: folder.path)
            #expect([0, 1].contains(result.status), "\(result.stderr)")
            let apps = try Self.apps(inReport: folder.path + "/preflight.json")
            #expect(result.status == (apps.contains("apps/admin") ? 1 : 0))
            #expect(try ExternalValidators.readJUnit(try String(contentsOfFile: folder.path + "/preflight.junit.xml", encoding: .utf8)).isEmpty == false)
            seen += apps
        }
        // The two copies together checked each app once.
        #expect(seen.sorted() == ["apps/admin", "apps/docs"], "\(seen)")
    }
}
