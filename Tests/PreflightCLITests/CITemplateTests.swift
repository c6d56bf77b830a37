import Foundation
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
}
