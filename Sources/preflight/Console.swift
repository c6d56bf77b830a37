import Foundation
import PreflightCore

/// Standard output and error, with every line passed through the shared redactor.
struct Console: Sendable {
    static let standard = Console(redactor: SharedRedactor.shared)

    let redactor: SharedRedactor

    func output(_ text: String) {
        FileHandle.standardOutput.write(Data(redactor.redact(text).utf8))
    }

    /// Writes a report to standard output, redacted, piece by piece as `produce` hands them over.
    func output(_ produce: ((String) throws -> Void) throws -> Void) throws {
        try write(to: FileHandle.standardOutput, produce)
    }

    /// Redacts each piece and gathers them into large writes: a fleet's JSON is 40,000 pieces.
    /// Each piece is redacted on its own; a secret never spans two (pieces are whole findings).
    private func write(to handle: FileHandle, _ produce: ((String) throws -> Void) throws -> Void) throws {
        var buffer = Data()
        try produce { piece in
            buffer.append(contentsOf: redactor.redact(piece).utf8)
            if buffer.count >= 1 << 18 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }

    /// A line on standard error; on a terminal it goes above the status line, if one is shown.
    func error(_ text: String) {
        // Messages quote file names and values from outside: no escape sequence reaches the terminal.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { OutsideText.neutralized(String($0)) }
        let joined = lines.joined(separator: "\n")
        let line = joined.hasSuffix("\n") ? joined : joined + "\n"
        StatusLine.shared.write(above: redactor.redact(line))
    }

    /// Writes a report file atomically (a temporary file beside it, renamed into place),
    /// redacted, piece by piece as `produce` hands them over: a fleet's report is never held
    /// whole.
    func write(toFile path: String, _ produce: ((String) throws -> Void) throws -> Void) throws {
        let target = URL(fileURLWithPath: try ReportDestination.resolve(path))
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try write(to: handle, produce)
            try handle.synchronize()
            // Checked again at the last moment: what is there may have changed since the run began.
            _ = try ReportDestination.resolve(target.path)
            // rename(2): atomic, and replaces what is there (FileManager's calls either refuse an
            // existing file or a missing one).
            guard rename(temporary.path, target.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes a report file atomically, redacted.
    func write(_ text: String, toFile path: String) throws {
        try write(toFile: path) { sink in try sink(text) }
    }

    /// Whether colour makes sense: a terminal, and neither NO_COLOR nor --no-color.
    static func wantsColor(noColorFlag: Bool, environment: [String: String]) -> Bool {
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
