/// An explicit list of checks. The built-in one lives in `PreflightChecks`; tests make their own.
public struct CheckRegistry: Sendable {
    public let checks: [any Check.Type]

    public init(_ checks: [any Check.Type]) {
        self.checks = checks
    }

    public var descriptions: [CheckDescription] { checks.map { $0.description } }

    /// Every id and alias, for suggestions.
    public var allIDs: [String] { descriptions.flatMap { [$0.id] + $0.aliases } }

    /// The check with this id or alias.
    public func check(id: String) -> (any Check.Type)? {
        checks.first { $0.description.id == id || $0.description.aliases.contains(id) }
    }

    /// "unknown check id 'x' (did you mean 'y'?)"
    public func unknownIDMessage(_ id: String) -> String {
        var message = "unknown check id '\(id)'"
        if let closest = EditDistance.closest(to: id, in: allIDs) { message += " (did you mean '\(closest)'?)" }
        return message
    }
}
