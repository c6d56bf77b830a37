/// Which checks to run, from flags.
public struct Selection: Sendable, Hashable {
    /// Only these ids (opt-in checks included when named).
    public var only: [String]
    public var skip: [String]
    /// Only checks with one of these tags.
    public var tags: [String]
    /// Network and credential checks are reported as skipped.
    public var offline: Bool

    public init(only: [String] = [], skip: [String] = [], tags: [String] = [], offline: Bool = false) {
        self.only = only
        self.skip = skip
        self.tags = tags
        self.offline = offline
    }
}

/// A flag named a check that does not exist: a usage error (exit 2).
public struct SelectionError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A check chosen to run, or to be reported as skipped.
public struct PlannedCheck: Sendable {
    public var check: any Check.Type
    /// Why it will not be evaluated; `nil` when it runs.
    public var skipReason: String?
}

extension CheckRegistry {
    /// Applies configuration and flags: enabled by default except opt-in ones; `--only`,
    /// `--skip`, `--tag`; `--offline` keeps network checks in the plan as skipped.
    public func plan(_ selection: Selection, configuration: Configuration) throws(SelectionError) -> [PlannedCheck] {
        func resolve(_ ids: [String]) throws(SelectionError) -> Set<String> {
            var resolved: Set<String> = []
            for id in ids {
                guard let check = check(id: id) else { throw SelectionError(unknownIDMessage(id)) }
                resolved.insert(check.description.id)
            }
            return resolved
        }
        let only = try resolve(selection.only)
        let skip = try resolve(selection.skip)
        let knownTags = Set(descriptions.flatMap(\.tags) + descriptions.map(\.pack))
        for tag in selection.tags where !knownTags.contains(tag) {
            var message = "unknown tag '\(tag)'"
            if let closest = EditDistance.closest(to: tag, in: knownTags.sorted()) { message += " (did you mean '\(closest)'?)" }
            throw SelectionError(message)
        }

        var planned: [PlannedCheck] = []
        for check in checks {
            let description = check.description
            let settings = configuration.checks[description.id]
            if skip.contains(description.id) { continue }
            if !only.isEmpty {
                guard only.contains(description.id) else { continue }
            } else {
                let enabled = settings?.enabled ?? !description.optIn
                guard enabled else { continue }
            }
            if !selection.tags.isEmpty {
                let tags = Set(description.tags + [description.pack])
                guard selection.tags.contains(where: tags.contains) else { continue }
            }
            let fromSnapshot = description.decidesFromSnapshot && configuration.clerk.instanceSnapshot != nil
            let skipReason: String? = selection.offline && description.needs >= .network && !fromSnapshot
                ? "needs the network; --offline was given" : nil
            planned.append(PlannedCheck(check: check, skipReason: skipReason))
        }
        return planned
    }
}
