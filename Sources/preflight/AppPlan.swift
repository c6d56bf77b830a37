import ArgumentParser
import Foundation
import PreflightCore
import PreflightProbes
import Yams

/// Which apps a run checks: the folders given, the entries of `--apps FILE`, or the apps a
/// monorepo's root holds; then `--shard` keeps a stable share of them.
struct AppPlan {
    struct Target: Sendable {
        /// Unique in the run; names the app in every report.
        var name: String
        var path: String
        var config: String?
    }

    var targets: [Target]
    /// Several apps (or a fleet file, a shard, a discovered monorepo), reported per app.
    var isFleet: Bool
    /// What was checked, for the report's header.
    var display: String

    static func resolve(paths: [String], appsFile: String?, config: String?, shard: Shard?, console: Console) throws -> AppPlan {
        var targets: [Target] = []
        var isFleet = appsFile != nil || shard != nil || paths.count > 1
        if let appsFile { targets += try readAppsFile(appsFile) }
        targets += paths.map { Target(name: $0, path: $0) }
        if targets.isEmpty { targets = [Target(name: ".", path: ".")] }

        // A monorepo's root without a preflight.yml of its own: its apps.
        if targets.count == 1, appsFile == nil, config == nil {
            let root = URL(fileURLWithPath: targets[0].path)
            let hasConfig = Configuration.fileNames.contains { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
            if !hasConfig {
                let members = AppDetector().workspaces(root: root)
                if !members.isEmpty {
                    targets = members.map { Target(name: $0, path: AppLoader.shown($0, in: targets[0].path)) }
                    isFleet = true
                    console.error("preflight: no preflight.yml in \(root.relativePath); checking the \(members.count) app(s) found under it: \(members.joined(separator: ", "))")
                } else {
                    let detected = AppDetector().detect(folder: root, shown: targets[0].path)
                    if detected.clerkPackages.isEmpty && detected.keys.isEmpty {
                        console.error("preflight: no preflight.yml in \(targets[0].path), and no app found under it (looked at package.json and pnpm-workspace.yaml workspaces, apps/*, packages/*): checking it as one app")
                    }
                }
            }
        }
        if config != nil {
            guard targets.count == 1 else { throw ValidationError("--config applies to one app; give each app its config in --apps FILE") }
            targets[0].config = config
        }
        var seen: Set<String> = []
        for target in targets where !seen.insert(target.name).inserted {
            throw ValidationError("two apps are named '\(target.name)': give them names in --apps FILE")
        }
        if let shard {
            targets = targets.filter { shard.contains($0.name) }
        }
        if isFleet && targets.isEmpty {
            console.error("preflight: shard \(shard.map { "\($0.index)/\($0.count)" } ?? "") holds no app")
        }
        return AppPlan(targets: targets, isFleet: isFleet, display: appsFile ?? paths.joined(separator: " "))
    }

    /// `--apps FILE`: a YAML list; each entry a path (a glob is expanded) or {path, name, config}.
    /// Paths are relative to the file's folder, and so are the names they give: an app is named
    /// the same however the file is reached (`apps.yml`, `ci/../apps.yml`, an absolute path),
    /// so its shard and its findings' fingerprints (which hold the name) do not change.
    static func readAppsFile(_ file: String) throws -> [Target] {
        let text: String
        do { text = try BoundedFile.readText(file, cap: BoundedFile.configurationCap) } catch { throw ValidationError("cannot read the apps file: \(error)") }
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
            throw ValidationError("\(file): invalid YAML: \(error)")
        }
        guard case .sequence(let entries)? = node else { throw ValidationError("\(file): expected a list of app folders") }
        var targets: [Target] = []
        for entry in entries {
            // file:line:column, as a malformed preflight.yml is named.
            let line = "\(entry.mark?.line ?? 1):\(entry.mark?.column ?? 1)"
            if let path = entry.string, case .scalar = entry {
                let matches = expand(resolved(path))
                if matches.isEmpty { throw ValidationError("\(file):\(line): '\(path)' names no folder") }
                targets += matches.map { Target(name: written($0, path), path: $0) }
            } else if case .mapping(let mapping) = entry {
                var fields: [String: String] = [:]
                for (key, value) in mapping {
                    guard let key = key.string, ["path", "name", "config"].contains(key) else {
                        throw ValidationError("\(file):\(line): an app entry takes path, name and config")
                    }
                    fields[key] = value.string
                }
                guard let path = fields["path"] else { throw ValidationError("\(file):\(line): an app entry needs a path") }
                let folder = resolved(path)
                targets.append(Target(name: fields["name"] ?? path, path: folder, config: fields["config"].map(resolved)))
            } else {
                throw ValidationError("\(file):\(line): an app entry is a path or {path, name, config}")
            }
        }
        return targets
    }

    /// Folders a glob names (glob(3)), sorted; a plain path stands for itself when it exists.
    static func expand(_ pattern: String) -> [String] {
        guard pattern.contains("*") || pattern.contains("?") || pattern.contains("[") else {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: pattern, isDirectory: &isDirectory) && isDirectory.boolValue ? [pattern] : []
        }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, GLOB_ONLYDIR, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
            .filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }.sorted()
    }
}

/// `--shard I/N`: the apps whose name hashes to share I of N. By name, so an app keeps its
/// shard when others are added.
struct Shard: ExpressibleByArgument, Sendable {
    var index: Int
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// Whether an app is in this share: by a hash of its name (the fingerprint's FNV-1a, stable
    /// across runs, platforms and Swift versions), so an app stays in its shard when others are
    /// added, and any N runs cover every app exactly once.
    func contains(_ name: String) -> Bool {
        let hash = UInt64(Fingerprint.of(checkID: "shard", targetIdentity: name), radix: 16) ?? 0
        // The hash's high bits pick the share (FNV-1a's low bits mix poorly): hash * N / 2^64.
        return Int(hash.multipliedFullWidth(by: UInt64(count)).high) == index - 1
    }
}

/// "[12/40 apps] 3 not ready, 2 waiting" on standard error while a fleet runs, on a terminal
/// only; nothing of it reaches standard output or the report files.
actor FleetProgress {
    let total: Int
    private var finished = 0
    private var failing = 0
    /// Apps between --wait attempts, by name.
    private var waiting: Set<String> = []

    init(total: Int) {
        self.total = total
    }

    /// Shown from the start, so a long first app is not a blank terminal.
    func start() {
        redraw()
    }

    /// `app` is waiting for its records or certificates (--wait).
    func waits(_ app: String) {
        guard waiting.insert(app).inserted else { return }
        redraw()
    }

    func finished(_ app: String, failing isFailing: Bool) {
        finished += 1
        if isFailing { failing += 1 }
        waiting.remove(app)
        redraw()
    }

    private func redraw() {
        var line = "[\(finished)/\(total) apps]"
        if finished > 0 { line += " \(failing) not ready" }
        if !waiting.isEmpty { line += (finished > 0 ? "," : "") + " \(waiting.count) waiting" }
        draw(line)
    }

    func done() {
        draw(nil)
    }

    private func draw(_ line: String?) {
        StatusLine.shared.show(line)
    }
}
