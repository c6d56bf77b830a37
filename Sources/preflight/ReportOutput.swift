import ArgumentParser
import Foundation
import PreflightCore
import PreflightReports

/// Where a report goes: one format on standard output or in `--output`, more with `--report`.
/// Shared by `check` and `merge`.
struct ReportOutput: ParsableArguments {
    @Option(help: "Report format on standard output, or in --output: text, json, html, sarif, junit or markdown.")
    var format: ReportFormat = .text

    @Option(help: "Write the report to FILE (atomically) instead of standard output.")
    var output: String?

    @Option(name: .customLong("report"), help: "Also write a report file, e.g. --report sarif=preflight.sarif (repeatable).")
    var reports: [ReportRequest] = []

    /// Every destination can be written, checked before any work is done.
    func checkWritable() throws {
        try CheckOptions.checkWritable([output].compactMap { $0 } + reports.map(\.path))
    }

    func write(_ report: Report, console: Console, noColor: Bool, quiet: Bool) throws {
        let color = output == nil && Console.wantsColor(noColorFlag: noColor, environment: ProcessInfo.processInfo.environment)
        let main = format.reporter(color: color, quiet: quiet)
        do {
            if let output {
                try console.write(toFile: output) { sink in try main.render(report, into: sink) }
            } else {
                try console.output { sink in try main.render(report, into: sink) }
            }
            for request in reports {
                try console.write(toFile: request.path) { sink in try request.format.reporter().render(report, into: sink) }
            }
        } catch {
            console.error("preflight: cannot write the report: \(error.localizedDescription)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
