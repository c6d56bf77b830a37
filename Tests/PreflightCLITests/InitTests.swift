import Foundation
import PreflightChecks
import PreflightCore
import PreflightTestSupport
import Testing

/// `preflight init`: a first preflight.yml that loads, on the examples and on fresh
/// Next.js- and Vite-shaped folders and a monorepo; never replacing a file unasked.
@Suite struct InitTests {
    /// The written file loads, and `preflight check` runs on it (0, 1 or 3, never 2).
    func expectUsable(_ folder: String) throws {
        let text = try String(contentsOfFile: "\(folder)/preflight.yml", encoding: .utf8)
        _ = try ConfigurationLoader(checks: BuiltinChecks.registry.descriptions).load(text: text, path: "preflight.yml")
        let checked = try Preflight.run(["check", folder, "--offline"])
        #expect([0, 1, 3].contains(checked.status), "\(checked.stdout)\(checked.stderr)")
    }

    /// A copy of an example without its preflight.yml.
    func example(_ name: String) throws -> AppFolder {
        let source = Golden.packageRoot.appendingPathComponent("Examples/\(name)")
        let app = try AppFolder([:])
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) where item != "preflight.yml" {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: app.url.appendingPathComponent(item))
        }
        return app
    }

    @Test(arguments: ["ready-app", "misconfigured-app"])
    func theExamples(name: String) throws {
        let app = try example(name)
        let result = try Preflight.run(["init", app.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("found: Next.js; @clerk/nextjs ^6.9.0"))
        #expect(result.stdout.contains("next: preflight check \(app.path)"))
        try expectUsable(app.path)
        let written = try String(contentsOfFile: "\(app.path)/preflight.yml", encoding: .utf8)
        if name == "ready-app" {
            #expect(written.contains("  webhooks:   # Preflight POSTs each one unsigned test event, which it must refuse\n    - path: /api/webhooks   # app/api/webhooks/route.ts\n"))
            #expect(written.contains("  domain: shop.example.com   # from the pk_live_ key in .env.production"))
            #expect(written.contains("  protected_paths: [/account, /orders]   # from the route matcher in middleware.ts"))
        } else {
            // Its production file holds a pk_test_ key, but the live key copied to .env.preview names the domain.
            #expect(written.contains("  domain: shop.example.net   # from the pk_live_ key in .env.preview"), "\(written)")
            #expect(written.contains("  webhooks:   # Preflight POSTs each one unsigned test event, which it must refuse\n    - path: /api/webhooks"))
        }
        #expect(written.contains("assets: [.next/static]"))
    }

    /// A webhook path is resolved on app.domain: without a domain the entry is written commented
    /// out, so the file still loads.
    @Test func webhooksWaitForTheDomain() throws {
        var detected = DetectedApp(path: "app")
        detected.webhookRoutes = [("/api/webhooks", "app/api/webhooks/route.ts")]
        let text = StarterConfiguration.render(detected)
        #expect(text.contains("  # webhooks:   # TODO: set app.domain, then uncomment"))
        #expect(text.contains("  #   - path: /api/webhooks   # app/api/webhooks/route.ts"))
        _ = try ConfigurationLoader(checks: BuiltinChecks.registry.descriptions).load(text: text, path: "preflight.yml")
    }

    @Test func aFreshNextApp() throws {
        let app = try AppFolder([
            "package.json": #"{"dependencies": {"next": "15.1.0", "@clerk/nextjs": "6.9.0", "react": "19.0.0"}}"#,
            ".env.local": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\nCLERK_SECRET_KEY=sk_test_x\n",
            "app/page.tsx": "export default function Page() { return null }\n",
        ])
        let result = try Preflight.run(["init", app.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("TODO: set app.domain"))
        let written = try String(contentsOfFile: "\(app.path)/preflight.yml", encoding: .utf8)
        #expect(written.contains("# env_files: [.env.production]   # TODO"))
        #expect(written.contains("# assets: [.next/static]   # TODO: build the app first (Next.js writes here)"))
        #expect(written.contains("  # webhooks:   # TODO: no route that handles Clerk's events was found"))
        #expect(written.contains("  # protected_paths: [/dashboard]   # TODO"))
        try expectUsable(app.path)
    }

    @Test func aFreshViteAppWithAProxy() throws {
        let app = try AppFolder([
            "package.json": #"{"dependencies": {"react": "19.0.0", "@clerk/clerk-react": "5.20.0"}, "devDependencies": {"vite": "6.0.0"}}"#,
            ".env.production": "VITE_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.app.example.org", instance: .production))\nVITE_CLERK_PROXY_URL=/__clerk\n",
            "dist/index.html": "<!doctype html>",
        ])
        let result = try Preflight.run(["init", app.path])
        #expect(result.status == 0)
        let written = try String(contentsOfFile: "\(app.path)/preflight.yml", encoding: .utf8)
        #expect(written.contains("  domain: app.example.org   # from the pk_live_ key in .env.production (clerk.app.example.org)"))
        #expect(written.contains("  env_files: [.env.production]"))
        #expect(written.contains("  assets: [dist]"))
        #expect(written.contains("# proxy_url: https://<domain>/__clerk   # TODO"))
        #expect(result.stdout.contains("found: Vite (React); @clerk/clerk-react 5.20.0"))
        try expectUsable(app.path)
    }

    @Test func aMonorepoGetsOneFilePerApp() throws {
        let root = try AppFolder([
            "package.json": #"{"private": true, "workspaces": ["apps/*", "packages/*"]}"#,
            "apps/web/package.json": #"{"dependencies": {"next": "15.1.0", "@clerk/nextjs": "6.9.0"}}"#,
            "apps/web/.env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.shop.example.com", instance: .production))\n",
            "apps/admin/package.json": #"{"dependencies": {"vite": "6.0.0", "react": "19.0.0", "@clerk/clerk-react": "5.20.0"}}"#,
            "packages/ui/package.json": #"{"dependencies": {"react": "19.0.0"}}"#,
        ])
        let result = try Preflight.run(["init", root.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("monorepo: 2 app(s)"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: "\(root.path)/apps/web/preflight.yml"))
        #expect(FileManager.default.fileExists(atPath: "\(root.path)/apps/admin/preflight.yml"))
        #expect(!FileManager.default.fileExists(atPath: "\(root.path)/packages/ui/preflight.yml"), "no Clerk there")
        #expect(!FileManager.default.fileExists(atPath: "\(root.path)/preflight.yml"))
        try expectUsable("\(root.path)/apps/web")
        try expectUsable("\(root.path)/apps/admin")
    }

    @Test func neverReplacesAFileUnasked() throws {
        let app = try AppFolder(["package.json": #"{"dependencies": {"@clerk/express": "1.3.0", "express": "4.21.0"}}"#, "preflight.yml": "# mine\n"])
        let refused = try Preflight.run(["init", app.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("already exists; pass --force to replace"))
        #expect(try String(contentsOfFile: "\(app.path)/preflight.yml", encoding: .utf8) == "# mine\n")
        let forced = try Preflight.run(["init", app.path, "--force"])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: "\(app.path)/preflight.yml", encoding: .utf8).contains("written by `preflight init`"))
        try expectUsable(app.path)
    }

    @Test func anUnwritableOrMissingFolderIsAUsageError() throws {
        #expect(try Preflight.run(["init", "/nonexistent/app"]).status == 2)
        // sysfs refuses new files even to root.
        if FileManager.default.fileExists(atPath: "/sys/kernel") {
            let result = try Preflight.run(["init", "/sys/kernel"])
            #expect(result.status == 2, "\(result.stdout)")
            #expect(result.stderr.contains("cannot write"))
        }
    }
}
