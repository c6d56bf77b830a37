import Foundation
import PreflightChecks
import PreflightCore
import PreflightReports
import Testing

/// Keeps the registry and the docs honest: every check file is registered, ids are unique
/// contracts, every check describes itself fully, and docs/checks.md is regenerated.
@Suite struct RegistryTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let descriptions = BuiltinChecks.registry.descriptions

    /// Names of the types in Checks/ that declare conformance to `Check`.
    static func declaredCheckTypes() throws -> Set<String> {
        let folder = packageRoot.appendingPathComponent("Checks")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        var names: Set<String> = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "," || $0 == "{" })
                guard let keyword = words.firstIndex(where: { $0 == "struct" || $0 == "final" || $0 == "class" || $0 == "enum" }),
                      words.dropFirst(keyword + 2).contains("Check"),
                      let name = words.dropFirst(keyword).first(where: { $0 != "struct" && $0 != "final" && $0 != "class" && $0 != "enum" })
                else { continue }
                names.insert(String(name))
            }
        }
        return names
    }

    @Test func everyCheckTypeIsRegistered() throws {
        let declared = try Self.declaredCheckTypes()
        let registered = Set(BuiltinChecks.all.map { String(describing: $0) })
        #expect(declared.count >= 5, "the scan found no check types: \(declared)")
        #expect(declared.subtracting(registered).isEmpty, "not in BuiltinChecks.all: \(declared.subtracting(registered).sorted())")
        #expect(registered.subtracting(declared).isEmpty)
    }

    @Test func idsAndAliasesAreUnique() {
        let all = descriptions.flatMap { [$0.id] + $0.aliases }
        let duplicates = Dictionary(grouping: all, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(duplicates.isEmpty, "shared ids: \(duplicates.sorted())")
    }

    @Test(arguments: BuiltinChecks.registry.descriptions.map(\.id))
    func describesItselfFully(id: String) throws {
        let check = try #require(descriptions.first { $0.id == id })
        let parts = check.id.split(separator: ".")
        #expect(parts.count >= 2 && check.id == check.id.lowercased(), "ids are dotted and lowercase")
        #expect(check.id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
        #expect(!check.title.isEmpty && !check.summary.isEmpty && !check.rationale.isEmpty)
        #expect(!check.hint.isEmpty, "a check needs a hint")
        #expect(!check.references.isEmpty, "a check needs a reference")
        #expect(check.examples.contains { $0.expectation == .pass }, "a check needs a passing example")
        #expect(check.examples.contains { $0.expectation == .problem }, "a check needs a failing example")
        #expect(!check.tags.isEmpty)
        // What explain, the docs and SARIF show: prose, not source escapes.
        for (field, text) in [("title", check.title), ("summary", check.summary), ("rationale", check.rationale), ("hint", check.hint)] {
            #expect(!text.contains("\\"), "\(id): a stray backslash in its \(field) (a line ending in \\\\ in a multi-line string)")
            #expect(!text.contains("\n"), "\(id): a line break in its \(field)")
        }
        #expect(check.references.allSatisfy { $0.url.hasPrefix("https://") && URL(string: $0.url)?.host != nil }, "\(id): references are https URLs")
        // Sentences end; a hint is an instruction (a capital first word, no closing period); a title is a name.
        #expect(check.summary.hasSuffix(".") && check.rationale.hasSuffix("."), "\(id): the summary and rationale are sentences that end")
        #expect(check.hint.first?.isUppercase == true && !check.hint.hasSuffix("."), "\(id): the hint reads as an instruction: '\(check.hint)'")
        #expect(!check.title.hasSuffix("."), "\(id): a title has no closing period")
        #expect(!check.summary.contains("  ") && !check.rationale.contains("  "), "\(id): doubled spaces")
    }

    @Test func checksReferenceIsUpToDate() throws {
        let file = Self.packageRoot.appendingPathComponent("docs/checks.md")
        // The CLI passes everything it prints through the redactor, example keys included.
        let generated = Redactor().redact(CheckDocumentation.markdown(descriptions))
        let committed = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1", committed != generated {
            try generated.write(to: file, atomically: true, encoding: .utf8)
            Issue.record("docs/checks.md was out of date and has been rewritten; run the tests again")
            return
        }
        #expect(committed == generated, "docs/checks.md is out of date: run `make docs` (or RECORD_SNAPSHOTS=1 make test)")
    }
}
