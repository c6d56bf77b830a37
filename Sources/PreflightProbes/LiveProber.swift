import Foundation
import Logging
import PreflightCore

/// Runs a set of probe requests concurrently: HTTP on the curl thread, DNS on the c-ares
/// thread. A run takes about as long as its slowest probe, not their sum.
public struct LiveProber: Sendable {
    public var http: HTTPClient
    public var dns: DNSResolver
    /// Sent as `Authorization: Bearer` on authenticated probes; never recorded.
    public var secretKey: String?
    /// The whole gathering must end by then; later probes get what time is left.
    public var deadline: Date?
    public var logger: Logger

    public init(http: HTTPClient, dns: DNSResolver, secretKey: String? = nil, deadline: Date? = nil, logger: Logger = Logger(label: "preflight")) {
        self.http = http
        self.dns = dns
        self.secretKey = secretKey
        self.deadline = deadline
        self.logger = logger
    }

    public func run(_ requests: Set<ProbeRequest>) async -> (dns: [DNSAnswer], http: [HTTPExchange]) {
        await withTaskGroup(of: ProbeOutput.self) { group in
            for request in requests {
                group.addTask { await self.run(request) }
            }
            var answers: [DNSAnswer] = []
            var exchanges: [HTTPExchange] = []
            for await output in group {
                switch output {
                case .dns(let answer): answers.append(answer)
                case .http(let exchange): exchanges.append(exchange)
                }
            }
            return (answers.sorted { $0.question < $1.question }, exchanges.sorted { $0.probe < $1.probe })
        }
    }

    enum ProbeOutput: Sendable {
        case dns(DNSAnswer)
        case http(HTTPExchange)
    }

    func run(_ request: ProbeRequest) async -> ProbeOutput {
        switch request {
        case .dns(let question):
            let answer = await dns.resolve(question)
            logger.debug("dns", metadata: ["question": "\(question)", "outcome": "\(answer.outcome.display)",
                                           "chain": "\(answer.chainDisplay)", "ms": "\(Int(answer.elapsedMs))"])
            return .dns(answer)
        case .http(let probe):
            var headers: [String: String] = ["Accept": "*/*"]
            if probe.authenticated {
                guard let secretKey else {
                    return .http(HTTPExchange(probe: probe, result: .failure(HTTPFailure(
                        kind: .transport, message: "no secret key in the environment for an authenticated request", url: probe.url))))
                }
                headers["Authorization"] = "Bearer \(secretKey)"
            }
            var timeout: Int?
            if let deadline {
                let left = Int(deadline.timeIntervalSinceNow * 1000)
                guard left > 0 else {
                    return .http(HTTPExchange(probe: probe, result: .failure(HTTPFailure(kind: .timeout, message: "the run's deadline passed before this request", url: probe.url))))
                }
                timeout = min(left, http.options.timeoutMs)
            }
            let result = await http.fetch(HTTPRequest(url: probe.url, headers: headers, certificates: probe.certificates, timeoutMs: timeout))
            switch result {
            case .response(let response):
                logger.debug("http", metadata: ["url": "\(probe.url)", "status": "\(response.status)", "bytes": "\(response.bodyBytes)",
                                                "ms": "\(Int(response.timings.totalMs))"])
            case .failure(let failure):
                logger.debug("http", metadata: ["url": "\(probe.url)", "failure": "\(failure)"])
            }
            return .http(HTTPExchange(probe: probe, result: result))
        }
    }
}
