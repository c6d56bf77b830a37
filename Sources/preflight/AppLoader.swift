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
            guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("no such configuration file: \(file)") }
        } else if let name = Configuration.fileNames
            .first(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) {
            file = shown(name, in: path)
        } else {
            return Configuration()
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(file): \(error.localizedDescription)")
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
        guard let data = FileManager.default.contents(atPath: absolute) else {
            throw ValidationError("cannot read the instance snapshot \(file) (clerk.instance_snapshot): no such file")
        }
        do {
            let snapshot = try InstanceSnapshotLoader().load(text: String(decoding: data, as: UTF8.self), path: file)
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
