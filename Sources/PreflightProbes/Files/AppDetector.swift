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

    /// `readsRoutes`: also read the source for webhook routes and protected paths (what `init`
    /// writes); discovery, which only asks whether a folder is an app, does not pay for it.
    public func detect(folder: URL, shown: String, readsRoutes: Bool = false) -> DetectedApp {
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
        if readsRoutes, !app.clerkPackages.isEmpty {
            // The source, for the routes the live checks of the app's behaviour need.
            let sources = SourceScanner().scan(folder: folder)
            let handlerFiles = Set((sources.webhookHandlers ?? []).map(\.path) + sources.calls.filter { $0.kind == .verifyWebhook || $0.kind == .svixWebhook }.map(\.path))
            for file in handlerFiles.sorted() {
                if let route = Self.route(ofFile: file) {
                    if !app.webhookRoutes.contains(where: { $0.path == route }) { app.webhookRoutes.append((route, file)) }
                } else {
                    app.webhookFilesWithoutRoute.append(file)
                }
            }
            for name in Self.middlewareFiles {
                guard let data = try? BoundedFile.read(folder.appendingPathComponent(name).path, cap: BoundedFile.configurationCap) else { continue }
                let paths = Self.protectedPaths(inMiddleware: String(decoding: data, as: UTF8.self))
                if !paths.isEmpty {
                    app.protectedPaths = paths
                    app.protectedPathsFile = name
                    break
                }
            }
        }
        return app
    }

    /// Where Next.js (and others) put the middleware (Next.js 16 calls it proxy.ts).
    static let middlewareFiles = ["middleware.ts", "middleware.js", "src/middleware.ts", "src/middleware.js", "proxy.ts", "src/proxy.ts"]

    /// The URL path a route file serves, when its place says: Next.js's App Router
    /// (`app/api/webhooks/route.ts` -> `/api/webhooks`, route groups dropped) and Pages Router
    /// (`pages/api/webhooks.ts` -> `/api/webhooks`). A dynamic segment (`[id]`) says nothing.
    static func route(ofFile file: String) -> String? {
        var parts = file.split(separator: "/").map(String.init)
        if parts.first == "src" { parts.removeFirst() }
        guard let root = parts.first, parts.count >= 2 else { return nil }
        var segments: [String]
        if root == "app", parts.last?.hasPrefix("route.") == true {
            segments = Array(parts.dropFirst().dropLast()).filter { !($0.hasPrefix("(") && $0.hasSuffix(")")) }
        } else if root == "pages", parts.count >= 3, parts[1] == "api" {
            segments = Array(parts.dropFirst())
            let name = (segments.removeLast() as NSString).deletingPathExtension
            if name != "index" { segments.append(name) }
        } else {
            return nil
        }
        guard !segments.contains(where: { $0.contains("[") || $0.hasPrefix("@") }) else { return nil }
        return "/" + segments.joined(separator: "/")
    }

    /// The paths a middleware protects: the plain paths of a `createRouteMatcher([...])` whose
    /// variable is named as protecting (`isProtectedRoute`, `isPrivateRoute`, `isAdminRoute`),
    /// never a public one. `'/dashboard(.*)'` is `/dashboard`; a pattern with other regex is left out.
    static func protectedPaths(inMiddleware text: String) -> [String] {
        var paths: [String] = []
        var searchStart = text.startIndex
        while let range = text.range(of: "createRouteMatcher(", range: searchStart..<text.endIndex) {
            searchStart = range.upperBound
            let lineStart = text[..<range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
            let declaration = text[lineStart..<range.lowerBound].lowercased()
            guard !declaration.contains("public"), ["protect", "private", "admin", "dashboard", "signedin", "auth"].contains(where: declaration.contains) else { continue }
            let characters = Array(text.unicodeScalars)
            let open = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.upperBound) - 1
            guard let arguments = SourceScanner.arguments(characters, openingAt: open) else { continue }
            for literal in Self.stringLiterals(in: arguments) {
                var path = literal
                for suffix in ["(.*)", "(.*)?", "/:path*", "/(.*)"] where path.hasSuffix(suffix) { path = String(path.dropLast(suffix.count)) }
                if path.isEmpty { path = "/" }
                guard path.hasPrefix("/"), !path.contains(where: { "()*[]:?+|\\".contains($0) }), !paths.contains(path) else { continue }
                paths.append(path)
            }
        }
        return paths
    }

    /// The contents of the '…', "…" and `…` literals in `text` (no escapes inside).
    static func stringLiterals(in text: String) -> [String] {
        var literals: [String] = []
        var quote: Character?
        var current = ""
        for character in text {
            if let open = quote {
                if character == open {
                    literals.append(current)
                    quote = nil
                    current = ""
                } else {
                    current.append(character)
                }
            } else if character == "'" || character == "\"" || character == "`" {
                quote = character
            }
        }
        return literals
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
