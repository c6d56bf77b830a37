import Foundation
import Logging

/// `--verbose` logs to standard error, one line per event, through the shared redactor.
struct RedactingLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let console: Console

    init(level: Logger.Level, console: Console = .standard) {
        self.logLevel = level
        self.console = console
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        console.error("preflight: \(event.level): \(event.message)\(details.isEmpty ? "" : " " + details)")
    }
}
