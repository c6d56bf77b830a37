import Foundation
import PreflightCore
import PreflightProbes
import PreflightTestSupport
import Testing

/// The resolver against dnsmasq (a zone) and a dnslib server (faults): every outcome is kept
/// apart.
@Suite struct DNSResolverTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    func resolver(_ port: Int, timeoutMs: Int = 2_000, tries: Int = 1) throws -> DNSResolver {
        try DNSResolver(options: DNSResolverOptions(server: "127.0.0.1:\(port)", timeoutMs: timeoutMs, tries: tries))
    }

    @Test func followsCNAMEChains() async throws {
        let answer = await try resolver(fixture.dns.zone).resolve(DNSQuestion("clerk.example.test", .a))
        #expect(answer.outcome == .answer)
        #expect(answer.chain == ["clerk.example.test", "frontend-api.clerk.services"])
        #expect(answer.records.map(\.value) == ["127.0.0.1"])
    }

    @Test func readsTXTAndCAA() async throws {
        let dns = try resolver(fixture.dns.zone)
        #expect(await dns.resolve(DNSQuestion("_dmarc.example.test", .txt)).records.map(\.value) == ["v=DMARC1; p=reject"])
        #expect(await dns.resolve(DNSQuestion("example.test", .caa)).records.map(\.value).sorted() == ["0 issue \"letsencrypt.org\"", "0 issue \"pki.goog\""])
    }

    @Test func tellsNXDOMAINFromNODATA() async throws {
        let dns = try resolver(fixture.dns.zone)
        #expect(await dns.resolve(DNSQuestion("nothing-here.example.test", .a)).outcome == .nxdomain)
        #expect(await dns.resolve(DNSQuestion("example.test", .aaaa)).outcome == .nodata)
    }

    @Test func keepsFaultsApart() async throws {
        let dns = try resolver(fixture.dns.faults, timeoutMs: 300)
        #expect(await dns.resolve(DNSQuestion("servfail.faults.test", .a)).outcome == .servfail)
        #expect(await dns.resolve(DNSQuestion("refused.faults.test", .a)).outcome == .refused)
        #expect(await dns.resolve(DNSQuestion("nxdomain.faults.test", .a)).outcome == .nxdomain)
        let dangling = await dns.resolve(DNSQuestion("dangling.faults.test", .a))
        #expect(dangling.outcome == .dangling)
        #expect(dangling.chain == ["dangling.faults.test", "gone.faults.test"])
        let silent = await dns.resolve(DNSQuestion("silent.faults.test", .a))
        #expect(silent.outcome == .timeout)
        // Measured on the resolver's thread: the 300 ms timeout, not the test pool's load.
        #expect(silent.elapsedMs < 1_500)
    }

    @Test func unreachableServerIsAFailureNotAnAnswer() async throws {
        let answer = await try resolver(fixture.closedPort, timeoutMs: 200).resolve(DNSQuestion("example.test", .a))
        #expect(answer.outcome.isTransportFailure)
    }

    @Test func rejectsAMalformedServer() {
        #expect(throws: (any Error).self) { try DNSResolver(options: DNSResolverOptions(server: "not a server")) }
    }

    @Test func manyQueriesAtOnce() async throws {
        let dns = try resolver(fixture.dns.zone)
        let answers = await withTaskGroup(of: DNSAnswer.self) { group in
            for index in 0..<30 {
                group.addTask { await dns.resolve(DNSQuestion(index % 2 == 0 ? "clerk.example.test" : "nothing\(index).example.test", .a)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.filter { $0.outcome == .answer }.count == 15)
        #expect(answers.filter { $0.outcome == .nxdomain }.count == 15)
    }
}
