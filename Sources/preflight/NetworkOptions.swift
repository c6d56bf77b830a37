import ArgumentParser
import Foundation
import Logging
import PreflightCore
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

    /// The DNS resolver of this run; a malformed DNS server is a usage error.
    func makeResolver() throws -> DNSResolver {
        do {
            return try DNSResolver(options: DNSResolverOptions(server: dnsServer, timeoutMs: dnsTimeoutMs, tries: dnsTries))
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The prober of one app: the shared resolver and caps of a fleet when given. The deadline
    /// is the app's, from now.
    func makeProber(secretKey: String?, platformToken: String? = nil, logger: Logger, sharing: ProbeSharing? = nil) throws -> LiveProber {
        var prober = LiveProber(
            http: sharing?.http ?? HTTPClient(options: httpOptions), dns: try sharing?.resolver ?? makeResolver(), secretKey: secretKey, platformToken: platformToken,
            deadline: Date().addingTimeInterval(Double(deadlineMs) / 1000), logger: logger)
        prober.sharing = sharing
        return prober
    }
}
