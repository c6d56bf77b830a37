import Foundation
import PreflightCore

/// Standard output and error, with every line passed through the shared redactor.
struct Console: Sendable {
    static let standard = Console(redactor: SharedRedactor.shared)

    let redactor: SharedRedactor

    func output(_ text: String) {
        FileHandle.standardOutput.write(Data(redactor.redact(text).utf8))
    }

    func error(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(redactor.redact(line).utf8))
    }

    /// Writes a report file atomically (a temporary file renamed into place), redacted.
    func write(_ text: String, toFile path: String) throws {
        var redacted = redactor.redact(text)
        // The string's own bytes, not a copy: a fleet's report is tens of megabytes.
        try redacted.withUTF8 { bytes in
            let data = bytes.baseAddress.map { Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: bytes.count, deallocator: .none) } ?? Data()
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    }

    /// Whether colour makes sense: a terminal, and neither NO_COLOR nor --no-color.
    static func wantsColor(noColorFlag: Bool, environment: [String: String]) -> Bool {
        !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty && isatty(STDOUT_FILENO) == 1
            && environment["TERM"] != "dumb"
    }
}

/// The process-wide redactor: output, logs and errors all read it; secrets learnt while
/// running (from the environment, from env files) are added to it.
final class SharedRedactor: @unchecked Sendable {
    static let shared = SharedRedactor()

    private let lock = NSLock()
    private var redactor = Redactor()

    func add(secrets: [String]) {
        lock.lock()
        defer { lock.unlock() }
        for secret in secrets { redactor.add(secret: secret) }
    }

    /// A copy for code that takes a plain `Redactor` (the evidence recording).
    func snapshot() -> Redactor {
        lock.lock()
        defer { lock.unlock() }
        return redactor
    }

    func redact(_ text: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        return redactor.redact(text)
    }
}
