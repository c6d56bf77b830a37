import PreflightCore

/// Renders a report. Pure: no clock, no environment, no I/O; the caller writes the text.
public protocol Reporter: Sendable {
    func render(_ report: Report) -> String
}

/// The formats `--format` and `--report` accept.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json

    /// The reporter for this format; `color` only matters to text.
    public func reporter(color: Bool = false, quiet: Bool = false) -> any Reporter {
        switch self {
        case .text: TextReporter(color: color, quiet: quiet)
        case .json: JSONReporter()
        }
    }
}
