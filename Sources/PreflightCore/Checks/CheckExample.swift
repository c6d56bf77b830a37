/// A passing or failing input of a check. Shown by `preflight explain`, run as a test.
public struct CheckExample: Sendable {
    public enum Expectation: String, Sendable, CaseIterable {
        /// Every result passes.
        case pass
        /// At least one result is a problem.
        case problem
        /// At least one result could not decide, and none is a problem.
        case undecided
        /// Every result is not applicable.
        case notApplicable = "not applicable"
        /// At least one result must be confirmed by hand, and none is a problem.
        case toConfirm = "to confirm by hand"
    }

    public var title: String
    /// The input as a person would write it (an env file, a preflight.yml excerpt), for docs.
    public var input: String
    public var expectation: Expectation
    /// Builds the context the check is evaluated in.
    public var context: @Sendable () -> CheckContext

    public init(
        _ title: String, input: String, expect expectation: Expectation,
        context: @escaping @Sendable () -> CheckContext
    ) {
        self.title = title
        self.input = input
        self.expectation = expectation
        self.context = context
    }

    /// Whether `results` meet the expectation; returns a reason when they do not.
    public func mismatch(in results: [CheckResult]) -> String? {
        let statuses = results.map(\.status)
        let problems = statuses.filter { $0 == .problem }.count
        let undecided = statuses.filter { if case .undecided = $0 { true } else { false } }.count
        let notApplicable = statuses.filter { if case .notApplicable = $0 { true } else { false } }.count
        let passes = statuses.filter { $0 == .pass }.count
        let toConfirm = statuses.filter { if case .toConfirm = $0 { true } else { false } }.count
        if results.isEmpty { return "the check returned no result" }
        switch expectation {
        case .pass where passes == results.count: return nil
        case .problem where problems > 0: return nil
        case .undecided where undecided > 0 && problems == 0: return nil
        case .notApplicable where notApplicable == results.count: return nil
        case .toConfirm where toConfirm > 0 && problems == 0: return nil
        default:
            let got = results.map { "\($0.status): \($0.message)" }.joined(separator: "; ")
            return "expected \(expectation.rawValue), got \(got)"
        }
    }
}
