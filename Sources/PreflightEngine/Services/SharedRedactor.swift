import Foundation
import PreflightCore

/// The run's redactor: output, logs, errors, reports and recordings all read it; secrets
/// learnt while running (from the environment, from env files) are added to it.
public final class SharedRedactor: @unchecked Sendable {
    /// The process's, which the command line's console and log handler read.
    public static let shared = SharedRedactor()

    private let lock = NSLock()
    private var redactor = Redactor()

    public init() {}

    public func add(secrets: [String]) {
        lock.withLock {
            for secret in secrets { redactor.add(secret: secret) }
        }
    }

    /// A copy for code that takes a plain `Redactor` (the evidence recording).
    public func snapshot() -> Redactor {
        lock.withLock { redactor }
    }

    public func redact(_ text: String) -> String {
        lock.withLock { redactor.redact(text) }
    }
}
