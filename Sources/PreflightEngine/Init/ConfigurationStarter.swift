import Foundation
import PreflightCore
import PreflightProbes

/// `preflight init`: a commented `preflight.yml` from what an app's files show, one per app in
/// a monorepo. Never replaces a file unless told to.
public struct ConfigurationStarter: Sendable {
    public var files: any FileReading

    public init(files: any FileReading = LocalFileSystem()) {
        self.files = files
    }

    /// Writes the files and returns what to tell the user, a line each (made safe: paths and
    /// package names come from the disk).
    public func write(path: String, force: Bool) throws(EngineError) -> [String] {
        guard files.isDirectory(path) else { throw .usage("no such folder: \(path)") }
        let root = URL(fileURLWithPath: path)
        let detector = AppDetector()
        let here = detector.detect(folder: root, shown: path)
        // A folder with its own Clerk app is one app; a root without one may be a monorepo.
        var apps: [(folder: URL, shown: String)] = [(root, path)]
        if here.clerkPackages.isEmpty && here.keys.isEmpty {
            let members = detector.workspaces(root: root)
            if !members.isEmpty { apps = members.map { (root.appendingPathComponent($0), AppLoader.shown($0, in: path)) } }
        }
        let targets = apps.map { app in (app, app.folder.appendingPathComponent("preflight.yml")) }
        // Anything there counts, a link that loops or points nowhere too: only `force` replaces it.
        let existing = targets.filter { files.kind(of: $0.1.path, followLinks: false) != nil }.map { AppLoader.shown("preflight.yml", in: $0.0.shown) }
        if !existing.isEmpty && !force {
            throw .usage("\(existing.joined(separator: ", ")) already exist\(existing.count == 1 ? "s" : ""); pass --force to replace")
        }
        for (app, _) in targets where !FileManager.default.isWritableFile(atPath: app.folder.path) {
            throw .usage("cannot write \(AppLoader.shown("preflight.yml", in: app.shown)): \(app.shown) is not writable")
        }
        var lines: [String] = []
        if apps.count > 1 || apps[0].folder != root { lines.append("monorepo: \(apps.count) app(s) under \(path)") }
        for (app, target) in targets {
            let detected = detector.detect(folder: app.folder, shown: app.shown, readsRoutes: true)
            do {
                try Data(StarterConfiguration.render(detected).utf8).write(to: target, options: .atomic)
            } catch {
                throw .usage("cannot write \(target.path): \(error.localizedDescription)")
            }
            lines.append("wrote \(AppLoader.shown("preflight.yml", in: app.shown))")
            lines.append("  found: \(detected.summary)")
            if detected.domain == nil { lines.append("  TODO: set app.domain (no production publishable key names it)") }
            lines.append("  next: preflight check \(app.shown)")
        }
        if apps.count == 1 && apps[0].folder == root && here.clerkPackages.isEmpty && here.keys.isEmpty {
            lines.append("note: no Clerk SDK in package.json and no publishable key in the env files here; looked for apps under \(path)/apps/* and \(path)/packages/* and the package.json / pnpm-workspace.yaml workspaces too")
        }
        return lines.map(OutsideText.neutralized)
    }
}
