import Foundation
import PreflightCore
import PreflightProbes
import PreflightTestSupport
import Testing

/// What the apps of a fleet share, against the fixture: one answer for identical probes of
/// different apps, and caps on what is in flight, overall and per host.
@Suite struct ProbeSharingTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    func prober(_ sharing: ProbeSharing) throws -> LiveProber {
        var options = HTTPClientOptions()
        options.caBundle = fixture.ca
        options.connectTo = ["example.test", "clerk.example.test", "api.clerk.test"].map { "\($0):443:127.0.0.1:\(fixture.https.good)" }
        var prober = LiveProber(http: HTTPClient(options: options), dns: try DNSResolver(options: DNSResolverOptions(server: "127.0.0.1:\(fixture.dns.zone)")))
        prober.sharing = sharing
        return prober
    }

    /// The body of one unshared fetch.
    func body(_ url: String) async throws -> String {
        let exchanges = try await prober(ProbeSharing()).run([.http(HTTPProbe(url: url))]).http
        guard case .response(let response) = try #require(exchanges.first).result else { return "" }
        return response.body
    }

    /// `urls` through probers of one sharing, all at once; the wall time in seconds.
    func fetch(_ urls: [String], sharing: ProbeSharing) async throws -> Double {
        let probers = try urls.map { _ in try prober(sharing) }
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            for (prober, url) in zip(probers, urls) {
                group.addTask { _ = await prober.run([.http(HTTPProbe(url: url))]) }
            }
        }
        return Date().timeIntervalSince(started)
    }

    @Test func identicalProbesOfTwoAppsAreAnsweredOnce() async throws {
        // /__count answers how often its id was asked: three apps, one sharing, one question.
        let url = "https://example.test/__count?ms=200&id=\(UUID().uuidString)"
        _ = try await fetch([url, url, url], sharing: ProbeSharing())
        #expect(try await body(url) == "2")
        // Without sharing, each asks.
        _ = try await fetch([url], sharing: ProbeSharing())
        _ = try await fetch([url], sharing: ProbeSharing())
        #expect(try await body(url) == "5")
    }

    @Test func theGlobalCapHoldsRequestsBack() async throws {
        let urls = (0..<4).map { "https://example.test/__slow?ms=250&n=\($0)&\(UUID().uuidString)" }
        // Two at a time: two waves of 250 ms.
        #expect(try await fetch(urls, sharing: ProbeSharing(globalLimit: 2, perHostLimit: 8)) >= 0.5)
        // Four at a time: one wave.
        #expect(try await fetch(urls.map { $0 + "&again" }, sharing: ProbeSharing(globalLimit: 4, perHostLimit: 8)) < 0.5)
    }

    @Test func thePerHostCapDoesNotHoldOtherHostsBack() async throws {
        let hosts = ["example.test", "clerk.example.test", "api.clerk.test"]
        let id = UUID().uuidString
        // One per host: three requests to one host take three turns ...
        let sameHost = (0..<3).map { "https://example.test/__slow?ms=250&n=\($0)&\(id)" }
        #expect(try await fetch(sameHost, sharing: ProbeSharing(globalLimit: 8, perHostLimit: 1)) >= 0.75)
        // ... and one each to three hosts, one.
        let threeHosts = hosts.map { "https://\($0)/__slow?ms=250&\(id)" }
        #expect(try await fetch(threeHosts, sharing: ProbeSharing(globalLimit: 8, perHostLimit: 1)) < 0.7)
    }

    @Test func anEarlierAppsRequestsGoBeforeALaterAppsQueuedFirst() async throws {
        // One slot, held by app 0; app 2 queues, then app 1. First come, first served would
        // finish 0, 2, 1; the earlier app's request goes first.
        let sharing = ProbeSharing(globalLimit: 1, perHostLimit: 8)
        let id = UUID().uuidString
        let arrivals: [(app: Int, afterMs: UInt64)] = [(0, 0), (2, 150), (1, 300)]
        let probers = try arrivals.map { try prober(sharing.forApp($0.app)) }
        let finished = Finished()
        await withTaskGroup(of: Void.self) { group in
            for (arrival, prober) in zip(arrivals, probers) {
                group.addTask {
                    try? await Task.sleep(nanoseconds: arrival.afterMs * 1_000_000)
                    _ = await prober.run([.http(HTTPProbe(url: "https://example.test/__slow?ms=700&app=\(arrival.app)&\(id)"))])
                    await finished.add(arrival.app)
                }
            }
        }
        #expect(await finished.apps == [0, 1, 2])
    }
}

/// The order in which apps' requests finished.
private actor Finished {
    var apps: [Int] = []
    func add(_ app: Int) { apps.append(app) }
}
