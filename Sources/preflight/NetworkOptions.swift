import ArgumentParser
import Foundation
import Logging
import PreflightCore
import PreflightEngine
import PreflightProbes

/// Flags that shape every live probe; shared by `check` and `probe`.
struct NetworkOptions: ParsableArguments {
    @Option(name: .customLong("resolve"), help: ArgumentHelp("Send HOST:PORT to ADDRESS, as curl's --resolve (repeatable).", valueName: "host:port:address"))
    var resolve: [String] = []

    @Option(name: .customLong("connect-to"), help: ArgumentHelp("Connect to CONNECT-HOST:CONNECT-PORT for HOST:PORT, as curl's --connect-to (repeatable).", valueName: "host:port:connect-host:connect-port"))
    var connectTo: [String] = []

    @Option(name: .customLong("ca-bundle"), help: ArgumentHelp("Trust the CAs in FILE instead of the system's.", valueName: "file"))
    var caBundle: String?

    @Option(name: .customLong("dns-server"), help: ArgumentHelp("Ask this DNS server (default: the system's resolvers).", valueName: "host:port"))
    var dnsServer: String?

    @Option(name: .customLong("timeout-ms"), help: "Time for one HTTP exchange.")
    var timeoutMs: Int = 10_000

    @Option(name: .customLong("dns-timeout-ms"), help: "Time for one try of one DNS query.")
    var dnsTimeoutMs: Int = 2_000

    @Option(name: .customLong("dns-tries"), help: "Tries per DNS query.")
    var dnsTries: Int = 2

    @Option(name: .customLong("deadline-ms"), help: "Time for all probes of one app together, and for reading its git repository.")
    var deadlineMs: Int = 60_000

    @Option(name: .customLong("body-cap"), help: "Largest body read, in bytes, counted after decompression.")
    var bodyCap: Int = 5 * 1024 * 1024

    @Option(name: .customLong("max-redirects"), help: "Redirects followed per request.")
    var maxRedirects: Int = 5

    func validate() throws {
        for (name, value) in [("timeout-ms", timeoutMs), ("dns-timeout-ms", dnsTimeoutMs), ("deadline-ms", deadlineMs), ("body-cap", bodyCap), ("dns-tries", dnsTries)] where value <= 0 {
            throw ValidationError("--\(name) must be positive")
        }
        for entry in resolve where entry.split(separator: ":", omittingEmptySubsequences: false).count < 3 {
            throw ValidationError("--resolve takes host:port:address, not '\(entry)'")
        }
        for entry in connectTo where entry.split(separator: ":", omittingEmptySubsequences: false).count != 4 {
            throw ValidationError("--connect-to takes host:port:connect-host:connect-port, not '\(entry)'")
        }
        // curl reads it later, blocking: only a regular file (a FIFO would hang every request).
        if let caBundle, FileKind.of(caBundle) != .regular {
            throw ValidationError(FileKind.of(caBundle).map { "the CA bundle \(caBundle) is \($0.rawValue), not a regular file" } ?? "no such CA bundle: \(caBundle)")
        }
    }

    var httpOptions: HTTPClientOptions {
        var options = HTTPClientOptions()
        options.resolve = resolve
        options.connectTo = connectTo
        options.caBundle = caBundle
        options.timeoutMs = timeoutMs
        options.bodyCap = bodyCap
        options.maxRedirects = maxRedirects
        return options
    }

    var dnsOptions: DNSResolverOptions {
        DNSResolverOptions(server: dnsServer, timeoutMs: dnsTimeoutMs, tries: dnsTries)
    }

    /// libcurl and c-ares with these options, for the engine.
    var liveNetwork: LiveNetwork {
        LiveNetwork(http: httpOptions, dns: dnsOptions, deadline: .milliseconds(deadlineMs))
    }

    /// The prober of `preflight probe`: no credentials, the deadline from now.
    func makeProber(logger: Logger) throws -> LiveProber {
        let network = liveNetwork
        return LiveProber(
            http: network.httpClient(), dns: try network.resolver(), deadline: Date().addingTimeInterval(Double(deadlineMs) / 1000), logger: logger)
    }
}

/// Where Clerk's APIs are; the Backend API's base also comes from `CLERK_API_URL`.
struct ClerkOptions: ParsableArguments {
    @Option(name: .customLong("clerk-api-url"), help: ArgumentHelp("Backend API base URL, without /v1 (default: $CLERK_API_URL, else https://api.clerk.com).", valueName: "url"))
    var apiURL: String?

    @Option(name: .customLong("clerk-platform-url"), help: ArgumentHelp("Platform API base URL (default: the Backend API's).", valueName: "url"))
    var platformURL: String?

    func validate() throws {
        for (flag, value) in [("clerk-api-url", apiURL), ("clerk-platform-url", platformURL)] {
            guard let value else { continue }
            guard let components = URLComponents(string: value), ["https", "http"].contains(components.scheme ?? ""), components.host?.isEmpty == false else {
                throw ValidationError("--\(flag) takes an http(s) URL, not '\(value)'")
            }
        }
    }
}
