import ArgumentParser
import Foundation
import PreflightChecks
import PreflightCore
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
            let checks = BuiltinChecks.registry.descriptions
            let reports = try files.map { file -> Report in
                let data: Data
                do { data = try BoundedFile.read(file, cap: BoundedFile.recordingCap) } catch { throw ValidationError("cannot read the report: \(error)") }
                do {
                    return try JSONReportReader.read(data, source: file, checks: checks)
                } catch let error as JSONReportReader.ReadError {
                    throw ValidationError(error.description)
                }
            }
            var seen: [String: String] = [:]
            for (file, report) in zip(files, reports) {
                for app in report.isFleet ? report.apps.map(\.name) : [report.metadata.targetPath] {
                    if let other = seen.updateValue(file, forKey: app) {
                        throw ValidationError("app \(app) is in both \(other) and \(file); were the shards run with the same --shard?")
                    }
                }
            }
            let merged = JSONReportReader.merge(reports, display: files.joined(separator: " "))
            try output.write(merged, console: console, noColor: noColor, quiet: quiet)
            let code = merged.exitCode
            if code != 0 { throw ExitCode(code) }
        }
    }
}
