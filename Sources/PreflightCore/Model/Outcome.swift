/// What a check concluded for one target.
///
/// `error` means the check could not decide (missing or broken evidence). It is never counted
/// as a pass.
public enum Outcome: Sendable, Hashable {
    case pass
    case fail
    case warn
    case skipped(String)
    case error(String)

    /// The stable name used in JSON, SARIF and JUnit.
    public var name: String {
        switch self {
        case .pass: "pass"
        case .fail: "fail"
        case .warn: "warn"
        case .skipped: "skipped"
        case .error: "error"
        }
    }

    /// Why the check was skipped or could not decide.
    public var reason: String? {
        switch self {
        case .skipped(let reason), .error(let reason): reason
        default: nil
        }
    }

    /// Order in which outcomes are listed: what needs attention first.
    public var displayRank: Int {
        switch self {
        case .fail: 0
        case .error: 1
        case .warn: 2
        case .skipped: 3
        case .pass: 4
        }
    }
}

extension Outcome {
    /// The same outcome with its reason made safe to show (`OutsideText`).
    public var neutralized: Outcome {
        switch self {
        case .skipped(let reason): .skipped(OutsideText.neutralized(reason))
        case .error(let reason): .error(OutsideText.neutralized(reason))
        default: self
        }
    }
}
