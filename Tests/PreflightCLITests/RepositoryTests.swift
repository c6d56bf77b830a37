import Foundation
import PreflightTestSupport
import Testing

/// The repository checks on real git repositories made by the `git` command and read by
/// Preflight through libgit2, and the source-code checks on Next.js- and Vite-shaped apps.
@Suite struct RepositoryTests {
    static let clerkKey = "sk_test_Qm9nd3NTZWNyZXRLZXlDb21taXR0ZWQwMTIzNDU2Nzg5"

    /// A folder with `files`, made a git repository with everything committed but what
    /// .gitignore lists.
    static func repository(_ files: [String: String]) throws -> AppFolder {
        let app = try AppFolder(files)
        try git(app.path, "init", "-q", "-b", "main")
        try git(app.path, "add", "-A")
        try git(app.path, "commit", "-q", "-m", "first commit")
        return app
    }

    @discardableResult
    static func git(_ folder: String, _ arguments: String...) throws -> String {
        let git = try #require(ChildProcess.which("git"))
        let result = try ChildProcess.run(git, ["-C", folder, "-c", "user.name=Preflight Test", "-c", "user.email=test@example.com",
                                                "-c", "commit.gpgsign=false"] + arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": folder])
        #expect(result.status == 0, "git \(arguments): \(result.stderr)")
        return result.stdout
    }

    func findings(_ stdout: String) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    @Test func aCommittedClerkKeyIsFoundOnceAndHistoryRemembersIt() throws {
        let app = try Self.repository([
            ".env": """
                CLERK_SECRET_KEY=\(Self.clerkKey)
                STRIPE_SECRET_KEY=sk_test_51H8xyzStripeSecretKeyExampleNotClerk000000000000000000000000000000000000000000000000000000000
                CLERK_SECRET_KEY_EXAMPLE=sk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx

                """,
            ".gitignore": ".env.local\n",
            ".env.local": "CLERK_SECRET_KEY=sk_live_IgnoredLocalKeyNeverCommitted000000000000000\n",
            "preflight.yml": "app:\n  domain: example.com\n",
        ])
        let only = ["--only", "leakage.no_committed_secret_keys", "--format", "json"]
        let tracked = try Preflight.run(["check", app.path] + only)
        #expect(tracked.status == 1, "\(tracked.stdout)")
        let found = try findings(tracked.stdout)
        #expect(found.count == 1, "\(found)")
        #expect((found.first?["target"] as? [String: Any])?["display"] as? String == ".env:1:18 (sk_test_…Nzg5)")
        #expect((found.first?["message"] as? String)?.contains("rotate it") == true)
        #expect(!tracked.stdout.contains("Qm9nd3NTZWNyZXRLZXlDb21taXR0ZWQw"), "the key itself is never shown")

        // Removed from the tree: the working-tree check passes; history still has it, with its commit.
        try Self.git(app.path, "rm", "-q", ".env")
        try Self.git(app.path, "commit", "-q", "-m", "remove env")
        let removed = try Preflight.run(["check", app.path] + only)
        #expect(removed.status == 0, "\(removed.stdout)")
        #expect(try findings(removed.stdout).first?["outcome"] as? String == "pass")

        let first = try Self.git(app.path, "rev-list", "--max-parents=0", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let history = try Preflight.run(["check", app.path, "--history"] + only)
        #expect(history.status == 1)
        let historic = try findings(history.stdout)
        #expect(historic.count == 1, "\(historic)")
        let message = try #require(historic.first?["message"] as? String)
        #expect(message.contains("is in the history of .env (commit \(first.prefix(12)))"), "\(message)")
    }

    /// `--history` on a repository that cannot be read whole never passes: the check is an
    /// error naming what went wrong, within the deadline (libgit2 spins on a truncated object).
    @Test(arguments: ["truncated loose object", "garbage HEAD", "HEAD on a missing branch", "half a pack", "shallow clone"])
    func aHistoryThatCannotBeReadWholeIsAnError(_ damage: String) throws {
        let app = try Self.repository(["src/a.txt": (1...300).map { "line \($0) of some text" }.joined(separator: "\n"),
                                       "preflight.yml": "app:\n  domain: example.com\n"])
        try "more\n".write(toFile: app.path + "/src/b.txt", atomically: true, encoding: .utf8)
        try Self.git(app.path, "add", "-A")
        try Self.git(app.path, "commit", "-q", "-m", "second")
        var folder = app.path
        var expected = ""
        switch damage {
        case "truncated loose object":
            let id = try Self.git(app.path, "rev-parse", "HEAD~1:src/a.txt").trimmingCharacters(in: .whitespacesAndNewlines)
            let object = "\(app.path)/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))"
            let data = try Data(contentsOf: URL(fileURLWithPath: object))
            chmod(object, 0o644)
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: object))
            expected = "could not read the git repository"
        case "garbage HEAD":
            try "\u{1B}[2Jnot a ref at all\n".write(toFile: app.path + "/.git/HEAD", atomically: true, encoding: .utf8)
            expected = "the history was not read whole: cannot read HEAD"
        case "HEAD on a missing branch":
            try "ref: refs/heads/gone\n".write(toFile: app.path + "/.git/HEAD", atomically: true, encoding: .utf8)
            expected = "HEAD names a branch that does not exist"
        case "half a pack":
            try Self.git(app.path, "gc", "-q", "--aggressive")
            let packs = try FileManager.default.contentsOfDirectory(atPath: app.path + "/.git/objects/pack").filter { $0.hasSuffix(".pack") }
            let pack = app.path + "/.git/objects/pack/" + (try #require(packs.first))
            let data = try Data(contentsOf: URL(fileURLWithPath: pack))
            chmod(pack, 0o644)
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: pack))
            expected = "the history was not read whole"
        default:
            let clone = app.path + "-shallow"
            try Self.git(app.path, "clone", "-q", "--depth", "1", "file://" + app.path, clone)
            folder = clone
            expected = "the repository is a shallow clone"
        }
        defer { if folder != app.path { try? FileManager.default.removeItem(atPath: folder) } }
        let started = Date()
        let result = try Preflight.run(["check", folder, "--history", "--only", "leakage.no_committed_secret_keys", "--format", "json",
                                        "--offline", "--deadline-ms", "3000"])
        #expect(Date().timeIntervalSince(started) < 15)
        let finding = try #require(try findings(result.stdout).first, "\(result.stderr)")
        #expect(finding["outcome"] as? String == "error", "\(damage): \(finding)")
        #expect((finding["message"] as? String ?? "").contains(expected), "\(damage): \(finding["message"] ?? "")")
        #expect(result.status == 3)
        if damage == "shallow clone" {
            let accepted = try Preflight.run(["check", folder, "--history=available", "--only", "leakage.no_committed_secret_keys", "--format", "json", "--offline"])
            #expect(try findings(accepted.stdout).first?["outcome"] as? String == "pass", "\(accepted.stdout)")
        }
    }

    /// A NUL near the start makes a file binary, but not one named as text: a committed .env
    /// with one is read, on disk and in history.
    @Test func aNULNeverHidesAnEnvFile() throws {
        let app = try Self.repository([".env": "\u{0}\nCLERK_SECRET_KEY=\(Self.clerkKey)\n", "preflight.yml": "app:\n  domain: example.com\n"])
        let only = ["--only", "leakage.no_committed_secret_keys", "--format", "json", "--offline"]
        #expect(try Preflight.run(["check", app.path] + only).status == 1)
        try Self.git(app.path, "rm", "-q", ".env")
        try Self.git(app.path, "commit", "-q", "-m", "remove env")
        let history = try Preflight.run(["check", app.path, "--history"] + only)
        #expect(history.status == 1, "\(history.stdout)")
        #expect((try findings(history.stdout).first?["message"] as? String)?.contains("is in the history of .env") == true)
    }

    /// Development keys and hosts hard-coded in committed source and config are found where they
    /// sit; the committed .env.development and docs, where they belong, are not reported.
    @Test func developmentValuesInCommittedSourceAreReported() throws {
        let devKey = "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk"
        let app = try Self.repository([
            "src/lib/clerk.ts": "import { Clerk } from '@clerk/clerk-js'\nexport const clerk = new Clerk(\"\(devKey)\")\n",
            "next.config.js": "module.exports = { images: { domains: ['img.clerk.com', 'happy-hippo-42.accounts.dev'] } }\n",
            ".env.development": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(devKey)\n",
            "README.md": "Use \(devKey) locally.\n",
            "preflight.yml": "app:\n  domain: example.com\n  env_files: []\n",
        ])
        let result = try Preflight.run(["check", app.path, "--offline", "--format", "json", "--only", "leakage.no_development_keys,leakage.no_development_hosts"])
        #expect(result.status == 1, "\(result.stdout)")
        let problems = try findings(result.stdout).filter { $0["outcome"] as? String == "fail" }
            .map { "\($0["check_id"] as? String ?? "") \(($0["target"] as? [String: Any])?["display"] as? String ?? "")" }.sorted()
        #expect(problems == ["leakage.no_development_hosts next.config.js:1:58 (happy-hippo-42.accounts.dev)",
                             "leakage.no_development_keys src/lib/clerk.ts:2:33 (\(devKey))"], "\(problems)")
    }

    @Test func outsideARepositoryTheCheckDoesNotApply() throws {
        let app = try AppFolder(["preflight.yml": "app:\n  domain: example.com\n", ".env": "CLERK_SECRET_KEY=\(Self.clerkKey)\n"])
        let result = try Preflight.run(["check", app.path, "--only", "leakage.no_committed_secret_keys", "--format", "json"])
        let finding = try #require(try findings(result.stdout).first)
        #expect(finding["outcome"] as? String == "skipped")
        #expect(finding["message"] as? String == "the app folder is not in a git repository")
    }

    static let next = [
        "package.json": #"{"dependencies": {"next": "15.1.0", "@clerk/nextjs": "6.9.0"}}"#,
        "preflight.yml": "app:\n  domain: example.com\n",
    ]
    static let vite = [
        "package.json": #"{"dependencies": {"vite": "6.0.0", "react": "19.0.0", "@clerk/clerk-react": "5.20.0", "@clerk/express": "1.3.0", "svix": "1.45.0"}}"#,
        "preflight.yml": "app:\n  domain: example.com\n",
    ]

    /// Outcome of each source check on an app.
    func outcomes(_ files: [String: String]) throws -> [String: String] {
        let app = try AppFolder(files)
        let result = try Preflight.run(["check", app.path, "--offline", "--tag", "code", "--format", "json"])
        return Dictionary(try findings(result.stdout).map { ($0["check_id"] as! String, $0["outcome"] as! String) }) { a, b in a == "pass" ? b : a }
    }

    @Test func nextAppsWithAndWithoutTheProductionSettings() throws {
        let good = try outcomes(Self.next.merging([
            "middleware.ts": """
                import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'
                const isProtected = createRouteMatcher(['/dashboard(.*)'])
                export default clerkMiddleware(async (auth, req) => {
                  if (isProtected(req)) await auth.protect() // (a comment with a paren
                }, { authorizedParties: ['https://example.com', 'https://www.example.com'] })
                """,
            "app/api/webhooks/route.ts": """
                import { verifyWebhook } from '@clerk/nextjs/webhooks'
                export async function POST(req) { const evt = await verifyWebhook(req); return new Response('ok') }
                """,
            ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\nCLERK_WEBHOOK_SIGNING_SECRET=whsec_productionEndpointSecret0000000000\n",
            ".env.development": "CLERK_WEBHOOK_SIGNING_SECRET=whsec_developmentEndpointSecret00000000\n",
        ]) { $1 })
        #expect(good["app.authorized_parties_set"] == "pass")
        #expect(good["app.webhook_signing_secret_set"] == "pass")

        let bad = try outcomes(Self.next.merging([
            "src/middleware.ts": "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware()\n",
            "app/api/webhooks/clerk/route.ts": "import { verifyWebhook } from '@clerk/nextjs/webhooks'\nexport const POST = async (req) => verifyWebhook(req)\n",
            ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\n",
        ]) { $1 })
        #expect(bad["app.authorized_parties_set"] == "fail")
        #expect(bad["app.webhook_signing_secret_set"] == "fail")
    }

    @Test func viteAppsWithAnExpressServer() throws {
        let good = try outcomes(Self.vite.merging([
            "server/index.ts": """
                import { clerkMiddleware } from '@clerk/express'
                import { Webhook } from 'svix'
                app.use(clerkMiddleware({ authorizedParties: ["https://example.com"] }))
                app.post('/webhooks', (req, res) => { const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET); wh.verify(req.body, req.headers) })
                """,
            "src/main.tsx": "import { ClerkProvider } from '@clerk/clerk-react'\n",
            ".env.production": "VITE_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\nCLERK_WEBHOOK_SECRET=whsec_productionSvixSecret0000000000000\n",
        ]) { $1 })
        #expect(good["app.authorized_parties_set"] == "pass")
        #expect(good["app.webhook_signing_secret_set"] == "pass")

        let dynamicAndReused = try outcomes(Self.vite.merging([
            "server/index.ts": """
                import { clerkMiddleware } from '@clerk/express'
                import { Webhook } from 'svix'
                app.use(clerkMiddleware({ authorizedParties: [process.env.APP_ORIGIN] }))
                const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET)
                """,
            ".env.production": "VITE_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\nCLERK_WEBHOOK_SECRET=whsec_sameAsDevelopment00000000000000000\n",
            ".env.development": "CLERK_WEBHOOK_SECRET=whsec_sameAsDevelopment00000000000000000\n",
        ]) { $1 })
        #expect(dynamicAndReused["app.authorized_parties_set"] == "warn", "a list built at run time cannot be confirmed")
        #expect(dynamicAndReused["app.webhook_signing_secret_set"] == "fail")
    }

    @Test func noCheckPassesOnCodeItDidNotSee() throws {
        // Clerk calls only in build output, dependencies and ignored files: none is the app's code.
        let app = try Self.repository(Self.next.merging([
            "node_modules/@clerk/nextjs/dist/server.js": "export function clerkMiddleware(options) { return options }\nclerkMiddleware({ authorizedParties: ['https://example.com'] })\n",
            ".next/server/middleware.js": "clerkMiddleware({ authorizedParties: ['https://example.com'] })\n",
            "generated/middleware.ts": "clerkMiddleware({ authorizedParties: ['https://example.com'] })\n",
            ".gitignore": "generated/\nnode_modules/\n.next/\n",
            "src/app.tsx": "export const App = () => null\n",
        ]) { $1 })
        let result = try Preflight.run(["check", app.path, "--offline", "--tag", "code", "--format", "json"])
        for finding in try findings(result.stdout) {
            #expect(finding["outcome"] as? String == "skipped", "\(finding)")
        }
    }
}
