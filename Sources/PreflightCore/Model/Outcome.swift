/// What a check concluded for one target.
///
/// `error` means the check could not decide (missing or broken evidence). `confirm` means no
/// source can state the fact at all (what a provider's console holds): a person must confirm
/// it, as the reason says. Neither is ever counted as a pass; both gate like "could not decide"
/// until a waiver or the baseline accepts them.
public enum Outcome: Sendable, Hashable {
    case pass
    case fail
    case warn
    case skipped(String)
    case error(String)
    /// To confirm by hand: the reason is what to check, with the exact values.
    case confirm(String)

    /// The stable name used in JSON, SARIF and JUnit.
    public var name: String {
        switch self {
        case .pass: "pass"
        case .fail: "fail"
        case .warn: "warn"
        case .skipped: "skipped"
        case .error: "error"
        case .confirm: "confirm"
        }
    }

    /// Why the check was skipped or could not decide.
    public var reason: String? {
        switch self {
        case .skipped(let reason), .error(let reason), .confirm(let reason): reason
        default: nil
        }
    }

    /// Order in which outcomes are listed: what needs attention first.
    public var displayRank: Int {
        switch self {
        case .fail: 0
        case .error: 1
        case .confirm: 2
        case .warn: 3
        case .skipped: 4
        case .pass: 5
        }
    }
}

extension Outcome {
    /// The same outcome with its reason made safe to show (`OutsideText`).
    public var neutralized: Outcome {
        switch self {
        case .skipped(let reason): .skipped(OutsideText.neutralized(reason))
        case .error(let reason): .error(OutsideText.neutralized(reason))
        case .confirm(let reason): .confirm(OutsideText.neutralized(reason))
        default: self
        }
    }
}

extension Outcome {
    /// Could not decide, or must be confirmed by hand: the machine's answer is "not known".
    public var isUndecided: Bool {
        switch self {
        case .error, .confirm: true
        default: false
        }
    }
}
