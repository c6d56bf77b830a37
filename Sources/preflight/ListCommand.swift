import ArgumentParser
import Foundation
import PreflightChecks
import PreflightEngine
import PreflightCore
import PreflightReports

extension Preflight {
    /// `preflight list`: every registered check.
    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the built-in checks: id, default severity, needs, title.")

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let checks = BuiltinChecks.registry.descriptions
            if json {
                struct Row: Encodable {
                    var id, title, summary, severity, needs: String
                    var tags: [String]
                    var optIn: Bool
                    enum CodingKeys: String, CodingKey { case id, title, summary, severity, needs, tags, optIn = "opt_in" }
                }
                let rows = checks.map {
                    Row(id: $0.id, title: $0.title, summary: $0.summary, severity: $0.defaultSeverity.rawValue,
                        needs: $0.needs.rawValue, tags: $0.tags, optIn: $0.optIn)
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Console.standard.output(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n")
            } else {
                Console.standard.output(CheckDocumentation.list(checks))
            }
        }
    }
}
