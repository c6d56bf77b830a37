import Foundation
import PreflightCore
import PreflightProbes
import PreflightTestSupport
import Testing

/// The HTTP client against the fixture's real HTTPS servers: every way an exchange can fail
/// becomes its classified failure, never a crash and never a success.
@Suite struct HTTPClientTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    func client(_ hosts: [String: Int] = [:], configure: (inout HTTPClientOptions) -> Void = { _ in }) -> HTTPClient {
        var options = HTTPClientOptions()
        options.caBundle = fixture.ca
        options.connectTo = (["example.test": fixture.https.good, "clerk.example.test": fixture.https.good].merging(hosts) { $1 })
            .map { "\($0.key):443:127.0.0.1:\($0.value)" }
        options.timeoutMs = 5_000
        configure(&options)
        return HTTPClient(options: options)
    }

    func failure(_ result: HTTPResult) -> HTTPFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    @Test func fetchesAPageWithHeadersTimingsAndCertificates() async throws {
        let result = await client().fetch(HTTPRequest(url: "https://example.test/", certificates: true))
        guard case .response(let response) = result else { Issue.record("expected a response, got \(result)"); return }
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/html; charset=utf-8")
        #expect(response.body.contains("data-clerk-publishable-key"))
        #expect(response.timings.totalMs > 0)
        let leaf = try #require(response.certificates?.first)
        #expect(leaf.subjectAltNames.contains("example.test"))
        #expect(leaf.issuer.contains("Preflight ca"))
        #expect((leaf.notAfter ?? .distantPast) > Date())
    }

    /// Entries are matched per request by host (a fleet gives thousands); one without a host
    /// applies to every host, and a host's own entry wins over it.
    @Test func connectToEntriesApplyByHost() async throws {
        let anyHost = client { $0.connectTo = [":443:127.0.0.1:\(fixture.https.good)"] }
        for url in ["https://example.test/", "https://CLERK.example.test/v1/environment"] {
            guard case .response(let response) = await anyHost.fetch(HTTPRequest(url: url)) else { Issue.record("no response from \(url)"); continue }
            #expect(response.status == 200)
        }
        let ownFirst = client { $0.connectTo = ["example.test:443:127.0.0.1:\(fixture.https.expired)", ":443:127.0.0.1:\(fixture.https.good)"] }
        #expect(failure(await ownFirst.fetch(HTTPRequest(url: "https://example.test/")))?.kind == .tlsExpired)
        guard case .response = await ownFirst.fetch(HTTPRequest(url: "https://clerk.example.test/v1/environment")) else {
            Issue.record("the host-less entry did not apply to another host"); return
        }
    }

    @Test func sendsTheUserAgentAndHeaders() async throws {
        // The fixture echoes X-Saw-Authorization when a request carries one.
        let result = await client().fetch(HTTPRequest(url: "https://clerk.example.test/v1/environment", headers: ["Authorization": "Bearer x"]))
        guard case .response(let response) = result else { Issue.record("\(result)"); return }
        #expect(response.header("x-saw-authorization") == "yes")
    }

    @Test func classifiesCertificateFailures() async throws {
        let hosts = ["expired.example.test": fixture.https.expired, "wrong.example.test": fixture.https.wronghost,
                     "untrusted.example.test": fixture.https.untrusted]
        let http = client(hosts)
        let expired = failure(await http.fetch(HTTPRequest(url: "https://expired.example.test/", certificates: true)))
        #expect(expired?.kind == .tlsExpired)
        // The chain is still read, without verifying, so findings can show it.
        #expect(expired?.certificates?.first?.notAfter == CertificateParsingProbe.date(2025, 1, 1))
        #expect(failure(await http.fetch(HTTPRequest(url: "https://wrong.example.test/")))?.kind == .tlsHostname)
        #expect(failure(await http.fetch(HTTPRequest(url: "https://untrusted.example.test/")))?.kind == .tlsUntrusted)
        // Without the test CA, the trusted server is untrusted too.
        let noCA = client { $0.caBundle = nil }
        #expect(failure(await noCA.fetch(HTTPRequest(url: "https://example.test/")))?.kind == .tlsUntrusted)
    }

    @Test func classifiesConnectionFailures() async throws {
        let http = client(["closed.example.test": fixture.closedPort])
        #expect(failure(await http.fetch(HTTPRequest(url: "https://closed.example.test/")))?.kind == .connect)
        #expect(failure(await http.fetch(HTTPRequest(url: "https://does-not-exist.invalid/")))?.kind == .dns)
        #expect(failure(await http.fetch(HTTPRequest(url: "gopher://example.test/")))?.kind == .invalidURL)
        // A server that speaks no TLS: a handshake that did not complete, not a certificate verdict.
        let plain = client(["plain.example.test": fixture.http])
        let handshake = try #require(failure(await plain.fetch(HTTPRequest(url: "https://plain.example.test/", certificates: true))))
        #expect(handshake.kind == .tlsHandshake, "\(handshake)")
        #expect(!handshake.kind.isCertificateVerdict)
    }

    /// A body that is not UTF-8 says where it stops being so: an API answer like that is malformed.
    @Test func aBodyThatIsNotUTF8SaysWhere() async throws {
        guard case .response(let response) = await client().fetch(HTTPRequest(url: "https://example.test/__not-utf8")) else {
            Issue.record("no response"); return
        }
        #expect(response.invalidUTF8Offset == 20)
        guard case .response(let ok) = await client().fetch(HTTPRequest(url: "https://example.test/")) else { Issue.record("no response"); return }
        #expect(ok.invalidUTF8Offset == nil)
    }

    @Test func timesOut() async throws {
        let result = await client().fetch(HTTPRequest(url: "https://example.test/__slow?ms=5000", timeoutMs: 300))
        let timeout = try #require(failure(result))
        #expect(timeout.kind == .timeout)
        // curl's own account of when it gave up (wall time here would also measure how busy
        // the test process's thread pool is): well before the server's 5 s.
        let elapsed = timeout.message.split(separator: " ").drop { $0 != "after" }.dropFirst().first.flatMap { Int($0) }
        #expect((elapsed ?? .max) < 1_000, "\(timeout.message)")
    }

    @Test func capsHugeBodiesAndGzipBombs() async throws {
        let http = client { $0.bodyCap = 1 << 20; $0.timeoutMs = 30_000 }
        let big = failure(await http.fetch(HTTPRequest(url: "https://example.test/__big?bytes=1073741824")))
        #expect(big?.kind == .tooLarge)
        let bomb = failure(await http.fetch(HTTPRequest(url: "https://example.test/__gzip-bomb")))
        #expect(bomb?.kind == .tooLarge)
        #expect(bomb?.message.contains("after decompression") == true)
    }

    @Test func statusCodesAreResponsesThatCallersClassify() async throws {
        let http = client()
        let unavailable = await http.fetch(HTTPRequest(url: "https://example.test/__status/503"))
        guard case .response(let response) = unavailable else { Issue.record("\(unavailable)"); return }
        #expect(response.status == 503)
        guard case .failure(let failure) = unavailable.successfulResponse() else { Issue.record("503 must not succeed"); return }
        #expect(failure.kind == .httpStatus)
        guard case .failure(let limited) = await http.fetch(HTTPRequest(url: "https://example.test/__status/429")).successfulResponse() else {
            Issue.record("429 must not succeed"); return
        }
        #expect(limited.message == "HTTP 429 (rate limited, retry after 30 s)")
    }

    @Test func namesRedirectLoops() async throws {
        let result = await client().fetch(HTTPRequest(url: "https://example.test/__redirect-loop"))
        let loop = try #require(failure(result))
        #expect(loop.kind == .tooManyRedirects)
        #expect(loop.message.hasPrefix("redirect loop: https://example.test/__redirect-loop -> https://example.test/__redirect-loop-2 ->"))
    }

    /// Only a request carrying a credential is bound to its origin: the same redirect is
    /// followed without one, and refused (not followed) with an `Authorization` or a `Cookie`.
    @Test func aCredentialIsBoundToItsOrigin() async throws {
        let http = client(["redirect-other.clerk.test": fixture.https.good, "collector.clerk.test": fixture.https.good,
                           "redirect-same.clerk.test": fixture.https.good])
        guard case .response(let plain) = await http.fetch(HTTPRequest(url: "https://redirect-other.clerk.test/v1/x")) else {
            Issue.record("a redirect without a credential was not followed"); return
        }
        #expect(plain.url == "https://collector.clerk.test/v1/x")
        for header in ["Authorization", "authorization", "Cookie"] {
            let refused = failure(await http.fetch(HTTPRequest(url: "https://redirect-other.clerk.test/v1/x", headers: [header: "Bearer sk_test_x"])))
            #expect(refused?.kind == .credentialRedirect, "\(header)")
            #expect(refused?.message.contains("to https://collector.clerk.test/v1/x") == true)
        }
        #expect(failure(await http.fetch(HTTPRequest(url: "http://example.test/", headers: ["Authorization": "Bearer x"])))?.kind == .insecureCredential)
        // Same origin, spelled differently (case, explicit default port): followed.
        guard case .response(let same) = await http.fetch(HTTPRequest(url: "https://REDIRECT-SAME.clerk.test:443/v1/instance",
                                                                      headers: ["Authorization": "Bearer sk_live_x"])) else {
            Issue.record("a redirect within the origin was refused"); return
        }
        #expect(same.redirects.count == 1)
    }

    @Test func concurrentRequestsShareTheLoop() async throws {
        let http = client()
        let results = await withTaskGroup(of: HTTPResult.self) { group in
            for _ in 0..<20 { group.addTask { await http.fetch(HTTPRequest(url: "https://example.test/__ok")) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 20)
        #expect(results.allSatisfy { if case .response(let r) = $0 { r.status == 200 && r.body == "ok\n" } else { false } })
    }
}

/// Dates for expectations, built the same way as the parser's (no DateFormatter).
enum CertificateParsingProbe {
    static func date(_ year: Int, _ month: Int, _ day: Int) -> Date? {
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}
