import ArgumentParser
import Foundation
import PreflightCore
import PreflightEngine

extension Preflight {
    /// `preflight baseline write FILE [PATH]`: accepts today's findings, so only new ones gate.
    struct BaselineCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline", abstract: "Record today's findings, so that only new ones gate (--baseline FILE).",
            subcommands: [WriteCommand.self])

        struct WriteCommand: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "write",
                abstract: "Run the checks and write the fingerprints of every problem and undecided finding to FILE.",
                discussion: "Then `preflight check --baseline FILE` gates on new findings only; old ones are shown as such, fixed ones drop out.")

            @Argument(help: "The baseline file to write.")
            var file: String

            @OptionGroup var options: CheckOptions

            func run() async throws {
                let console = Console.standard
                try ReportWriter.checkWritable([file])
                let report = try await options.execute(console: console)
                let baseline = Baseline(findings: report.findings, createdAt: report.metadata.startedAt)
                do {
                    try baseline.encoded().write(to: URL(fileURLWithPath: file), options: .atomic)
                } catch {
                    throw ValidationError("cannot write \(file): \(error.localizedDescription)")
                }
                console.output("wrote \(file): \(baseline.entries.count) finding(s) accepted as they are; check with --baseline \(file)\n")
            }
        }
    }
}
