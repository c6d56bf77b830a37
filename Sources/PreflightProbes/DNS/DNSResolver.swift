import CAres
import Foundation
import PreflightCore

/// Settings of the resolver, from flags.
public struct DNSResolverOptions: Sendable, Hashable {
    /// `host:port` of the server to ask; `nil` for the system's resolvers (/etc/resolv.conf).
    public var server: String?
    /// Time for one try of one query.
    public var timeoutMs: Int = 2_000
    public var tries: Int = 2

    public init(server: String? = nil, timeoutMs: Int = 2_000, tries: Int = 2) {
        self.server = server
        self.timeoutMs = timeoutMs
        self.tries = tries
    }
}

/// DNS over c-ares, with all queries of a run on one channel driven by one poll thread.
/// Keeps apart answer, NXDOMAIN, NODATA, dangling chain, SERVFAIL, REFUSED and timeout.
public final class DNSResolver: Sendable {
    private let loop: AresLoop

    /// Fails only when c-ares cannot be set up (a malformed `--dns-server`).
    public init(options: DNSResolverOptions = DNSResolverOptions()) throws {
        loop = try AresLoop(options: options)
    }

    deinit { loop.stop() }

    public func resolve(_ question: DNSQuestion) async -> DNSAnswer {
        await loop.query(question)
    }
}

/// The c-ares channel and its poll thread. c-ares 1.18 channels are not thread-safe, so
/// every call on the channel happens on this thread; other threads only queue work and
/// wake it through a pipe.
final class AresLoop: @unchecked Sendable {
    struct Query {
        let question: DNSQuestion
        let continuation: CheckedContinuation<DNSAnswer, Never>
    }

    /// What a callback needs; passed to c-ares as an unmanaged pointer.
    final class Pending {
        let question: DNSQuestion
        let continuation: CheckedContinuation<DNSAnswer, Never>
        let started = DispatchTime.now()
        init(_ query: Query) {
            question = query.question
            continuation = query.continuation
        }
        var elapsedMs: Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000 }
    }

    private static let libraryInitialized: Bool = { ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS }()

    private var channel: ares_channel?
    private let lock = NSLock()
    private var queue: [Query] = []
    private var stopped = false
    private let wakeRead: Int32
    private let wakeWrite: Int32

    init(options: DNSResolverOptions) throws {
        guard Self.libraryInitialized else { throw DNSSetupError("ares_library_init failed") }
        var aresOptions = ares_options()
        // NOCHECKRESP: report SERVFAIL and REFUSED instead of retrying them into a timeout.
        aresOptions.flags = ARES_FLAG_NOCHECKRESP
        aresOptions.timeout = Int32(options.timeoutMs)
        aresOptions.tries = Int32(max(1, options.tries))
        let mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES
        var channel: ares_channel?
        let status = ares_init_options(&channel, &aresOptions, mask)
        guard status == ARES_SUCCESS, let channel else {
            throw DNSSetupError("ares_init_options: \(String(cString: ares_strerror(status)))")
        }
        if let server = options.server {
            let status = ares_set_servers_ports_csv(channel, server)
            guard status == ARES_SUCCESS else {
                ares_destroy(channel)
                throw DNSSetupError("invalid DNS server '\(server)': \(String(cString: ares_strerror(status)))")
            }
        }
        self.channel = channel
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            ares_destroy(channel)
            throw DNSSetupError("pipe: \(String(cString: strerror(errno)))")
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        let thread = Thread { self.run() }
        thread.name = "preflight.dns"
        thread.start()
    }

    func query(_ question: DNSQuestion) async -> DNSAnswer {
        await withCheckedContinuation { continuation in
            lock.lock()
            if stopped {
                lock.unlock()
                continuation.resume(returning: DNSAnswer(question: question, outcome: .failed("resolver stopped")))
                return
            }
            queue.append(Query(question: question, continuation: continuation))
            lock.unlock()
            wake()
        }
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func run() {
        guard let channel else { return }
        let maxSockets = Int(preflight_ares_getsock_max())
        let bad = preflight_ares_socket_bad()
        while true {
            lock.lock()
            let started = queue
            queue = []
            let stop = stopped
            lock.unlock()
            if stop { break }
            for query in started {
                let pending = Unmanaged.passRetained(Pending(query)).toOpaque()
                ares_query(channel, query.question.name, Int32(ns_c_in.rawValue), query.question.type.code, aresCallback, pending)
            }

            var sockets = [ares_socket_t](repeating: bad, count: maxSockets)
            let bits = ares_getsock(channel, &sockets, Int32(maxSockets))
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            for index in 0..<maxSockets {
                let readable = preflight_ares_readable(bits, Int32(index)) != 0
                let writable = preflight_ares_writable(bits, Int32(index)) != 0
                guard readable || writable else { continue }
                fds.append(pollfd(fd: sockets[index], events: Int16((readable ? POLLIN : 0) | (writable ? POLLOUT : 0)), revents: 0))
            }
            var maxWait = timeval(tv_sec: 1, tv_usec: 0)
            var wait = timeval()
            let next = ares_timeout(channel, &maxWait, &wait)
            let timeoutMs = next.map { Int32($0.pointee.tv_sec * 1000 + $0.pointee.tv_usec / 1000) } ?? 1000
            _ = poll(&fds, nfds_t(fds.count), max(timeoutMs, 1))

            if fds[0].revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 64)
                while read(wakeRead, &buffer, buffer.count) > 0 {}
            }
            for fd in fds.dropFirst() where fd.revents != 0 {
                let readable = fd.revents & Int16(POLLIN | POLLERR | POLLHUP) != 0
                let writable = fd.revents & Int16(POLLOUT) != 0
                ares_process_fd(channel, readable ? fd.fd : bad, writable ? fd.fd : bad)
            }
            // Expires queries whose time is up.
            ares_process_fd(channel, bad, bad)
        }
        // Ends every query still open with ARES_EDESTRUCTION.
        ares_destroy(channel)
        close(wakeRead)
        close(wakeWrite)
        lock.lock()
        let left = queue
        queue = []
        lock.unlock()
        for query in left { query.continuation.resume(returning: DNSAnswer(question: query.question, outcome: .failed("resolver stopped"))) }
    }
}

struct DNSSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// c-ares calls this on the poll thread with the raw reply (also for NXDOMAIN, SERVFAIL, ...).
private let aresCallback: ares_callback = { context, status, _, buffer, length in
    guard let context else { return }
    let pending = Unmanaged<AresLoop.Pending>.fromOpaque(context).takeRetainedValue()
    let raw = buffer.map { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    var answer = DNSAnswerParser.answer(for: pending.question, status: status, reply: raw)
    answer.elapsedMs = pending.elapsedMs
    pending.continuation.resume(returning: answer)
}
