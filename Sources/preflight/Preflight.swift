import ArgumentParser
import PreflightCore

/// The root command; `check` runs when no subcommand is named.
struct Preflight: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight",
        abstract: "Tells whether an application built on Clerk is ready for production.",
        discussion: """
            Exit codes: 0 ready, 1 not ready (a finding at or above --fail-on), \
            2 usage or configuration error, 3 could not decide (a gating check ended in error), \
            4 --wait ran out of time with network checks still failing.
            """,
        version: PreflightVersion.current,
        subcommands: [CheckCommand.self, ListCommand.self, ExplainCommand.self, ProbeCommand.self, SnapshotCommand.self, BaselineCommand.self, InitCommand.self, MergeCommand.self],
        defaultSubcommand: CheckCommand.self)
}
