import Foundation

/// What an HTTP probe asks for. It is also the key under which its result is kept, so the
/// same request made for two checks is sent once. Headers that carry credentials are not
/// part of it: they are added by the gatherer and never recorded.
public struct HTTPProbe: Sendable, Hashable, Codable, Comparable {
    public var url: String
    /// Open a fresh connection and collect the certificate chain.
    public var certificates: Bool
    /// Send the Clerk secret key as a bearer token (Backend API).
    public var authenticated: Bool
    /// Send the Platform API key as a bearer token; secret fields of the answer are scrubbed
    /// before it becomes evidence.
    public var platform: Bool
    /// Follow redirects (each hop recorded); `false` keeps the redirect itself as the answer.
    public var followRedirects: Bool
    /// `POST` with `body`; nil is `GET`. Only a check's own harmless request is posted (the
    /// unsigned test event of `webhooks.endpoint_rejects_unsigned`), never with a credential.
    public var method: String?
    public var body: String?
    /// Headers the check sends (never a credential: those are the gatherer's, and not kept).
    public var headers: [String: String]?

    public init(
        url: String, certificates: Bool = false, authenticated: Bool = false, platform: Bool = false, followRedirects: Bool = true,
        method: String? = nil, body: String? = nil, headers: [String: String]? = nil
    ) {
        self.url = url
        self.certificates = certificates
        self.authenticated = authenticated
        self.platform = platform
        self.followRedirects = followRedirects
        self.method = method
        self.body = body
        self.headers = headers
    }

    /// A POST of `body` with `headers`, its answer kept as it is (no redirect followed).
    public static func post(_ url: String, body: String, headers: [String: String]) -> HTTPProbe {
        HTTPProbe(url: url, followRedirects: false, method: "POST", body: body, headers: headers)
    }

    enum CodingKeys: String, CodingKey { case url, certificates, authenticated, platform, followRedirects, method, body, headers }

    /// Recordings made before `platform` and `follow_redirects` existed still replay.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        certificates = try container.decode(Bool.self, forKey: .certificates)
        authenticated = try container.decode(Bool.self, forKey: .authenticated)
        platform = try container.decodeIfPresent(Bool.self, forKey: .platform) ?? false
        followRedirects = try container.decodeIfPresent(Bool.self, forKey: .followRedirects) ?? true
        method = try container.decodeIfPresent(String.self, forKey: .method)
        body = try container.decodeIfPresent(String.self, forKey: .body)
        headers = try container.decodeIfPresent([String: String].self, forKey: .headers)
    }

    public static func < (lhs: HTTPProbe, rhs: HTTPProbe) -> Bool {
        (lhs.url, lhs.certificates ? 1 : 0, lhs.authenticated ? 1 : 0, lhs.platform ? 1 : 0, lhs.followRedirects ? 1 : 0, lhs.method ?? "")
            < (rhs.url, rhs.certificates ? 1 : 0, rhs.authenticated ? 1 : 0, rhs.platform ? 1 : 0, rhs.followRedirects ? 1 : 0, rhs.method ?? "")
    }
}

/// How an HTTP exchange failed. The raw values are shown to users and kept in recordings.
public enum HTTPFailureKind: String, Sendable, Hashable, Codable {
    case dns
    case connect
    case tlsUntrusted = "tls-untrusted"
    case tlsHostname = "tls-hostname"
    case tlsExpired = "tls-expired"
    case tlsHandshake = "tls-handshake"
    case timeout
    case tooLarge = "too-large"
    case tooManyRedirects = "too-many-redirects"
    case httpStatus = "http-status"
    case decoding
    case invalidURL = "invalid-url"
    /// A request carrying a credential was redirected to another origin or to `http:`; the
    /// redirect was not followed, so the credential never left its origin.
    case credentialRedirect = "credential-redirect"
    /// A request carrying a credential was asked over `http:`; nothing was sent.
    case insecureCredential = "insecure-credential"
    case transport

    public var isTLS: Bool { [.tlsUntrusted, .tlsHostname, .tlsExpired, .tlsHandshake].contains(self) }
    /// A certificate was presented and judged: untrusted, for another host, or expired. A
    /// handshake that did not complete (a server that speaks no TLS, no common protocol) says
    /// nothing about a certificate.
    public var isCertificateVerdict: Bool { [.tlsUntrusted, .tlsHostname, .tlsExpired].contains(self) }
}

/// A failed exchange, with its cause.
public struct HTTPFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: HTTPFailureKind
    public var message: String
    /// The URL of the hop that failed.
    public var url: String
    /// When TLS verification failed, the chain as presented (read without verifying), so the
    /// finding can say what was wrong with it.
    public var certificates: [CertificateFacts]?

    public init(kind: HTTPFailureKind, message: String, url: String, certificates: [CertificateFacts]? = nil) {
        self.kind = kind
        self.message = message
        self.url = url
        self.certificates = certificates
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// One header of a response, name lowercased.
public struct HTTPHeader: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name.lowercased()
        self.value = value
    }
}

