import ArgumentParser
import Foundation
import PreflightChecks
import PreflightCore
import PreflightEngine
import PreflightReports

extension Preflight {
    /// `preflight merge REPORT.json...`: the JSON reports of a sharded CI matrix as one report,
    /// in any format, with the exit code one run over every app would have given.
    struct MergeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge", abstract: "Merge JSON reports (e.g. the shards of a CI matrix) into one report.",
            discussion: "The exit code is the merged verdict's: 0 ready, 1 not ready, 3 could not decide, 4 a shard's --wait ran out of time.")

        @Argument(help: "JSON reports written by preflight check --format json (or --report json=FILE).")
        var files: [String]

        @OptionGroup var output: ReportOutput

        @Flag(help: "No colour (also when NO_COLOR is set).")
        var noColor = false

        @Flag(name: .shortAndLong, help: "Show only problems and the summary.")
        var quiet = false

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one JSON report to merge") }
        }

        func run() throws {
            let console = Console.standard
            try output.checkWritable()
            let merged = try ReportMerger(checks: BuiltinChecks.registry.descriptions).merge(files)
            try output.write(merged, console: console, noColor: noColor, quiet: quiet)
            let code = merged.exitCode
            if code != 0 { throw ExitCode(code) }
        }
    }
}
