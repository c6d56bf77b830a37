import ArgumentParser
import Foundation
import Logging
import PreflightChecks
import PreflightCore
import PreflightProbes

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
            let environment = ProcessInfo.processInfo.environment
            let console = Console.standard
            LoggingSystem.bootstrap { _ in RedactingLogHandler(level: .warning) }
            let logger = Logger(label: "preflight")
            let folder = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("no such folder: \(path)")
            }
            var configuration = try AppLoader.loadConfiguration(path: path, folder: folder, config: config, registry: BuiltinChecks.registry, console: console)
            clerk.apply(to: &configuration)
            SharedRedactor.shared.add(secrets: CheckCommand.secretValues(in: environment, configuration: configuration))

            let target = output ?? AppLoader.shown(configuration.clerk.instanceSnapshot ?? "clerk-instance.json", in: path)
            if FileKind.of(target, followLinks: false) != nil, !force {
                throw ValidationError("\(target) exists; pass --force to replace it")
            }
            let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: parent) else { throw ValidationError("cannot write \(target): \(parent) is not writable") }

            let secretKey = environment[configuration.clerk.secretKeyEnv].flatMap { $0.isEmpty ? nil : $0 }
            let platformToken = configuration.clerk.platformToken(in: environment)
            let prober = try network.makeProber(secretKey: secretKey, platformToken: platformToken, logger: logger)
            let gatherer = EvidenceGatherer(folder: folder, environment: environment, prober: prober, logger: logger)
            let evidence = await gatherer.gather(configuration: configuration, offline: false, plan: SnapshotStarter.probes)
            let clock = RunClock(environment: environment)
            let starter = SnapshotStarter.build(CheckContext(evidence: evidence, configuration: configuration, now: clock.now()), exportedAt: clock.now())
            do {
                try Data(starter.text.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                throw ValidationError("cannot write \(target): \(error.localizedDescription)")
            }
            var lines = ["wrote \(target)"]
            lines.append(starter.read.isEmpty ? "read: nothing (no publishable key, secret key or Platform API token reached Clerk)"
                                              : "read: " + starter.read.joined(separator: "; "))
            if starter.todo.isEmpty {
                lines.append("complete: every field was read")
            } else {
                lines.append("to fill in by hand (\(starter.todo.count)):")
                lines += starter.todo.map { "  \($0)" }
            }
            if configuration.clerk.instanceSnapshot == nil {
                lines.append("next: add `clerk:\\n  instance_snapshot: \(URL(fileURLWithPath: target).lastPathComponent)` to preflight.yml, then run `preflight check \(path)`")
            } else {
                lines.append("next: run `preflight check \(path)`")
            }
            // Paths and package names come from the disk: one safe line each.
            console.output(lines.map(OutsideText.neutralized).joined(separator: "\n") + "\n")
        }
    }
}