/// One redirect that was followed.
public struct RedirectHop: Sendable, Hashable, Codable {
    public var url: String
    public var status: Int
    public var location: String
    public init(url: String, status: Int, location: String) {
        self.url = url
        self.status = status
        self.location = location
    }
}

/// Where the time of an exchange went, in milliseconds from its start (curl's timings).
public struct HTTPTimings: Sendable, Hashable, Codable {
    public var dnsMs: Double
    public var connectMs: Double
    public var tlsMs: Double
    public var firstByteMs: Double
    public var totalMs: Double
    public init(dnsMs: Double = 0, connectMs: Double = 0, tlsMs: Double = 0, firstByteMs: Double = 0, totalMs: Double = 0) {
        self.dnsMs = dnsMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
        self.firstByteMs = firstByteMs
        self.totalMs = totalMs
    }
}

/// A certificate as the server presented it.
public struct CertificateFacts: Sendable, Hashable, Codable {
    public var subject: String
    public var issuer: String
    public var subjectAltNames: [String]
    public var notBefore: Date?
    public var notAfter: Date?

    public init(subject: String, issuer: String, subjectAltNames: [String], notBefore: Date?, notAfter: Date?) {
        self.subject = subject
        self.issuer = issuer
        self.subjectAltNames = subjectAltNames
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}

/// A completed exchange (any status code).
public struct HTTPResponse: Sendable, Hashable, Codable {
    /// The URL that answered, after redirects.
    public var url: String
    public var status: Int
    public var headers: [HTTPHeader]
    /// The body as text (invalid UTF-8 replaced); bodies are capped before they get here.
    public var body: String
    public var bodyBytes: Int
    public var redirects: [RedirectHop]
    public var timings: HTTPTimings
    /// The chain (leaf first) when the probe asked for certificates.
    public var certificates: [CertificateFacts]?
    /// Where the body stops being UTF-8 (the byte offset of the first invalid byte); nil when it
    /// is UTF-8 throughout. An API answer that is not is malformed, whatever `body` shows.
    public var invalidUTF8Offset: Int?
    /// The `<title>` of an HTML answer to a plain request (read with libxml2 by the prober).
    public var title: String?

    public init(
        url: String, status: Int, headers: [HTTPHeader] = [], body: String = "", bodyBytes: Int? = nil,
        redirects: [RedirectHop] = [], timings: HTTPTimings = HTTPTimings(), certificates: [CertificateFacts]? = nil,
        invalidUTF8Offset: Int? = nil
    ) {
        self.invalidUTF8Offset = invalidUTF8Offset
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyBytes = bodyBytes ?? body.utf8.count
        self.redirects = redirects
        self.timings = timings
        self.certificates = certificates
    }

    /// The last value of a header.
    public func header(_ name: String) -> String? {
        headers.last { $0.name == name.lowercased() }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// The outcome of one HTTP probe. Encoded as `{"response": {...}}` or `{"failure": {...}}`.
public enum HTTPResult: Sendable, Hashable, Codable {
    case response(HTTPResponse)
    case failure(HTTPFailure)

    enum CodingKeys: String, CodingKey { case response, failure }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let response = try container.decodeIfPresent(HTTPResponse.self, forKey: .response) {
            self = .response(response)
        } else {
            self = .failure(try container.decode(HTTPFailure.self, forKey: .failure))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .response(let response): try container.encode(response, forKey: .response)
        case .failure(let failure): try container.encode(failure, forKey: .failure)
        }
    }

    /// The response when its status is 2xx; otherwise an `http-status` failure.
    public func successfulResponse() -> Result<HTTPResponse, HTTPFailure> {
        switch self {
        case .failure(let failure): return .failure(failure)
        case .response(let response) where response.isSuccess: return .success(response)
        case .response(let response):
            var message = "HTTP \(response.status)"
            if response.status == 429 { message += " (rate limited" + (response.header("retry-after").map { ", retry after \($0) s" } ?? "") + ")" }
            if response.status >= 500 { message += " (server error)" }
            return .failure(HTTPFailure(kind: .httpStatus, message: message, url: response.url))
        }
    }
}

/// An HTTP exchange kept as evidence.
public struct HTTPExchange: Sendable, Hashable, Codable {
    public var probe: HTTPProbe
    public var result: HTTPResult
    public init(probe: HTTPProbe, result: HTTPResult) {
        self.probe = probe
        self.result = result
    }
}
