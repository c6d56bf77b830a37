import PreflightCore

/// `preflight list`, `preflight explain` and `docs/checks.md`, all from the check descriptions.
public enum CheckDocumentation {
    /// One line per check: id, default severity, needs, title.
    public static func list(_ checks: [CheckDescription]) -> String {
        let idWidth = max(2, checks.map(\.id.count).max() ?? 0)
        var lines = ["ID".padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  SEVERITY  NEEDS        TITLE"]
        for check in checks {
            var line = check.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            line += "  " + check.defaultSeverity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            line += "  " + check.needs.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            line += "  " + check.title + (check.optIn ? " (opt-in)" : "")
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The full description of one check, as plain text.
    public static func explain(_ check: CheckDescription) -> String {
        var lines = [check.id, String(repeating: "=", count: check.id.count), "", check.title, ""]
        lines += [check.summary, "", "Why it matters", "  " + check.rationale, "", "How to fix it", "  " + check.hint, ""]
        lines.append("Default severity: \(check.defaultSeverity.rawValue)")
        lines.append("Needs: \(check.needs.rawValue)")
        lines.append("Tags: \(check.tags.joined(separator: ", "))")
        if check.optIn { lines.append("Opt-in: enable it under checks.\(check.id) or name it with --only") }
        if !check.aliases.isEmpty { lines.append("Former ids: \(check.aliases.joined(separator: ", "))") }
        if !check.options.isEmpty {
            lines += ["", "Options (under checks.\(check.id))"]
            lines += check.options.map { "  \($0.name): \($0.summary) (default \($0.defaultValue))" }
        }
        if !check.references.isEmpty {
            lines += ["", "References"]
            lines += check.references.map { "  \($0.title): \($0.url)" }
        }
        lines += ["", "Examples"]
        for example in check.examples {
            lines.append("  \(example.title) -> \(example.expectation.rawValue)")
            lines += example.input.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The checks reference, `docs/checks.md`.
    public static func markdown(_ checks: [CheckDescription]) -> String {
        var lines = [
            "# Checks", "",
            "Generated from the check descriptions by `preflight explain --all --format markdown`; do not edit by hand.", "",
            "| id | severity | needs | title |", "|---|---|---|---|",
        ]
        lines += checks.map { "| [`\($0.id)`](#\(anchor($0.id))) | \($0.defaultSeverity.rawValue) | \($0.needs.rawValue) | \($0.title) |" }
        for check in checks {
            lines += ["", "## \(check.id)", "", "**\(check.title).** \(check.summary)", ""]
            lines += ["- Default severity: `\(check.defaultSeverity.rawValue)`", "- Needs: `\(check.needs.rawValue)`",
                      "- Tags: \(check.tags.map { "`\($0)`" }.joined(separator: ", "))"]
            if check.optIn { lines.append("- Opt-in") }
            if !check.aliases.isEmpty { lines.append("- Former ids: \(check.aliases.map { "`\($0)`" }.joined(separator: ", "))") }
            lines += ["", "**Why.** \(check.rationale)", "", "**Fix.** \(check.hint)"]
            if !check.options.isEmpty {
                lines += ["", "**Options.**", ""]
                lines += check.options.map { "- `\($0.name)`: \($0.summary) (default \($0.defaultValue))" }
            }
            if !check.references.isEmpty {
                lines += ["", "**References.**", ""]
                lines += check.references.map { "- [\($0.title)](\($0.url))" }
            }
            lines += ["", "**Examples.**"]
            for example in check.examples {
                lines += ["", "\(example.title): *\(example.expectation.rawValue)*", "", "```", example.input, "```"]
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// GitHub's heading anchor: lowercase, dots dropped.
    static func anchor(_ id: String) -> String {
        id.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
