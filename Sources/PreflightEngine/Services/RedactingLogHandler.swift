import Foundation
import Logging

/// `--verbose` logs through `Diagnostics` (standard error), one line per event; the console
/// redacts and neutralises every line.
public struct RedactingLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let diagnostics: any Diagnostics

    public init(level: Logger.Level, diagnostics: any Diagnostics) {
        self.logLevel = level
        self.diagnostics = diagnostics
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        diagnostics.warn("preflight: \(event.level): \(event.message)\(details.isEmpty ? "" : " " + details)")
    }
}
