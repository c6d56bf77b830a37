import ArgumentParser
import Foundation
import PreflightCore

/// What `check` and `snapshot` read before anything is probed: the folder, `preflight.yml` and
/// the instance snapshot. Every problem here is a usage error (exit 2) that names its place.
struct LoadedApp: Sendable {
    var folder: URL
    var configuration: Configuration
    var snapshot: InstanceSnapshot?
}

enum AppLoader {
    static func load(path: String, config: String?, registry: CheckRegistry, console: Console) throws -> LoadedApp {
        let folder = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("no such folder: \(path)")
        }
        let configuration = try loadConfiguration(path: path, folder: folder, config: config, registry: registry, console: console)
        let snapshot = try loadSnapshot(configuration, path: path, folder: folder, console: console)
        return LoadedApp(folder: folder, configuration: configuration, snapshot: snapshot)
    }

    /// The app of a recording, configured as it was when recorded (its snapshot is in the evidence).
    static func load(recorded: EvidenceRecording.RecordedApp, registry: CheckRegistry, console: Console) throws -> LoadedApp {
        var configuration = Configuration()
        if let text = recorded.configText, let path = recorded.configPath {
            do {
                configuration = try ConfigurationLoader(checks: registry.descriptions).load(text: text, path: path)
            } catch {
                for issue in error.issues { console.error("\(issue.description) (as recorded)") }
                throw ExitCode(ExitStatus.usage)
            }
        }
        return LoadedApp(folder: URL(fileURLWithPath: recorded.path), configuration: configuration, snapshot: nil)
    }

    /// A path inside the app folder as the user would type it, so reports do not depend on the
    /// working directory.
    static func shown(_ name: String, in path: String) -> String {
        name.hasPrefix("/") || path == "." ? name : (path.hasSuffix("/") ? path + name : path + "/" + name)
    }

    /// `--config`, or the first of `Configuration.fileNames` in the folder, or defaults.
    static func loadConfiguration(path: String, folder: URL, config: String?, registry: CheckRegistry, console: Console) throws -> Configuration {
        let file: String
        if let config {
            file = config
            guard FileKind.of(file, followLinks: false) != nil else { throw ValidationError("no such configuration file: \(file)") }
        } else if let name = Configuration.fileNames
            // Anything by that name counts, a broken link too: it is an error, never "no configuration".
            .first(where: { FileKind.of(folder.appendingPathComponent($0).path, followLinks: false) != nil }) {
            file = shown(name, in: path)
        } else {
            return Configuration()
        }
        let text: String
        do {
            text = try BoundedFile.readText(file, cap: BoundedFile.configurationCap)
        } catch {
            throw ValidationError("\(error)")
        }
        do {
            return try ConfigurationLoader(checks: registry.descriptions).load(text: text, path: file)
        } catch {
            for issue in error.issues { console.error("\(issue.description)") }
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// `clerk.instance_snapshot`, read strictly; a snapshot older than 90 days is a warning.
    static func loadSnapshot(_ configuration: Configuration, path: String, folder: URL, console: Console) throws -> InstanceSnapshot? {
        guard let name = configuration.clerk.instanceSnapshot else { return nil }
        let file = shown(name, in: path)
        let absolute = name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path
        let text: String
        do {
            text = try BoundedFile.readText(absolute, cap: BoundedFile.snapshotCap)
        } catch {
            throw ValidationError("cannot read the instance snapshot (clerk.instance_snapshot): \(String(describing: error).replacingOccurrences(of: absolute, with: file))")
        }
        do {
            let snapshot = try InstanceSnapshotLoader().load(text: text, path: file)
            if let exported = snapshot.exportedAt.flatMap({ ISO8601DateFormatter().date(from: $0) }),
               Date().timeIntervalSince(exported) > 90 * 86_400 {
                console.error("preflight: warning: \(file) was exported on \(snapshot.exportedAt!), more than 90 days ago; refresh it with `preflight snapshot`")
            }
            return snapshot
        } catch {
            for issue in error.issues { console.error("\(issue.description)") }
            throw ExitCode(ExitStatus.usage)
        }
    }
}

/// Where Clerk's APIs are; the Backend API's base also comes from `CLERK_API_URL`.
struct ClerkOptions: ParsableArguments {
    @Option(name: .customLong("clerk-api-url"), help: ArgumentHelp("Backend API base URL, without /v1 (default: $CLERK_API_URL, else https://api.clerk.com).", valueName: "url"))
    var apiURL: String?

    @Option(name: .customLong("clerk-platform-url"), help: ArgumentHelp("Platform API base URL (default: the Backend API's).", valueName: "url"))
    var platformURL: String?

    func validate() throws {
        for (flag, value) in [("clerk-api-url", apiURL), ("clerk-platform-url", platformURL)] {
            guard let value else { continue }
            guard let components = URLComponents(string: value), ["https", "http"].contains(components.scheme ?? ""), components.host?.isEmpty == false else {
                throw ValidationError("--\(flag) takes an http(s) URL, not '\(value)'")
            }
        }
    }

    func apply(to configuration: inout Configuration) {
        if let apiURL { configuration.clerk.apiURL = apiURL }
        if let platformURL { configuration.clerk.platformURL = platformURL }
    }
}
