import PreflightChecks
import PreflightCore
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
}
