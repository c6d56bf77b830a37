import ArgumentParser
import PreflightChecks
import PreflightEngine
import PreflightCore
import PreflightReports

extension Preflight {
    /// `preflight explain <id>`: a check's full description and examples.
    struct ExplainCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain", abstract: "Explain a check: why it matters, how to fix it, and examples.")

        enum Format: String, ExpressibleByArgument { case text, markdown }

        @Argument(help: "A check id (see `preflight list`).")
        var id: String?

        @Flag(help: "Explain every check.")
        var all = false

        @Option(help: "text or markdown (the format of docs/checks.md).")
        var format: Format = .text

        func validate() throws {
            if id == nil && !all { throw ValidationError("name a check id, or give --all") }
        }

        func run() throws {
            let registry = BuiltinChecks.registry
            var checks = registry.descriptions
            if let id, !all {
                guard let check = registry.check(id: id) else { throw ValidationError(registry.unknownIDMessage(id)) }
                checks = [check.description]
            }
            switch format {
            case .markdown: Console.standard.output(CheckDocumentation.markdown(checks))
            case .text: Console.standard.output(checks.map(CheckDocumentation.explain).joined(separator: "\n"))
            }
        }
    }
}
