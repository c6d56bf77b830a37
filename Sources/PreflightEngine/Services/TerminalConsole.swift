import Foundation
import Logging
import PreflightCore

/// Standard output and error, with every line passed through the shared redactor: the
/// production `Diagnostics`, and where the commands print.
public struct Console: Diagnostics {
    public static let standard = Console(redactor: SharedRedactor.shared)

    public let redactor: SharedRedactor

    public init(redactor: SharedRedactor) {
        self.redactor = redactor
    }

    public var writer: ReportWriter { ReportWriter(redactor: redactor) }

    public func output(_ text: String) {
        FileHandle.standardOutput.write(Data(redactor.redact(text).utf8))
    }

    /// Writes a report to standard output, redacted, piece by piece as `produce` hands them over.
    public func output(_ produce: ((String) throws -> Void) throws -> Void) throws {
        try writer.write(to: FileHandle.standardOutput, produce)
    }

    /// A line on standard error; on a terminal it goes above the status line, if one is shown.
    public func error(_ text: String) {
        // Messages quote file names and values from outside: no escape sequence reaches the terminal.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { OutsideText.neutralized(String($0)) }
        let joined = lines.joined(separator: "\n")
        let line = joined.hasSuffix("\n") ? joined : joined + "\n"
        StatusLine.shared.write(above: redactor.redact(line))
    }

    public func warn(_ line: String) { error(line) }

    /// Logs go to standard error through this console, from `level` up. Once per process.
    public func startLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { _ in RedactingLogHandler(level: level, diagnostics: self) }
    }

    public var showsStatus: Bool { StatusLine.shared.enabled }

    public func status(_ line: String?) { StatusLine.shared.show(line.map { redactor.redact(OutsideText.neutralized($0)) }) }

    /// Whether colour makes sense: a terminal, and neither NO_COLOR nor --no-color.
    public static func wantsColor(noColorFlag: Bool, environment: [String: String]) -> Bool {
        !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty && isatty(STDOUT_FILENO) == 1
            && environment["TERM"] != "dumb"
    }
}

/// The one line redrawn in place on a terminal's standard error: a fleet's progress, a wait's
/// countdown. Other lines written to standard error while it shows go above it (it is cleared,
/// the line written, and it is drawn again), so they never run into it. Not a terminal: nothing
/// is drawn and lines are written as they are.
final class StatusLine: @unchecked Sendable {
    static let shared = StatusLine()

    let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var current = ""
    private static let clear = "\r\u{1B}[K"

    /// Shows `line` in place of the previous one; nil clears it.
    func show(_ line: String?) {
        guard enabled else { return }
        lock.withLock {
            current = line ?? ""
            FileHandle.standardError.write(Data((Self.clear + current).utf8))
        }
    }

    func write(above text: String) {
        lock.withLock {
            guard enabled, !current.isEmpty else { return FileHandle.standardError.write(Data(text.utf8)) }
            FileHandle.standardError.write(Data((Self.clear + text + current).utf8))
        }
    }
}
