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
        options.connectTo = ["api.clerk.test:443:127.0.0.1:\(fixture.https.good)", "example.test:443:127.0.0.1:\(fixture.https.good)"]
        let dns = try DNSResolver(options: DNSResolverOptions(server: "127.0.0.1:\(fixture.dns.zone)"))
        return LiveProber(http: HTTPClient(options: options), dns: dns, secretKey: secretKey)
    }

    @Test func authenticatedProbesCarryTheSecretKey() async throws {
        let secret = "sk_live_ProberTestSecret0000000000000000abcd"
        let probe = HTTPProbe(url: "https://api.clerk.test/v1/instance", authenticated: true)
        let (_, exchanges, _) = await try prober(secretKey: secret).run([.http(probe)])
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
        let (_, exchanges, _) = await try prober(secretKey: nil).run([.http(probe)])
        guard case .failure(let failure) = try #require(exchanges.first).result else { Issue.record("expected a failure"); return }
        #expect(failure.message.contains("no secret key"))
        // And Clerk-shaped APIs refuse unauthenticated calls.
        let (_, plain, _) = await try prober(secretKey: nil).run([.http(HTTPProbe(url: "https://api.clerk.test/v1/domains"))])
        guard case .response(let refused) = try #require(plain.first).result else { Issue.record("\(plain)"); return }
        #expect(refused.status == 401)
    }

    @Test func sameRequestTwiceIsMadeOnce() async throws {
        let requests: [ProbeRequest] = [.dns(DNSQuestion("clerk.example.test", .a)), .dns(DNSQuestion("CLERK.example.test.", .a)),
                                        .http(HTTPProbe(url: "https://example.test/__ok")), .http(HTTPProbe(url: "https://example.test/__ok"))]
        let (answers, exchanges, _) = await try prober(secretKey: nil).run(Set(requests))
        #expect(answers.count == 1)
        #expect(exchanges.count == 1)
    }

    @Test func pagesAreScannedWithTheirScripts() async throws {
        let (_, _, pages) = await try prober(secretKey: nil).run([.page("https://example.test/")])
        let page = try #require(pages.first)
        #expect(page.failure == nil)
        #expect(page.facts.robots == ["index, follow"])
        #expect(page.facts.clerkScriptAttributes["data-clerk-publishable-key"] == "pk_live_Y2xlcmsuZXhhbXBsZS50ZXN0JA")
        #expect(page.scripts.map(\.url) == ["https://example.test/assets/app.js"])
        // The SDK's literals and a Stripe key are not findings; the live key is seen.
        let kinds = (page.matches + page.scripts.flatMap(\.matches)).map(\.kind)
        #expect(!kinds.isEmpty && kinds.allSatisfy { $0 == .productionKey })
    }
}
