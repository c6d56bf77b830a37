import ArgumentParser
import Foundation
import PreflightCore
import PreflightEngine
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

    /// Every destination can be written, checked before any work is done. `--output -` is
    /// standard output.
    func checkWritable() throws {
        try ReportWriter.checkWritable([output].compactMap { $0 == "-" ? nil : $0 } + reports.map(\.path))
    }

    func write(_ report: Report, console: Console, noColor: Bool, quiet: Bool) throws {
        let file = output == "-" ? nil : output
        let color = file == nil && Console.wantsColor(noColorFlag: noColor, environment: ProcessInfo.processInfo.environment)
        let main = format.reporter(color: color, quiet: quiet)
        do {
            if let output = file {
                try console.writer.write(report, as: main, toFile: output)
            } else {
                try console.output { sink in try main.render(report, into: sink) }
            }
            for request in reports {
                try console.writer.write(report, as: request.format.reporter(), toFile: request.path)
            }
        } catch {
            console.error("preflight: cannot write the report: \((error as? EngineError)?.description ?? error.localizedDescription)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
