import Foundation
import ArgumentParser
import PreflightCore
import PreflightReports

extension ReportFormat: ExpressibleByArgument {}

/// `--fail-on`: the lowest severity that blocks.
enum FailOn: String, CaseIterable, ExpressibleByArgument {
    case warning, error, critical

    var severity: Severity {
        switch self {
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}

/// `--report FORMAT=FILE`: an extra report file.
struct ReportRequest: ExpressibleByArgument {
    var format: ReportFormat
    var path: String

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let format = ReportFormat(rawValue: String(parts[0])), !parts[1].isEmpty else { return nil }
        self.format = format
        self.path = String(parts[1])
    }

    static var defaultValueDescription: String { "FORMAT=FILE" }
}

/// `--only a,b --only c` -> [a, b, c]
func splitList(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
