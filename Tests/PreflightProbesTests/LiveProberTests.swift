import Foundation
import PreflightCore
import PreflightProbes
import PreflightTestSupport
import Testing

/// The prober that `check` uses, against the fixture: requests deduplicated, credentials
/// added only where asked and never recorded.
@Suite struct LiveProberTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    func prober(secretKey: String?) throws -> LiveProber {
        var options = HTTPClientOptions()
        options.caBundle = fixture.ca
        options.connectTo = ["api.clerk.test", "example.test", "clerk.example.test"].map { "\($0):443:127.0.0.1:\(fixture.https.good)" }
        let dns = try DNSResolver(options: DNSResolverOptions(server: "127.0.0.1:\(fixture.dns.zone)"))
        return LiveProber(http: HTTPClient(options: options), dns: dns, secretKey: secretKey)
    }

    @Test func authenticatedProbesCarryTheSecretKey() async throws {
        let secret = "sk_live_ProberTestSecret0000000000000000abcd"
        let probe = HTTPProbe(url: "https://api.clerk.test/v1/instance", authenticated: true)
        let exchanges = await try prober(secretKey: secret).run([.http(probe)]).http
        guard case .response(let response) = try #require(exchanges.first).result else { Issue.record("\(exchanges)"); return }
        #expect(response.status == 200)
        #expect(response.body.contains("\"environment_type\": \"production\""))
        // The header went out, and nothing of it is kept in the evidence.
        #expect(response.header("x-saw-authorization") == "yes")
        let recorded = String(decoding: EvidenceRecording(evidence: Evidence(http: exchanges), recordedAt: Date(), offline: false).encoded(), as: UTF8.self)
        #expect(!recorded.contains("ProberTestSecret"))
    }

    @Test func authenticatedProbeWithoutAKeyIsAFailure() async throws {
        let probe = HTTPProbe(url: "https://api.clerk.test/v1/instance", authenticated: true)
        let exchanges = await try prober(secretKey: nil).run([.http(probe)]).http
        guard case .failure(let failure) = try #require(exchanges.first).result else { Issue.record("expected a failure"); return }
        #expect(failure.message.contains("no secret key"))
        // And Clerk-shaped APIs refuse unauthenticated calls.
        let plain = await try prober(secretKey: nil).run([.http(HTTPProbe(url: "https://api.clerk.test/v1/domains"))]).http
        guard case .response(let refused) = try #require(plain.first).result else { Issue.record("\(plain)"); return }
        #expect(refused.status == 401)
    }

    @Test func sameRequestTwiceIsMadeOnce() async throws {
        let requests: [ProbeRequest] = [.dns(DNSQuestion("clerk.example.test", .a)), .dns(DNSQuestion("CLERK.example.test.", .a)),
                                        .http(HTTPProbe(url: "https://example.test/__ok")), .http(HTTPProbe(url: "https://example.test/__ok"))]
        let results = await try prober(secretKey: nil).run(Set(requests))
        let (answers, exchanges) = (results.dns, results.http)
        #expect(answers.count == 1)
        #expect(exchanges.count == 1)
    }

    @Test func pagesAreScannedWithTheirScripts() async throws {
        let pages = await try prober(secretKey: nil).run([.page("https://example.test/")]).pages
        let page = try #require(pages.first)
        #expect(page.failure == nil)
        #expect(page.facts.robots == ["index, follow"])
        #expect(page.facts.clerkScriptAttributes["data-clerk-publishable-key"] == "pk_live_Y2xlcmsuZXhhbXBsZS50ZXN0JA")
        // Followed: the script tags of the site (clerk-js on clerk.example.test is the same site),
        // the modulepreload link, and the entry's static import and dynamic import(); not the
        // third-party analytics script.
        #expect(page.scripts.map(\.url) == [
            "https://clerk.example.test/npm/@clerk/clerk-js@5/dist/clerk.browser.js", "https://example.test/assets/app.js",
            "https://example.test/assets/lazy-page.js", "https://example.test/assets/vendor.js",
        ])
        #expect(page.scripts.allSatisfy { $0.failure == nil })
        // The SDK's literals, suffix lists, Stripe keys and placeholders are not findings; the live key is seen.
        let kinds = page.allMatches.map(\.match.kind)
        #expect(!kinds.isEmpty && kinds.allSatisfy { $0 == .productionKey }, "\(page.allMatches)")
    }

    @Test func thePageFetchAnswersItsCertificateProbe() async throws {
        let url = "https://example.test/"
        let results = await try prober(secretKey: nil).run([.page(url), .http(HTTPProbe(url: url, certificates: true))])
        let (exchanges, pages) = (results.http, results.pages)
        #expect(pages.count == 1)
        let exchange = try #require(exchanges.first { $0.probe == HTTPProbe(url: url, certificates: true) })
        guard case .response(let response) = exchange.result else { Issue.record("no response: \(exchange.result)"); return }
        #expect(response.certificates?.first?.subjectAltNames.contains("example.test") == true)
        #expect(response.header("strict-transport-security") != nil)
        #expect(response.body.isEmpty, "the page body is not kept as evidence")
        #expect(pages.first?.header("content-security-policy")?.contains("https://clerk.example.test") == true)
    }

    @Test func scriptsFollowedStayWithinTheBounds() async throws {
        var prober = try prober(secretKey: nil)
        prober.maxScriptsPerPage = 2
        let pages = await prober.run([.page("https://example.test/")]).pages
        let page = try #require(pages.first)
        // The first two tags in document order are read; the entry module is left, and with it
        // the chunks only it would have named.
        #expect(page.scripts.map(\.url) == ["https://clerk.example.test/npm/@clerk/clerk-js@5/dist/clerk.browser.js", "https://example.test/assets/vendor.js"])
        #expect(page.scriptsNotRead == ["https://example.test/assets/app.js"])
    }
}
