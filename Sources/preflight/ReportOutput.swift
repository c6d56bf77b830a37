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

    /// Every destination can be written, checked before any work is done. `--output -` is
    /// standard output.
    func checkWritable() throws {
        try CheckOptions.checkWritable([output].compactMap { $0 == "-" ? nil : $0 } + reports.map(\.path))
    }

    func write(_ report: Report, console: Console, noColor: Bool, quiet: Bool) throws {
        let file = output == "-" ? nil : output
        let color = file == nil && Console.wantsColor(noColorFlag: noColor, environment: ProcessInfo.processInfo.environment)
        let main = format.reporter(color: color, quiet: quiet)
        do {
            if let output = file {
                try console.write(toFile: output) { sink in try main.render(report, into: sink) }
            } else {
                try console.output { sink in try main.render(report, into: sink) }
            }
            for request in reports {
                try console.write(toFile: request.path) { sink in try request.format.reporter().render(report, into: sink) }
            }
        } catch {
            console.error("preflight: cannot write the report: \((error as? ValidationError)?.message ?? error.localizedDescription)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}

/// Where a report file really goes: the path itself, or the regular file a link at it names.
/// Anything else there (a folder, a FIFO, a device, a link to nothing or to a loop) is refused,
/// before any probe and again just before the file is put in place.
enum ReportDestination {
    static func resolve(_ path: String) throws -> String {
        switch FileKind.of(path, followLinks: false) {
        case nil, .regular?:
            return path
        case .symbolicLink?:
            guard let kind = FileKind.of(path), let resolved = realpath(path, nil) else {
                throw ValidationError("cannot write \(path): it is a symbolic link to nothing (or a loop)")
            }
            defer { free(resolved) }
            guard kind == .regular else { throw ValidationError("cannot write \(path): it is a link to \(kind.rawValue); reports are written only to regular files") }
            return String(cString: resolved)
        case let kind?:
            throw ValidationError("cannot write \(path): it is \(kind.rawValue); reports are written only to regular files")
        }
    }
}
