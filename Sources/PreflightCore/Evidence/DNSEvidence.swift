/// Record types Preflight asks for.
public enum DNSRecordType: String, Sendable, Hashable, Codable, CaseIterable {
    case a = "A", aaaa = "AAAA", cname = "CNAME", txt = "TXT", caa = "CAA", mx = "MX"

    /// The RR type number on the wire.
    public var code: Int32 {
        switch self {
        case .a: 1
        case .cname: 5
        case .mx: 15
        case .txt: 16
        case .aaaa: 28
        case .caa: 257
        }
    }
}

/// A DNS question; also the key under which its answer is kept, so each is asked once.
public struct DNSQuestion: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var name: String
    public var type: DNSRecordType

    public init(_ name: String, _ type: DNSRecordType) {
        self.name = ClerkHosts.normalize(name)
        self.type = type
    }

    public static func < (lhs: DNSQuestion, rhs: DNSQuestion) -> Bool { (lhs.name, lhs.type.rawValue) < (rhs.name, rhs.type.rawValue) }
    public var description: String { "\(name) \(type.rawValue)" }
}

/// One record of the asked type.
public struct DNSRecord: Sendable, Hashable, Codable {
    public var name: String
    public var type: DNSRecordType
    public var ttl: Int
    /// An address, a host name, TXT text, `flags tag "value"` for CAA, `preference host` for MX.
    public var value: String
    public init(name: String, type: DNSRecordType, ttl: Int, value: String) {
        self.name = name
        self.type = type
        self.ttl = ttl
        self.value = value
    }
}

/// How a question was answered. Every way of not getting an answer is kept apart: a check
/// that needed an answer reports `error` for the transport failures, and decides on the rest.
public enum DNSOutcome: Sendable, Hashable, Codable {
    /// Records of the asked type (possibly after a CNAME chain).
    case answer
    /// The name does not exist.
    case nxdomain
    /// The name exists but has no record of this type.
    case nodata
    /// A CNAME chain that ends without the asked type (its target does not exist or has no such record).
    case dangling
    case servfail
    case refused
    case timeout
    /// Anything else (no server reachable, malformed reply), with the resolver's words.
    case failed(String)

    /// Encoded as one string: `answer`, `nxdomain`, `nodata`, `dangling`, `servfail`,
    /// `refused`, `timeout`, or `failed: <reason>`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "answer": self = .answer
        case "nxdomain": self = .nxdomain
        case "nodata": self = .nodata
        case "dangling": self = .dangling
        case "servfail": self = .servfail
        case "refused": self = .refused
        case "timeout": self = .timeout
        default:
            guard text.hasPrefix("failed: ") else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown DNS outcome '\(text)'"))
            }
            self = .failed(String(text.dropFirst("failed: ".count)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .answer: try container.encode("answer")
        case .nxdomain: try container.encode("nxdomain")
        case .nodata: try container.encode("nodata")
        case .dangling: try container.encode("dangling")
        case .servfail: try container.encode("servfail")
        case .refused: try container.encode("refused")
        case .timeout: try container.encode("timeout")
        case .failed(let reason): try container.encode("failed: \(reason)")
        }
    }

    /// Whether the DNS itself failed to say anything (as opposed to saying "no").
    public var isTransportFailure: Bool {
        switch self {
        case .servfail, .refused, .timeout, .failed: true
        default: false
        }
    }

    public var display: String {
        switch self {
        case .answer: "answer"
        case .nxdomain: "NXDOMAIN"
        case .nodata: "no record of that type (NODATA)"
        case .dangling: "CNAME chain ends without an answer (dangling)"
        case .servfail: "SERVFAIL"
        case .refused: "REFUSED"
        case .timeout: "timeout"
        case .failed(let reason): reason
        }
    }
}

/// The answer to one question.
public struct DNSAnswer: Sendable, Hashable, Codable {
    public var question: DNSQuestion
    public var outcome: DNSOutcome
    /// The CNAME chain from the question's name: `[name, target1, target2, ...]`; just
    /// `[name]` when there is no CNAME.
    public var chain: [String]
    /// Records of the asked type, at the end of the chain.
    public var records: [DNSRecord]
    public var elapsedMs: Double

    public init(question: DNSQuestion, outcome: DNSOutcome, chain: [String]? = nil, records: [DNSRecord] = [], elapsedMs: Double = 0) {
        self.question = question
        self.outcome = outcome
        self.chain = chain ?? [question.name]
        self.records = records
        self.elapsedMs = elapsedMs
    }

    /// `clerk.example.com -> frontend-api.clerk.services`
    public var chainDisplay: String { chain.joined(separator: " -> ") }
}
