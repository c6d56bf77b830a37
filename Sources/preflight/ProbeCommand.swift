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
            var requests: Set<ProbeRequest> = []
            for url in http { requests.insert(.http(HTTPProbe(url: url, certificates: certificates))) }
            for url in page { requests.insert(.page(url)) }
            for entry in dns {
                let parts = entry.split(separator: ":", maxSplits: 1)
                let typeName = parts.count > 1 ? parts[1].uppercased() : "A"
                guard let type = DNSRecordType(rawValue: typeName) else { throw ValidationError("unknown DNS type '\(typeName)'") }
                requests.insert(.dns(DNSQuestion(String(parts[0]), type)))
            }
            LoggingSystem.bootstrap { _ in RedactingLogHandler(level: .warning) }
            let prober = try network.makeProber(logger: Logger(label: "preflight"))
            let started = DispatchTime.now()
            // Files and network at once, as `check` gathers them.
            let scanned = Task { assets.isEmpty ? nil : AssetScanner().scan(folder: URL(fileURLWithPath: "."), configured: assets) }
            let (answers, exchanges, pages) = requests.isEmpty ? ([], [], []) : await prober.run(requests)
            let assetScan = await scanned.value
            let wallMs = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
            let peakRSS = Self.peakRSSBytes()

            if json {
                struct Output: Encodable {
                    var wallMs: Double
                    var peakRssBytes: Int
                    var dns: [DNSAnswer]
                    var http: [HTTPExchange]
                    var pages: [PageScan]
                    var assets: AssetScan?
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.dateEncodingStrategy = .iso8601
                let data = try encoder.encode(Output(wallMs: wallMs, peakRssBytes: peakRSS, dns: answers, http: exchanges, pages: pages, assets: assetScan))
                Console.standard.output(String(decoding: data, as: UTF8.self) + "\n")
                return
            }
            var lines: [String] = []
            for answer in answers {
                let values = answer.records.map(\.value).joined(separator: ", ")
                lines.append("dns  \(answer.question)  \(answer.outcome.display)  \(answer.chainDisplay)\(values.isEmpty ? "" : " = " + values)  (\(Int(answer.elapsedMs)) ms)")
            }
            for exchange in exchanges {
                switch exchange.result {
                case .response(let response):
                    var line = "http \(exchange.probe.url)  \(response.status)  \(response.bodyBytes) bytes  (\(Int(response.timings.totalMs)) ms)"
                    if !response.redirects.isEmpty { line += "  via \(response.redirects.count) redirect(s)" }
                    lines.append(line)
                    for certificate in response.certificates ?? [] {
                        lines.append("     certificate \(certificate.subject), issuer \(certificate.issuer), not after \(certificate.notAfter.map { $0.formatted(.iso8601) } ?? "?")")
                    }
                case .failure(let failure):
                    lines.append("http \(exchange.probe.url)  \(failure.kind.rawValue)  \(failure.message)")
                }
            }
            for scan in pages {
                if let failure = scan.failure {
                    lines.append("page \(scan.url)  \(failure.kind.rawValue)  \(failure.message)")
                    continue
                }
                lines.append("page \(scan.url)  \(scan.status ?? 0)  \(scan.scripts.count) same-origin script(s) read, \(scan.scriptsNotRead.count) not read; robots: \(scan.facts.robots.joined(separator: "; "))")
                for match in scan.matches { lines.append("     \(match.kind.rawValue) \(match.value) at \(match.line):\(match.column)") }
                for script in scan.scripts {
                    for match in script.matches { lines.append("     \(match.kind.rawValue) \(match.value) in \(script.url) at \(match.line):\(match.column)") }
                    if let failure = script.failure { lines.append("     \(script.url): \(failure)") }
                }
            }
            if let assetScan {
                for root in assetScan.roots {
                    lines.append("assets \(root.path)  \(root.readError ?? "read")")
                }
                lines.append("assets  \(assetScan.filesScanned) files, \(assetScan.bytesScanned) bytes, \(assetScan.binaryFilesSkipped) binary skipped, \(assetScan.hits.count) hits")
                for hit in assetScan.hits {
                    lines.append("     \(hit.match.kind.rawValue) \(hit.match.value) at \(hit.path):\(hit.match.line):\(hit.match.column)")
                }
                for file in assetScan.unreadableFiles { lines.append("     unreadable: \(file)") }
            }
            lines.append(String(format: "%d probes in %.0f ms wall; peak RSS %.1f MiB", requests.count + (assetScan == nil ? 0 : 1), wallMs, Double(peakRSS) / 1_048_576))
            // DNS answers, headers and failure messages come from outside: one safe line each.
            Console.standard.output(lines.map(OutsideText.neutralized).joined(separator: "\n") + "\n")
        }

        /// The process's peak resident set size (Linux reports ru_maxrss in KiB).
        static func peakRSSBytes() -> Int {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss * 1024
        }
    }
}
