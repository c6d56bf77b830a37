import ArgumentParser
import Foundation
import PreflightCore
import PreflightEngine
import PreflightProbes

extension Preflight {
    /// `preflight init [PATH]`: a first `preflight.yml` in one command.
    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write a commented preflight.yml from what the app's files show (one per app in a monorepo).",
            discussion: """
                Looks at package.json (Next.js, Vite, React Router, TanStack Start, Astro, Nuxt, Expo, \
                Express, Fastify, Hono with Clerk's SDKs), the env files, the build output and the \
                publishable keys (a pk_live_ key's host gives the production domain). What it cannot \
                decide is left as a commented TODO. Never replaces a file without --force.
                """)

        @Argument(help: "The app folder, or a monorepo's root.")
        var path: String = "."

        @Flag(help: "Replace existing preflight.yml files.")
        var force = false

        func run() throws {
            let console = Console.standard
            let root = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("no such folder: \(path)")
            }
            let detector = AppDetector()
            let here = detector.detect(folder: root, shown: path)
            // A folder with its own Clerk app is one app; a root without one may be a monorepo.
            var apps: [(folder: URL, shown: String)] = [(root, path)]
            if here.clerkPackages.isEmpty && here.keys.isEmpty {
                let members = detector.workspaces(root: root)
                if !members.isEmpty { apps = members.map { (root.appendingPathComponent($0), AppLoader.shown($0, in: path)) } }
            }
            let targets = apps.map { app in (app, app.folder.appendingPathComponent("preflight.yml")) }
            // Anything there counts, a link that loops or points nowhere too: only --force replaces it.
            let existing = targets.filter { FileKind.of($0.1.path, followLinks: false) != nil }.map { AppLoader.shown("preflight.yml", in: $0.0.shown) }
            if !existing.isEmpty && !force {
                throw ValidationError("\(existing.joined(separator: ", ")) already exist\(existing.count == 1 ? "s" : ""); pass --force to replace")
            }
            for (app, _) in targets where !FileManager.default.isWritableFile(atPath: app.folder.path) {
                throw ValidationError("cannot write \(AppLoader.shown("preflight.yml", in: app.shown)): \(app.shown) is not writable")
            }
            var lines: [String] = []
            if apps.count > 1 || apps[0].folder != root { lines.append("monorepo: \(apps.count) app(s) under \(path)") }
            for (app, target) in targets {
                let detected = detector.detect(folder: app.folder, shown: app.shown)
                do {
                    try Data(StarterConfiguration.render(detected).utf8).write(to: target, options: .atomic)
                } catch {
                    throw ValidationError("cannot write \(target.path): \(error.localizedDescription)")
                }
                lines.append("wrote \(AppLoader.shown("preflight.yml", in: app.shown))")
                lines.append("  found: \(detected.summary)")
                if detected.domain == nil { lines.append("  TODO: set app.domain (no production publishable key names it)") }
                lines.append("  next: preflight check \(app.shown)")
            }
            if apps.count == 1 && apps[0].folder == root && here.clerkPackages.isEmpty && here.keys.isEmpty {
                lines.append("note: no Clerk SDK in package.json and no publishable key in the env files here; looked for apps under \(path)/apps/* and \(path)/packages/* and the package.json / pnpm-workspace.yaml workspaces too")
            }
            // Paths and package names come from the disk: one safe line each.
            console.output(lines.map(OutsideText.neutralized).joined(separator: "\n") + "\n")
        }
    }
}
