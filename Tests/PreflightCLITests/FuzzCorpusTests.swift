import Foundation
import PreflightTestSupport
import Testing

/// The fuzz harness built plainly is a replayer: every input kept in Fuzz/corpus (the seeds,
/// and each input that once broke a parser, kept there as a regression) runs through its
/// target without a crash. `bench/fuzz` is what searches for new ones.
@Suite struct FuzzCorpusTests {
    static let corpus = Golden.packageRoot.appendingPathComponent("Fuzz/corpus")
    static let targets = ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted()

    @Test func everyTargetHasSeeds() {
        #expect(Self.targets == ["caa", "configuration", "csp", "dns-answer", "dotenv", "html", "key", "recording", "robots", "scripts", "snapshot"])
    }

    @Test(arguments: targets)
    func everyKeptInputReplaysWithoutACrash(_ target: String) throws {
        let folder = Self.corpus.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { folder.appendingPathComponent($0).path }
        #expect(!files.isEmpty)
        let result = try ChildProcess.run(Preflight.executable("preflight-fuzz"), [target] + files, timeout: 60)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\(files.count) input(s) through \(target): no crash"))
    }

    @Test func anUnknownTargetIsAUsageError() throws {
        let result = try ChildProcess.run(Preflight.executable("preflight-fuzz"), ["nope"], timeout: 20)
        #expect(result.status == 2)
        #expect(result.stdout.contains("targets: caa, configuration, csp"))
    }
}
