import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local servers of Tests/Fixtures/fixture.py: HTTPS with a per-run test CA, dnsmasq
/// answering from a zone, and a dnslib server for DNS faults. Started once per test process
/// on random loopback ports, and killed (the whole process group, SIGKILL) when it exits.
public struct LiveFixture: Sendable, Decodable {
    public struct HTTPS: Sendable, Decodable {
        public var good: Int
        public var soon: Int
        public var wronghost: Int
        public var untrusted: Int
        public var expired: Int
    }

    public struct DNS: Sendable, Decodable {
        /// dnsmasq, answering from Tests/Fixtures/zone.json.
        public var zone: Int
        /// dnslib: servfail.*, refused.*, silent.*, slow.*, dangling.*, nxdomain.*, and late.test
        /// (no such name until 3 s after the first question); other names are forwarded to the
        /// zone (after --delay-ms, for the benchmarks).
        public var faults: Int
    }

    public var ca: String
    public var https: HTTPS
    /// Plain HTTP: redirects to https:// (but for routes.json's plain_http_hosts).
    public var http: Int
    public var dns: DNS
    /// The domains with Clerk's whole record set in the zone (zone.json's "apps").
    public var apps: [String]
    /// A port nothing listens on.
    public var closedPort: Int

    enum CodingKeys: String, CodingKey {
        case ca, https, http, dns, apps, closedPort = "closed_port"
    }

    /// The running fixture, or why it could not start.
    public static func shared() throws -> LiveFixture {
        try started.get()
    }

    private static let started: Result<LiveFixture, FixtureError> = {
        Result { () throws(FixtureError) -> LiveFixture in try start() }
    }()

    public struct FixtureError: Error, CustomStringConvertible {
        public var description: String
    }

    private static func start() throws(FixtureError) -> LiveFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-fixture-\(getpid())-\(UUID().uuidString.prefix(8))")
        let script = Golden.packageRoot.appendingPathComponent("Tests/Fixtures/fixture.py").path
        guard let python = ChildProcess.which("python3") else { throw FixtureError(description: "python3 is not on PATH") }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let log = folder.appendingPathComponent("fixture.log").path
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = (environment["PATH"] ?? "") + ":/usr/sbin:/sbin"
            fixtureGroup = try ChildProcess.spawn(python, [script, "--dir", folder.path], environment: environment, logPath: log)
            fixtureFolder = folder.path
            atexit {
                if fixtureGroup > 0 { kill(-fixtureGroup, SIGKILL) }
                if let fixtureFolder { try? FileManager.default.removeItem(atPath: fixtureFolder) }
            }
            let info = folder.appendingPathComponent("fixture.json")
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if let data = FileManager.default.contents(atPath: info.path) {
                    return try JSONDecoder().decode(LiveFixture.self, from: data)
                }
                var status: Int32 = 0
                if waitpid(fixtureGroup, &status, WNOHANG) == fixtureGroup {
                    let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    throw FixtureError(description: "fixture.py exited: \(output)")
                }
                usleep(20_000)
            }
            throw FixtureError(description: "fixture.py did not start within 60 s")
        } catch let error as FixtureError {
            throw error
        } catch {
            throw FixtureError(description: "\(error)")
        }
    }

    /// Hosts beside the apps': the Backend API variants and a development Frontend API.
    /// The redirect-*.clerk.test hosts redirect every request (to collector.clerk.test over
    /// https: or http:, to another port, or within their own origin); the collector counts the
    /// credentials that reach it (`collected()`).
    public static let otherHosts = ["api.clerk.test", "api-ratelimited.clerk.test", "api-limited.clerk.test", "foo-bar-13.clerk.accounts.dev",
                                    "redirect-other.clerk.test", "redirect-http.clerk.test", "redirect-port.clerk.test",
                                    "redirect-same.clerk.test", "collector.clerk.test"]

    /// `--connect-to` entries sending each host's port 443 to a fixture server.
    public func connectTo(_ hosts: [String: Int]) -> [String] {
        hosts.sorted { $0.key < $1.key }.flatMap { ["--connect-to", "\($0.key):443:127.0.0.1:\($0.value)"] }
    }

    /// The flags that point `preflight` at this fixture: its CA, its DNS zone, every test
    /// host at the trusted HTTPS server, and the app domains' port 80 at the plain server.
    public func flags(hosts: [String]? = nil, dnsPort: Int? = nil) -> [String] {
        let hosts = hosts ?? (apps.flatMap { [$0, "clerk.\($0)", "accounts.\($0)", "api.\($0)"] } + Self.otherHosts)
        return ["--ca-bundle", ca, "--dns-server", "127.0.0.1:\(dnsPort ?? dns.zone)"]
            + connectTo(Dictionary(uniqueKeysWithValues: hosts.map { ($0, https.good) }))
            + (apps.sorted() + ["collector.clerk.test"]).flatMap { ["--connect-to", "\($0):80:127.0.0.1:\(http)"] }
    }

    /// The requests with a credential (`Authorization` or `Cookie`) that reached
    /// collector.clerk.test so far, on either scheme: "https /path" or "http /path".
    public func collected() throws -> [String] {
        let output = try ChildProcess.run(
            "/usr/bin/python3", ["-c", """
                import json, ssl, sys, urllib.request
                context = ssl.create_default_context(cafile=sys.argv[1])
                request = urllib.request.Request(f"https://127.0.0.1:{sys.argv[2]}/__collected", headers={"Host": "collector.clerk.test"})
                context.check_hostname = False
                print(urllib.request.urlopen(request, context=context).read().decode())
                """, ca, String(https.good)], timeout: 20)
        guard output.status == 0, let list = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String] else {
            throw FixtureError(description: "the collector did not answer: \(output.stderr)")
        }
        return list
    }
}

/// The fixture's process group, for the exit handler (a C function pointer cannot capture).
nonisolated(unsafe) private var fixtureGroup: pid_t = 0
nonisolated(unsafe) private var fixtureFolder: String?
