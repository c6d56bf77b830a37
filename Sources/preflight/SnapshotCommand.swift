import ArgumentParser
import Foundation
import Logging
import PreflightChecks
import PreflightCore
import PreflightEngine

extension Preflight {
    /// `preflight snapshot [PATH]`: writes a starter instance snapshot from what Clerk's APIs
    /// show, with `null` where a person must complete it.
    struct SnapshotCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Write a starter instance snapshot (clerk.instance_snapshot) from what Clerk's APIs show.",
            discussion: """
                Reads the Frontend API (from the publishable key), the Backend API (with the secret key \
                in $CLERK_SECRET_KEY or clerk.secret_key_env) and the Platform API (with a token in \
                $CLERK_PLATFORM_API_KEY and clerk.application_id / clerk.instance_id). Fields no key can \
                read are written as null and listed: fill them in from the Clerk Dashboard.
                """)

        @Argument(help: "The application folder (holds preflight.yml and the env files).")
        var path: String = "."

        @Option(help: "The configuration file (default: preflight.yml in PATH).")
        var config: String?

        @Option(help: "Where to write (default: clerk.instance_snapshot, else clerk-instance.json in PATH).")
        var output: String?

        @Flag(help: "Replace an existing file.")
        var force = false

        @OptionGroup(title: "Network")
        var network: NetworkOptions

        @OptionGroup(title: "Clerk")
        var clerk: ClerkOptions

        func run() async throws {
            let console = Console.standard
            console.startLogging(level: .warning)
            let writer = SnapshotWriter(
                services: .production(network: network.liveNetwork, diagnostics: console, redactor: console.redactor), registry: BuiltinChecks.registry)
            let written = try await writer.write(
                path: path, config: config, output: output, force: force, clerkAPIURL: clerk.apiURL, clerkPlatformURL: clerk.platformURL)
            console.output(written.lines(folder: path).joined(separator: "\n") + "\n")
        }
    }
}
