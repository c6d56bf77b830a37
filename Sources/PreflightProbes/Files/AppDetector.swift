import Foundation
import PreflightCore

/// What `preflight init` learns from an app folder without running anything: its framework and
/// Clerk SDKs (package.json), its env files, its build output, and the publishable keys (a
/// `pk_live_` key's host gives the production domain). In a monorepo, which folders are apps.
public struct AppDetector: Sendable {
    public init() {}

    /// Frameworks by package, most specific first (a Vite app may also list react-router).
    static let frameworks: [(package: String, name: String, output: String)] = [
        ("next", "Next.js", ".next/static"),
        ("@tanstack/react-start", "TanStack Start", ".output/public"),
        ("@tanstack/start", "TanStack Start", ".output/public"),
        ("@react-router/dev", "React Router", "build/client"),
        ("astro", "Astro", "dist"),
        ("nuxt", "Nuxt", ".output/public"),
        ("expo", "Expo", "dist"),
        ("vite", "Vite", "dist"),
        ("express", "Express", ""),
        ("fastify", "Fastify", ""),
        ("hono", "Hono", ""),
    ]

    public func detect(folder: URL, shown: String) -> DetectedApp {
        var app = DetectedApp(path: shown)
        let manager = FileManager.default
        if let data = try? BoundedFile.read(folder.appendingPathComponent("package.json").path, cap: BoundedFile.configurationCap),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            app.hasPackageJSON = true
            var dependencies: [String: String] = [:]
            for key in ["dependencies", "devDependencies"] {
                for (name, version) in json[key] as? [String: Any] ?? [:] { dependencies[name] = version as? String ?? "" }
            }
            app.clerkPackages = dependencies.keys.filter { $0.hasPrefix("@clerk/") }.sorted().map { "\($0) \(dependencies[$0]!)" }
            for framework in Self.frameworks where dependencies[framework.package] != nil {
                if framework.name == "Vite", dependencies["react"] != nil {
                    app.frameworks.append("Vite (React)")
                } else if !app.frameworks.contains(framework.name) {
                    app.frameworks.append(framework.name)
                }
                if app.expectedOutput == nil, !framework.output.isEmpty { app.expectedOutput = framework.output }
            }
        }
        let names = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        app.envFiles = names.filter { $0 == ".env" || ($0.hasPrefix(".env.") && !$0.hasSuffix(".example") && !$0.hasSuffix(".sample") && !$0.hasSuffix(".template")) }.sorted()
        app.productionEnvFiles = AppSettings.defaultEnvFiles.filter(app.envFiles.contains)
        app.buildOutput = AppSettings.defaultAssetFolders.filter { path in
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        // Publishable keys, production files first, so a live key there decides the domain.
        let ordered = app.productionEnvFiles + app.envFiles.filter { !app.productionEnvFiles.contains($0) }
        for file in ordered {
            guard let data = try? BoundedFile.read(folder.appendingPathComponent(file).path, cap: BoundedFile.configurationCap) else { continue }
            for entry in Dotenv.parse(String(decoding: data, as: UTF8.self)).effective {
                guard let variable = ClerkVariable(name: entry.key) else { continue }
                switch variable.kind {
                case .publishableKey:
                    if let key = try? PublishableKey(entry.value) {
                        app.keys.append(DetectedApp.Key(file: file, variable: entry.key, instance: key.instance, host: key.frontendAPIHost))
                    }
                case .proxyURL where app.proxyURL == nil && !entry.value.isEmpty:
                    app.proxyURL = entry.value
                default:
                    break
                }
            }
        }
        return app
    }

    /// Folders under `root` that are apps of a monorepo: the workspaces of package.json or
    /// pnpm-workspace.yaml (`apps/*`, `packages/*` patterns), else `apps/*` and `packages/*`;
    /// an app is a folder with its own preflight.yml, a Clerk SDK in package.json, or env files
    /// with Clerk variables.
    public func workspaces(root: URL) -> [String] {
        let manager = FileManager.default
        var patterns: [String] = []
        if let data = try? BoundedFile.read(root.appendingPathComponent("package.json").path, cap: BoundedFile.configurationCap),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let list = json["workspaces"] as? [String] { patterns += list }
            if let object = json["workspaces"] as? [String: Any], let list = object["packages"] as? [String] { patterns += list }
        }
        if let data = try? BoundedFile.read(root.appendingPathComponent("pnpm-workspace.yaml").path, cap: BoundedFile.configurationCap) {
            // `packages:` then `- 'apps/*'` lines: the one shape pnpm documents.
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix("- ") else { continue }
                patterns.append(trimmed.dropFirst(2).trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")))
            }
        }
        if patterns.isEmpty { patterns = ["apps/*", "packages/*"] }
        var folders: [String] = []
        for pattern in patterns where !pattern.hasPrefix("!") {
            if pattern.hasSuffix("/*") {
                let parent = String(pattern.dropLast(2))
                let children = (try? manager.contentsOfDirectory(atPath: root.appendingPathComponent(parent).path)) ?? []
                folders += children.sorted().map { "\(parent)/\($0)" }
            } else if !pattern.contains("*") {
                folders.append(pattern)
            }
        }
        return folders.filter { isApp(root.appendingPathComponent($0)) }
    }

    func isApp(_ folder: URL) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return false }
        if Configuration.fileNames.contains(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) { return true }
        let app = detect(folder: folder, shown: folder.lastPathComponent)
        return !app.clerkPackages.isEmpty || !app.keys.isEmpty
    }
}
