import Foundation
import PreflightCore
import PreflightProbes
import Yams

/// The first stage: which apps a run checks. The folders given, the entries of `--apps FILE`,
/// or the apps a monorepo's root holds; then `--shard` keeps a stable share of them.
public struct AppPlan: Sendable {
    public struct Target: Sendable, Hashable {
        /// Unique in the run; names the app in every report.
        public var name: String
        public var path: String
        public var config: String?

        public init(name: String, path: String, config: String? = nil) {
            self.name = name
            self.path = path
            self.config = config
        }
    }

    public var targets: [Target]
    /// Several apps (or a fleet file, a shard, a discovered monorepo), reported per app.
    public var isFleet: Bool
    /// What was checked, for the report's header.
    public var display: String

    public init(targets: [Target], isFleet: Bool, display: String) {
        self.targets = targets
        self.isFleet = isFleet
        self.display = display
    }

    /// The apps of `paths`, `appsFile` and a monorepo's root, named uniquely, then `shard`'s share.
    public static func resolve(
        paths: [String], appsFile: String?, config: String?, shard: Shard?, files: any FileReading = LocalFileSystem(),
        diagnostics: any Diagnostics
    ) throws(EngineError) -> AppPlan {
        var targets: [Target] = []
        var isFleet = appsFile != nil || shard != nil || paths.count > 1
        if let appsFile { targets += try readAppsFile(appsFile, files: files) }
        targets += paths.map { Target(name: $0, path: $0) }
        if targets.isEmpty { targets = [Target(name: ".", path: ".")] }

        // A monorepo's root without a preflight.yml of its own: its apps.
        if targets.count == 1, appsFile == nil, config == nil {
            let root = URL(fileURLWithPath: targets[0].path)
            let hasConfig = Configuration.fileNames.contains { files.kind(of: root.appendingPathComponent($0).path, followLinks: false) != nil }
            if !hasConfig {
                let members = AppDetector().workspaces(root: root)
                if !members.isEmpty {
                    targets = members.map { Target(name: $0, path: AppLoader.shown($0, in: targets[0].path)) }
                    isFleet = true
                    diagnostics.warn("preflight: no preflight.yml in \(root.relativePath); checking the \(members.count) app(s) found under it: \(members.joined(separator: ", "))")
                } else {
                    let detected = AppDetector().detect(folder: root, shown: targets[0].path)
                    if detected.clerkPackages.isEmpty && detected.keys.isEmpty {
                        diagnostics.warn("preflight: no preflight.yml in \(targets[0].path), and no app found under it (looked at package.json and pnpm-workspace.yaml workspaces, apps/*, packages/*): checking it as one app")
                    }
                }
            }
        }
        if config != nil {
            guard targets.count == 1 else { throw .usage("--config applies to one app; give each app its config in --apps FILE") }
            targets[0].config = config
        }
        var seen: Set<String> = []
        for target in targets where !seen.insert(target.name).inserted {
            throw .usage("two apps are named '\(target.name)': give them names in --apps FILE")
        }
        if let shard {
            targets = targets.filter { shard.contains($0.name) }
        }
        if isFleet && targets.isEmpty {
            diagnostics.warn("preflight: shard \(shard?.description ?? "") holds no app")
        }
        return AppPlan(targets: targets, isFleet: isFleet, display: appsFile ?? paths.joined(separator: " "))
    }

    /// `--apps FILE`: a YAML list; each entry a path (a glob is expanded) or {path, name, config}.
    /// Paths are relative to the file's folder, and so are the names they give: an app is named
    /// the same however the file is reached (`apps.yml`, `ci/../apps.yml`, an absolute path),
    /// so its shard and its findings' fingerprints (which hold the name) do not change.
    static func readAppsFile(_ file: String, files: any FileReading) throws(EngineError) -> [Target] {
        let text: String
        do { text = try files.readText(file, cap: BoundedFile.configurationCap) } catch { throw .usage("cannot read the apps file: \(error)") }
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().relativePath
        func resolved(_ path: String) -> String { path.hasPrefix("/") || base == "." ? path : base + "/" + path }
        /// A match of `resolved(path)` as the file names it.
        func written(_ match: String, _ path: String) -> String {
            path.hasPrefix("/") || base == "." || !match.hasPrefix(base + "/") ? match : String(match.dropFirst(base.count + 1))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .usage("\(file): invalid YAML: \(error)")
        }
        guard case .sequence(let entries)? = node else { throw .usage("\(file): expected a list of app folders") }
        var targets: [Target] = []
        for entry in entries {
            // file:line:column, as a malformed preflight.yml is named.
            let line = "\(entry.mark?.line ?? 1):\(entry.mark?.column ?? 1)"
            if let path = entry.string, case .scalar = entry {
                let matches = expand(resolved(path), files: files)
                if matches.isEmpty { throw .usage("\(file):\(line): '\(path)' names no folder") }
                targets += matches.map { Target(name: written($0, path), path: $0) }
            } else if case .mapping(let mapping) = entry {
                var fields: [String: String] = [:]
                for (key, value) in mapping {
                    guard let key = key.string, ["path", "name", "config"].contains(key) else {
                        throw .usage("\(file):\(line): an app entry takes path, name and config")
                    }
                    fields[key] = value.string
                }
                guard let path = fields["path"] else { throw .usage("\(file):\(line): an app entry needs a path") }
                let folder = resolved(path)
                targets.append(Target(name: fields["name"] ?? path, path: folder, config: fields["config"].map(resolved)))
            } else {
                throw .usage("\(file):\(line): an app entry is a path or {path, name, config}")
            }
        }
        return targets
    }

    /// Folders a glob names (glob(3), on the disk), sorted; a plain path stands for itself when
    /// it is a folder.
    static func expand(_ pattern: String, files: any FileReading) -> [String] {
        guard pattern.contains("*") || pattern.contains("?") || pattern.contains("[") else {
            return files.isDirectory(pattern) ? [pattern] : []
        }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, GLOB_ONLYDIR, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
            .filter { FileKind.of($0) == .directory }.sorted()
    }
}
