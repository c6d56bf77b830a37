import Foundation
import PreflightCore
import PreflightProbes

/// The second stage's output: what `check` and `snapshot` read of an app before anything is
/// probed: the folder, `preflight.yml` and the instance snapshot.
public struct LoadedApp: Sendable {
    public var folder: URL
    public var configuration: Configuration
    public var snapshot: InstanceSnapshot?

    public init(folder: URL, configuration: Configuration, snapshot: InstanceSnapshot? = nil) {
        self.folder = folder
        self.configuration = configuration
        self.snapshot = snapshot
    }
}

/// Reads an app's folder, configuration and snapshot. Every problem is a usage error (exit 2)
/// that names its place; issues with a line and column are reported through `diagnostics`.
public struct AppLoader: Sendable {
    public var registry: CheckRegistry
    public var files: any FileReading
    public var clock: any EngineClock
    public var diagnostics: any Diagnostics

    public init(registry: CheckRegistry, files: any FileReading, clock: any EngineClock, diagnostics: any Diagnostics) {
        self.registry = registry
        self.files = files
        self.clock = clock
        self.diagnostics = diagnostics
    }

    public func load(path: String, config: String?) throws(EngineError) -> LoadedApp {
        guard files.isDirectory(path) else { throw .usage("no such folder: \(path)") }
        let folder = URL(fileURLWithPath: path)
        let configuration = try loadConfiguration(path: path, folder: folder, config: config)
        let snapshot = try loadSnapshot(configuration, path: path, folder: folder)
        return LoadedApp(folder: folder, configuration: configuration, snapshot: snapshot)
    }

    /// The app of a recording, configured as it was when recorded (its snapshot is in the evidence).
    public func load(recorded: EvidenceRecording.RecordedApp) throws(EngineError) -> LoadedApp {
        var configuration = Configuration()
        if let text = recorded.configText, let path = recorded.configPath {
            do {
                configuration = try ConfigurationLoader(checks: registry.descriptions).load(text: text, path: path)
            } catch {
                for issue in error.issues { diagnostics.warn("\(issue.description) (as recorded)") }
                throw .reported
            }
        }
        return LoadedApp(folder: URL(fileURLWithPath: recorded.path), configuration: configuration, snapshot: nil)
    }

    /// A path inside the app folder as the user would type it, so reports do not depend on the
    /// working directory.
    public static func shown(_ name: String, in path: String) -> String {
        name.hasPrefix("/") || path == "." ? name : (path.hasSuffix("/") ? path + name : path + "/" + name)
    }

    /// `--config`, or the first of `Configuration.fileNames` in the folder, or defaults.
    public func loadConfiguration(path: String, folder: URL, config: String?) throws(EngineError) -> Configuration {
        let file: String
        if let config {
            file = config
            guard files.kind(of: file, followLinks: false) != nil else { throw .usage("no such configuration file: \(file)") }
        } else if let name = Configuration.fileNames
            // Anything by that name counts, a broken link too: it is an error, never "no configuration".
            .first(where: { files.kind(of: folder.appendingPathComponent($0).path, followLinks: false) != nil }) {
            file = Self.shown(name, in: path)
        } else {
            return Configuration()
        }
        let text: String
        do {
            text = try files.readText(file, cap: BoundedFile.configurationCap)
        } catch {
            throw .usage("\(error)")
        }
        do {
            return try ConfigurationLoader(checks: registry.descriptions).load(text: text, path: file)
        } catch {
            for issue in error.issues { diagnostics.warn("\(issue.description)") }
            throw .reported
        }
    }

    /// `clerk.instance_snapshot`, read strictly; a snapshot exported more than 90 days before
    /// the run's clock is a warning.
    public func loadSnapshot(_ configuration: Configuration, path: String, folder: URL) throws(EngineError) -> InstanceSnapshot? {
        guard let name = configuration.clerk.instanceSnapshot else { return nil }
        let file = Self.shown(name, in: path)
        let absolute = name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
        let text: String
        do {
            text = try files.readText(absolute, cap: BoundedFile.snapshotCap)
        } catch {
            throw .usage("cannot read the instance snapshot (clerk.instance_snapshot): \(String(describing: error).replacingOccurrences(of: absolute, with: file))")
        }
        do {
            let snapshot = try InstanceSnapshotLoader().load(text: text, path: file)
            if let exported = snapshot.exportedAt.flatMap({ ISO8601DateFormatter().date(from: $0) }),
               clock.now().timeIntervalSince(exported) > 90 * 86_400 {
                diagnostics.warn("preflight: warning: \(file) was exported on \(snapshot.exportedAt!), more than 90 days ago; refresh it with `preflight snapshot`")
            }
            return snapshot
        } catch {
            for issue in error.issues { diagnostics.warn("\(issue.description)") }
            throw .reported
        }
    }

    /// Every app's folder, configuration and snapshot, read before anything is probed: a
    /// mistake in one app's files is found in seconds, not after hundreds of apps were checked,
    /// and every app's mistakes are listed at once.
    public func loadAll(_ targets: [AppPlan.Target]) throws(EngineError) -> [LoadedApp] {
        var loaded: [LoadedApp] = []
        var failed: [String] = []
        for target in targets {
            do {
                loaded.append(try load(path: target.path, config: target.config))
            } catch .usage(let message) {
                diagnostics.warn("preflight: \(target.name): \(message)")
                failed.append(target.name)
            } catch {
                failed.append(target.name)  // its issues are printed, each with file:line:column
            }
        }
        guard failed.isEmpty else {
            let named = failed.prefix(10).joined(separator: ", ") + (failed.count > 10 ? ", …" : "")
            diagnostics.warn("preflight: \(failed.count) of \(targets.count) apps cannot be read (\(named)); nothing was checked")
            throw .reported
        }
        return loaded
    }
}
