/// One problem in a configuration file, located.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `preflight.yml:4:3: unknown key 'domian' in 'app' (did you mean 'domain'?)`
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// A configuration that cannot be used; nothing is checked (exit 2).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigurationIssue]
    public init(_ issues: [ConfigurationIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
