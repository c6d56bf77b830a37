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
        do { try liveNetwork.validate() } catch { throw ValidationError(error.description) }
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
}

/// Where Clerk's APIs are; the Backend API's base also comes from `CLERK_API_URL`.
struct ClerkOptions: ParsableArguments {
    @Option(name: .customLong("clerk-api-url"), help: ArgumentHelp("Backend API base URL, without /v1 (default: $CLERK_API_URL, else https://api.clerk.com).", valueName: "url"))
    var apiURL: String?

    @Option(name: .customLong("clerk-platform-url"), help: ArgumentHelp("Platform API base URL (default: the Backend API's).", valueName: "url"))
    var platformURL: String?

    func validate() throws {
        do { try RunSettings.validateClerkURLs(api: apiURL, platform: platformURL) } catch { throw ValidationError(error.description) }
    }
}
