import PreflightCore

/// Renders a report. Pure: no clock, no environment, no I/O; the caller writes the text.
public protocol Reporter: Sendable {
    func render(_ report: Report) -> String
    /// The same text in pieces, in order, so a large report (a fleet's) is written as it is
    /// made instead of being held whole. By default, one piece.
    func render(_ report: Report, into sink: (String) throws -> Void) rethrows
}

extension Reporter {
    public func render(_ report: Report, into sink: (String) throws -> Void) rethrows {
        try sink(render(report))
    }
}

/// The formats `--format` and `--report` accept.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, html, sarif, junit, markdown

    /// The reporter for this format; `color` and `quiet` only matter to text.
    public func reporter(color: Bool = false, quiet: Bool = false) -> any Reporter {
        switch self {
        case .text: TextReporter(color: color, quiet: quiet)
        case .json: JSONReporter()
        case .html: HTMLReporter()
        case .sarif: SARIFReporter()
        case .junit: JUnitReporter()
        case .markdown: MarkdownReporter()
        }
    }
}
