import Foundation
import PreflightCore
import PreflightEngine
import PreflightProbes

/// Files that exist only in memory, over the disk for anything not held here (a recording or
/// report a test wrote to a temporary folder). A folder exists when a file is under it.
struct MemoryFiles: FileReading {
    var files: [String: String]

    init(_ files: [String: String]) {
        self.files = files
    }

    func kind(of path: String, followLinks: Bool) -> FileKind? {
        let path = Self.normalized(path)
        if files[path] != nil { return .regular }
        if files.keys.contains(where: { $0.hasPrefix(path + "/") }) { return .directory }
        return LocalFileSystem().kind(of: path, followLinks: followLinks)
    }

    func read(_ url: URL, cap: Int) throws(FileReadError) -> Data {
        let path = Self.normalized(url.path)
        guard let text = files[path] else { return try LocalFileSystem().read(url, cap: cap) }
        if text.utf8.count > cap { throw .tooLarge(path, cap: cap) }
        return Data(text.utf8)
    }

    static func normalized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// A clock whose pauses take no time: each records its length and moves the clock on by it.
final class FakeClock: EngineClock, @unchecked Sendable {
    private let lock = NSLock()
    private var passed: Duration = .zero
    private var pauses: [Duration] = []
    let start: Date

    init(start: Date = Date(timeIntervalSince1970: 1_798_761_600)) {
        self.start = start
    }

    var sleeps: [Duration] { lock.withLock { pauses } }

    func now() -> Date {
        lock.withLock { start.addingTimeInterval(Double(passed.components.seconds)) }
    }

    func elapsed() -> Duration { lock.withLock { passed } }

    func sleep(for duration: Duration) async throws {
        lock.withLock {
            pauses.append(duration)
            passed += duration
        }
    }
}

/// Every line the run says, kept.
final class RecordedDiagnostics: Diagnostics, @unchecked Sendable {
    private let lock = NSLock()
    private var warnings: [String] = []
    private var statuses: [String?] = []
    let showsStatus: Bool

    init(showsStatus: Bool = false) {
        self.showsStatus = showsStatus
    }

    var lines: [String] { lock.withLock { warnings } }
    var statusLines: [String?] { lock.withLock { statuses } }

    func warn(_ line: String) { lock.withLock { warnings.append(line) } }
    func status(_ line: String?) { lock.withLock { statuses.append(line) } }
}

/// How many exchanges and queries are in flight, and the most there ever were; how many times
/// each was asked.
actor Gauge {
    private(set) var inFlight = 0
    private(set) var most = 0
    private(set) var asked: [String: Int] = [:]

    /// Enters, returns how many times `key` was asked before.
    func enter(_ key: String) -> Int {
        inFlight += 1
        most = max(most, inFlight)
        let before = asked[key, default: 0]
        asked[key] = before + 1
        return before
    }

    func leave() {
        inFlight -= 1
    }

    var total: Int { asked.values.reduce(0, +) }
}

/// DNS answered by a function of the question and how many times it was asked before. Each
/// query yields a few times while in flight, so concurrent ones overlap as real ones do.
struct ScriptedDNS: DNSResolving {
    let gauge: Gauge
    let answer: @Sendable (DNSQuestion, Int) -> DNSAnswer

    func resolve(_ question: DNSQuestion) async -> DNSAnswer {
        let before = await gauge.enter("dns \(question)")
        for _ in 0..<10 { await Task.yield() }
        await gauge.leave()
        return answer(question, before)
    }

    /// `clerk.<domain>` reaches Clerk's target once it has been asked `readyAfter` times.
    static func clerkCNAME(gauge: Gauge, readyAfter: Int = 0) -> ScriptedDNS {
        ScriptedDNS(gauge: gauge) { question, before in
            guard question.name.hasPrefix("clerk."), before >= readyAfter else { return DNSAnswer(question: question, outcome: .nxdomain) }
            return DNSAnswer(
                question: question, outcome: .answer, chain: [question.name, "frontend-api.clerk.services"],
                records: [DNSRecord(name: "frontend-api.clerk.services", type: .a, ttl: 300, value: "192.0.2.10")])
        }
    }
}

/// HTTP answered from a table by URL; anything else fails as a refused connection.
struct TableHTTP: HTTPFetching {
    let gauge: Gauge
    var table: [String: HTTPResult] = [:]
    var defaultTimeoutMs: Int { 1_000 }

    func fetch(_ request: HTTPRequest) async -> HTTPResult {
        _ = await gauge.enter("http \(request.url)")
        for _ in 0..<10 { await Task.yield() }
        await gauge.leave()
        return table[request.url] ?? .failure(HTTPFailure(kind: .connect, message: "refused (test table)", url: request.url))
    }
}

struct FakeNetwork: NetworkProviding {
    var http: any HTTPFetching
    var dns: any DNSResolving
    var deadline: Duration = .seconds(60)

    func httpClient() -> any HTTPFetching { http }
    func resolver() throws(EngineError) -> any DNSResolving { dns }
}

/// An engine over memory files, scripted DNS and HTTP, a fake clock and recorded diagnostics.
struct EngineHarness {
    let gauge = Gauge()
    let clock = FakeClock()
    let diagnostics = RecordedDiagnostics()
    var files: MemoryFiles
    var dns: (Gauge) -> any DNSResolving = { ScriptedDNS.clerkCNAME(gauge: $0) }
    var environment: [String: String] = [:]

    init(files: [String: String]) {
        self.files = MemoryFiles(files)
    }

    var engine: CheckEngine {
        CheckEngine(services: EngineServices(
            clock: clock, environment: environment, files: files,
            network: FakeNetwork(http: TableHTTP(gauge: gauge), dns: dns(gauge)), diagnostics: diagnostics))
    }

    /// A memory app folder at `/mem/<name>` whose production domain is `<name>.example`.
    static func app(_ name: String, extra: String = "") -> [String: String] {
        ["/mem/\(name)/preflight.yml": "app:\n  domain: \(name).example\n\(extra)"]
    }
}
