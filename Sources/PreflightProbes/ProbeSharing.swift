import Foundation
import PreflightCore

/// What the apps of one run share: identical probes (the same Frontend API, the same DNS name)
/// run once, and no more than `globalLimit` exchanges and queries are in flight at once, nor
/// more than `perHostLimit` HTTP exchanges with one host, so 1,000 apps neither open 12,000
/// sockets nor hammer one server.
public final class ProbeSharing: Sendable {
    let cache: ProbeCache
    let limiter: RequestLimiter
    /// This app's place in the run: its requests wait behind those of apps that started before it.
    let priority: Int
    /// One c-ares channel (and poll thread) for every app, as HTTP has one curl multi loop.
    public let resolver: (any DNSResolving)?
    /// One client, so its options (thousands of --connect-to entries) are indexed once.
    public let http: (any HTTPFetching)?

    public init(globalLimit: Int = 64, perHostLimit: Int = 8, resolver: (any DNSResolving)? = nil, http: (any HTTPFetching)? = nil) {
        cache = ProbeCache()
        limiter = RequestLimiter(global: max(1, globalLimit), perHost: max(1, perHostLimit))
        priority = 0
        self.resolver = resolver
        self.http = http
        // The limiter decides how many exchanges run, not curl's own connection cap.
        if globalLimit > CurlMultiLoop.defaultMaxConnections { CurlMultiLoop.shared.allowConnections(atLeast: globalLimit) }
    }

    private init(cache: ProbeCache, limiter: RequestLimiter, priority: Int, resolver: (any DNSResolving)?, http: (any HTTPFetching)?) {
        self.cache = cache
        self.limiter = limiter
        self.priority = priority
        self.resolver = resolver
        self.http = http
    }

    /// The same sharing for the app at `index` in the run (see `RequestLimiter`).
    public func forApp(_ index: Int) -> ProbeSharing {
        ProbeSharing(cache: cache, limiter: limiter, priority: index, resolver: resolver, http: http)
    }

    /// Runs `work` within the caps, in this app's place in the queue.
    func limited<T: Sendable>(host: String?, _ work: @Sendable () async -> T) async -> T {
        await limiter.acquire(host: host, priority: priority)
        let result = await work()
        limiter.release(host: host)
        return result
    }

    /// The same caps and loops with no remembered answers, for a retry (`--wait`) that must ask again.
    public func retrying() -> ProbeSharing {
        ProbeSharing(cache: ProbeCache(), limiter: limiter, priority: priority, resolver: resolver, http: http)
    }
}

/// One task per distinct request; later askers await the first one's answer. Bounded: past
/// `capacity` answers the oldest are forgotten (never one still in flight), so a fleet's memory
/// does not grow with every page and certificate it has read. Apps run in a window, so
/// sharing happens among recent ones. Measured on bench/fleet (1,000 apps): 256 answers ask 9
/// of 17,000 questions again that 1,024 shared, and keep the peak 11 MB lower.
actor ProbeCache {
    private var tasks: [String: Task<[LiveProber.ProbeOutput], Never>] = [:]
    private var answered: [String] = []
    private var oldest = 0
    let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// `key` names the request and the credential it is sent with: two apps with different
    /// secret keys never share a Backend API answer.
    func outputs(for key: String, run: @escaping @Sendable () async -> [LiveProber.ProbeOutput]) async -> [LiveProber.ProbeOutput] {
        if let task = tasks[key] { return await task.value }
        let task = Task { await run() }
        tasks[key] = task
        let outputs = await task.value
        forget(after: key)
        return outputs
    }

    /// Counts `key` as answered and forgets the oldest answers past the capacity.
    private func forget(after key: String) {
        answered.append(key)
        while answered.count - oldest > capacity {
            tasks[answered[oldest]] = nil
            oldest += 1
        }
        if oldest > capacity {
            answered.removeFirst(oldest)
            oldest = 0
        }
    }
}

/// A counting semaphore with a second, per-host count, for async callers. A lock, not an actor:
/// a finished exchange frees its slot where it finishes, and the next waiter starts at once,
/// without two hops through an actor per request (at a fleet's 17,000 requests those hops
/// kept slots busy after their answers had come).
///
/// Waiters are served by priority (lower first), then in arrival order. A fleet gives each app
/// its place in the run as its priority, so the follow-up requests of an app in flight (the
/// scripts its page loads) go before the first requests of apps that started later: the app
/// finishes sooner, and its follow-ups find its idle connection still open instead of
/// waiting behind a queue that outlives the connection cache (bench/fleet: 4 handshakes per
/// app instead of 8). A fleet's window of apps in flight is one too (with no host).
public final class RequestLimiter: @unchecked Sendable {
    let global: Int
    let perHost: Int
    private struct Waiter {
        var priority: Int
        var arrival: Int
        var host: String?
        var continuation: CheckedContinuation<Void, Never>
    }
    private let lock = NSLock()
    // Guarded by `lock`.
    private var inFlight = 0
    private var hostInFlight: [String: Int] = [:]
    /// Sorted by (priority, arrival).
    private var waiting: [Waiter] = []
    private var arrivals = 0

    public init(global: Int, perHost: Int = .max) {
        self.global = global
        self.perHost = perHost
    }

    private func fits(_ host: String?) -> Bool {
        inFlight < global && (host.map { hostInFlight[$0, default: 0] < perHost } ?? true)
    }

    private func take(_ host: String?) {
        inFlight += 1
        if let host { hostInFlight[host, default: 0] += 1 }
    }

    public func acquire(host: String? = nil, priority: Int = 0) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                // After every release no waiter fits while a slot is free (release serves every
                // one that fits), so if this one fits, nobody waiting is passed over.
                if fits(host) {
                    take(host)
                    return true
                }
                arrivals += 1
                let waiter = Waiter(priority: priority, arrival: arrivals, host: host, continuation: continuation)
                // After every waiter of the same or a lower priority (binary search).
                var low = 0, high = waiting.count
                while low < high {
                    let middle = (low + high) / 2
                    if waiting[middle].priority <= priority { low = middle + 1 } else { high = middle }
                }
                waiting.insert(waiter, at: low)
                return false
            }
            if now { continuation.resume() }
        }
    }

    public func release(host: String? = nil) {
        let ready = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            inFlight -= 1
            if let host { hostInFlight[host, default: 1] -= 1 }
            // In order, but a waiter for a busy host does not block the others.
            var ready: [CheckedContinuation<Void, Never>] = []
            var taken: [Int] = []
            var index = 0
            while index < waiting.count, inFlight < global {
                if fits(waiting[index].host) {
                    take(waiting[index].host)
                    ready.append(waiting[index].continuation)
                    taken.append(index)
                }
                index += 1
            }
            for index in taken.reversed() { waiting.remove(at: index) }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }
}
