/// What a check needs to reach a conclusion. Ordered: each level implies the ones before.
public enum CheckNeeds: String, Sendable, Codable, CaseIterable, Comparable {
    /// Files only: env files, configuration, built assets, a snapshot.
    case offline
    /// Live DNS, TLS or HTTP probes.
    case network
    /// Clerk's Backend or Platform API with a secret key from the environment.
    case credentials

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: CheckNeeds, rhs: CheckNeeds) -> Bool { lhs.rank < rhs.rank }
}

/// A document that backs up a check's rationale.
public struct Reference: Sendable, Hashable, Codable {
    public var title: String
    public var url: String
    public init(_ title: String, _ url: String) {
        self.title = title
        self.url = url
    }
}

/// A check's self-description: the source of `preflight list`, `preflight explain`, the docs,
/// SARIF rules, and the example tests.
public struct CheckDescription: Sendable {
    /// Dotted, lowercase, phrased as the good state: `keys.publishable_key_live`. A contract:
    /// config key, waiver key, SARIF ruleId, JUnit test name. Never reused.
    public var id: String
    /// Short title, sentence case.
    public var title: String
    /// One line: what the check verifies.
    public var summary: String
    /// Why it matters in production.
    public var rationale: String
    /// What to do when it fails.
    public var hint: String
    public var references: [Reference]
    public var defaultSeverity: Severity
    public var tags: [String]
    public var needs: CheckNeeds
    /// Opt-in checks run only when enabled in the configuration or named with `--only`.
    public var optIn: Bool
    /// A network check that an instance snapshot alone can decide: with `--offline` and a
    /// snapshot configured it still runs, from the snapshot.
    public var decidesFromSnapshot: Bool
    /// Former ids that still select this check in configuration and flags.
    public var aliases: [String]
    /// Settings a user may give under `checks.<id>` besides `enabled` and `severity`.
    public var options: [CheckOption]
    /// Passing and failing inputs; each runs as a test.
    public var examples: [CheckExample]

    public init(
        id: String, title: String, summary: String, rationale: String, hint: String,
        references: [Reference] = [], defaultSeverity: Severity, tags: [String] = [],
        needs: CheckNeeds, optIn: Bool = false, decidesFromSnapshot: Bool = false, aliases: [String] = [], options: [CheckOption] = [],
        examples: [CheckExample]
    ) {
        self.decidesFromSnapshot = decidesFromSnapshot
        self.id = id
        self.title = title
        self.summary = summary
        self.rationale = rationale
        self.hint = hint
        self.references = references
        self.defaultSeverity = defaultSeverity
        self.tags = tags
        self.needs = needs
        self.optIn = optIn
        self.aliases = aliases
        self.options = options
        self.examples = examples
    }

    /// The pack is the first component of the id (`keys`, `dns`, ...).
    public var pack: String { String(id.split(separator: ".").first ?? Substring(id)) }

    /// The first reference, used as the docs link of findings.
    public var docsURL: String? { references.first?.url }
}

/// The value of a check option: a whole number (`warn_days: 30`) or a list of strings
/// (`extra_hosts: [https://cdn.example.com]`).
public enum OptionValue: Sendable, Hashable, CustomStringConvertible {
    case number(Int)
    case strings([String])

    public var description: String {
        switch self {
        case .number(let number): "\(number)"
        case .strings(let strings): strings.isEmpty ? "none" : strings.joined(separator: ", ")
        }
    }
}

/// A setting of a check, declared once as a typed value: its name in `preflight.yml`, what it
/// means, and its default (which also fixes its type). The check lists `declaration` in its
/// description and reads `context[Self.option]`: a misspelt option does not compile, and a
/// misspelt key in `preflight.yml` is a located error (the loader knows every declared name).
public struct OptionKey<Value: CheckOptionValue>: Sendable {
    public let name: String
    public let summary: String
    public let defaultValue: Value

    public init(_ name: String, summary: String, default defaultValue: Value) {
        self.name = name
        self.summary = summary
        self.defaultValue = defaultValue
    }

    /// What the description lists (and the loader, `explain` and the docs read).
    public var declaration: CheckOption { CheckOption(name: name, summary: summary, default: defaultValue.optionValue) }
}

/// The types an option can have: a whole number or a list of strings, as YAML gives them.
public protocol CheckOptionValue: Sendable {
    init?(option: OptionValue)
    var optionValue: OptionValue { get }
}

extension Int: CheckOptionValue {
    public init?(option: OptionValue) {
        guard case .number(let value) = option else { return nil }
        self = value
    }

    public var optionValue: OptionValue { .number(self) }
}

extension Array: CheckOptionValue where Element == String {
    public init?(option: OptionValue) {
        guard case .strings(let value) = option else { return nil }
        self = value
    }

    public var optionValue: OptionValue { .strings(self) }
}

/// A setting of a check as its description lists it (`checks.tls.certificates_valid.warn_days`);
/// made from an `OptionKey`.
public struct CheckOption: Sendable, Hashable {
    public var name: String
    public var summary: String
    /// Also fixes the option's type: a configured value must be of the same kind.
    public var defaultValue: OptionValue

    public init(name: String, summary: String, default defaultValue: OptionValue) {
        self.name = name
        self.summary = summary
        self.defaultValue = defaultValue
    }
}
