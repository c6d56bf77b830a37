import Foundation
import Logging
import PreflightCore
import PreflightProbes

/// `preflight probe`: HTTP and DNS probes and asset scans through the same layer `check` uses,
/// and what each saw. For debugging a setup, and for the benchmarks.
public struct ProbeSession: Sendable {
    public var network: any NetworkProviding
    public var files: any FileReading

    public init(network: any NetworkProviding, files: any FileReading = LocalFileSystem()) {
        self.network = network
        self.files = files
    }

    /// What to probe, as the command line names it.
    public struct Request: Sendable {
        public var http: [String] = []
        /// `name[:type]`, the type A when not given.
        public var dns: [String] = []
        public var pages: [String] = []
        public var assets: [String] = []
        public var certificates = false

        public init() {}

        /// The probe requests; an unknown DNS type is a usage error.
        func probes() throws(EngineError) -> Set<ProbeRequest> {
            var requests: Set<ProbeRequest> = []
            for url in http { requests.insert(.http(HTTPProbe(url: url, certificates: certificates))) }
            for url in pages { requests.insert(.page(url)) }
            for entry in dns {
                let parts = entry.split(separator: ":", maxSplits: 1)
                let typeName = parts.count > 1 ? parts[1].uppercased() : "A"
                guard let type = DNSRecordType(rawValue: typeName) else { throw .usage("unknown DNS type '\(typeName)'") }
                requests.insert(.dns(DNSQuestion(String(parts[0]), type)))
            }
            return requests
        }
    }

    /// What the probes saw, with the wall time and the process's peak memory.
    public struct Outcome: Encodable, Sendable {
        public var wallMs: Double
        public var peakRssBytes: Int
        public var dns: [DNSAnswer]
        public var http: [HTTPExchange]
        public var pages: [PageScan]
        public var assets: AssetScan?
        var probeCount: Int

        enum CodingKeys: String, CodingKey { case wallMs, peakRssBytes, dns, http, pages, assets }
    }

    public func run(_ request: Request, logger: Logger) async throws(EngineError) -> Outcome {
        let requests = try request.probes()
        let prober = LiveProber(
            http: network.httpClient(), dns: try network.resolver(),
            deadline: network.deadlineFromNow(), logger: logger)
        let started = DispatchTime.now()
        // Files and network at once, as `check` gathers them.
        let assets = request.assets
        let scanned = Task { assets.isEmpty ? nil : AssetScanner().scan(folder: URL(fileURLWithPath: "."), configured: assets) }
        let results = requests.isEmpty ? LiveProber.Results() : await prober.run(requests)
        let (answers, exchanges, pages) = (results.dns, results.http, results.pages)
        let assetScan = await scanned.value
        let wallMs = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
        return Outcome(
            wallMs: wallMs, peakRssBytes: Self.peakRSSBytes(), dns: answers, http: exchanges, pages: pages, assets: assetScan,
            probeCount: requests.count + (assetScan == nil ? 0 : 1))
    }

    /// The process's peak resident set size (Linux reports ru_maxrss in KiB).
    static func peakRSSBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

extension ProbeSession.Outcome {
    /// JSON, keys sorted and in snake case.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// One line per answer, exchange, page, script and asset hit. DNS answers, headers and
    /// failure messages come from outside: each line is made safe.
    public func lines() -> [String] {
        var lines: [String] = []
        for answer in dns {
            let values = answer.records.map(\.value).joined(separator: ", ")
            lines.append("dns  \(answer.question)  \(answer.outcome.display)  \(answer.chainDisplay)\(values.isEmpty ? "" : " = " + values)  (\(Int(answer.elapsedMs)) ms)")
        }
        for exchange in http {
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
        if let assets {
            for root in assets.roots {
                lines.append("assets \(root.path)  \(root.readError ?? "read")")
            }
            lines.append("assets  \(assets.filesScanned) files, \(assets.bytesScanned) bytes, \(assets.binaryFilesSkipped) binary skipped, \(assets.hits.count) hits")
            for hit in assets.hits {
                lines.append("     \(hit.match.kind.rawValue) \(hit.match.value) at \(hit.path):\(hit.match.line):\(hit.match.column)")
            }
            for file in assets.unreadableFiles { lines.append("     unreadable: \(file)") }
        }
        lines.append(String(format: "%d probes in %.0f ms wall; peak RSS %.1f MiB", probeCount, wallMs, Double(peakRssBytes) / 1_048_576))
        return lines.map(OutsideText.neutralized)
    }
}
