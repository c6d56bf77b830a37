import PreflightChecks
import PreflightCore
import PreflightTestSupport
import Testing

/// Every example in every check's description runs here.
@Suite struct CheckExampleTests {
    static let cases: [(String, Int)] = BuiltinChecks.registry.descriptions.flatMap { description in
        description.examples.indices.map { (description.id, $0) }
    }

    @Test("check examples", arguments: cases)
    func example(id: String, index: Int) throws {
        let check = try #require(BuiltinChecks.registry.check(id: id))
        let example = check.description.examples[index]
        let results = check.init().evaluate(example.context())
        if let mismatch = example.mismatch(in: results) {
            Issue.record("\(id) example '\(example.title)': \(mismatch)")
        }
    }

    /// What every example concludes, result by result: status, target and message, pinned in a
    /// golden file. An example's expectation says only pass or problem; this catches a message
    /// that lost its evidence, a finding moved to another target, or one result become two.
    @Test("every example's results are pinned: status, target and message")
    func pinnedResults() {
        var lines: [String] = []
        for description in BuiltinChecks.registry.descriptions {
            let check = BuiltinChecks.registry.check(id: description.id)!
            for example in description.examples {
                lines.append("\(description.id) · \(example.title) (expect \(example.expectation.rawValue))")
                for result in check.init().evaluate(example.context()) {
                    lines.append("  \(Self.status(result.status)) \(result.target.identity)\n    \(result.message)")
                }
            }
        }
        Golden.assertMatches(lines.joined(separator: "\n") + "\n", file: "Tests/PreflightChecksTests/Golden/example-results.txt")
    }

    static func status(_ status: CheckResult.Status) -> String {
        switch status {
        case .pass: "pass"
        case .problem: "problem"
        case .undecided: "undecided"
        case .notApplicable: "not applicable"
        case .toConfirm: "to confirm"
        }
    }
}
