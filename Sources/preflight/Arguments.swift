import ArgumentParser
import Foundation
import PreflightCore
import PreflightEngine
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

/// `--shard I/N`.
extension Shard: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// A duration on the command line: `90s`, `30m`, `1h`, `1m30s`, or plain seconds.
struct WaitDuration: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        guard let duration = WaitPolicy.parse(argument) else { return nil }
        self.duration = duration
    }

    static var defaultValueDescription: String { "30m" }
}
