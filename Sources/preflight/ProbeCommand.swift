import ArgumentParser
import Foundation
import Logging
import PreflightCore
import PreflightEngine
import PreflightProbes

extension Preflight {
    /// `preflight probe`: runs HTTP and DNS probes and the asset scan through the same layer
    /// `check` uses and prints what each saw. For debugging a setup, and for the benchmarks.
    struct ProbeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "probe", abstract: "Run HTTP and DNS probes and asset scans and print what they saw.")

        @Option(help: ArgumentHelp("Fetch URL (repeatable).", valueName: "url"))
        var http: [String] = []

        @Option(help: ArgumentHelp("Resolve NAME, of TYPE (A, AAAA, CNAME, TXT, CAA, MX; default A) (repeatable).", valueName: "name[:type]"))
        var dns: [String] = []

        @Option(help: ArgumentHelp("Scan a page and the scripts of its site for Clerk keys, development hosts and secret keys (repeatable).", valueName: "url"))
        var page: [String] = []

        @Option(help: ArgumentHelp("Scan a folder of built output for Clerk keys, development hosts and secret keys (repeatable).", valueName: "folder"))
        var assets: [String] = []

        @Flag(help: "Collect TLS certificates (fresh connections).")
        var certificates = false

        @Flag(help: "Print JSON.")
        var json = false

        @OptionGroup(title: "Network")
        var network: NetworkOptions

        func validate() throws {
            if http.isEmpty && dns.isEmpty && page.isEmpty && assets.isEmpty {
                throw ValidationError("give at least one --http, --dns, --page or --assets")
            }
        }

        func run() async throws {
            Console.standard.startLogging(level: .warning)
            var request = ProbeSession.Request()
            (request.http, request.dns, request.pages, request.assets, request.certificates) = (http, dns, page, assets, certificates)
            let outcome = try await ProbeSession(network: network.liveNetwork).run(request, logger: Logger(label: "preflight"))
            Console.standard.output(json ? try outcome.json() : outcome.lines().joined(separator: "\n") + "\n")
        }
    }
}
