import ArgumentParser
import Foundation
import PreflightEngine

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
            let lines = try ConfigurationStarter().write(path: path, force: force)
            Console.standard.output(lines.joined(separator: "\n") + "\n")
        }
    }
}
