import CCurl
import Foundation

/// Drives every transfer of the process on one dedicated thread with curl's multi
/// interface. Blocking `curl_easy_perform` on Swift's cooperative pool (2 threads here)
/// would serialise the probes; this way 20 slow requests take as long as the slowest.
final class CurlMultiLoop: @unchecked Sendable {
    static let shared = CurlMultiLoop()

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var pending: [CurlTransfer] = []
    /// Transfers in flight, keyed by their easy handle; holding them keeps them alive.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Open connections (busy and idle) at most; at the cap curl closes the longest-idle one
    /// for a new one, or holds the transfer back. Guarded by `lock`; applied by the loop.
    private var maxConnections = CurlMultiLoop.defaultMaxConnections
    static let defaultMaxConnections = 64
    private var maxConnectionsChanged = false

    private init() {
        // Once, before any other thread uses curl.
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        multi = curl_multi_init()
        _ = preflight_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "preflight.curl"
        thread.start()
    }

    /// Lets at least `count` connections be open at once, so a caller's own cap above 64
    /// (a fleet's `--concurrency`) is not silently held to curl's.
    func allowConnections(atLeast count: Int) {
        lock.withLock {
            guard count > maxConnections else { return }
            maxConnections = count
            maxConnectionsChanged = true
        }
        curl_multi_wakeup(multi)
    }

    /// Runs a configured transfer to completion.
    func perform(_ transfer: CurlTransfer) async -> CurlTransfer {
        await withCheckedContinuation { continuation in
            transfer.continuation = continuation
            lock.lock()
            pending.append(transfer)
            lock.unlock()
            curl_multi_wakeup(multi)
        }
    }

    private func run() {
        while true {
            lock.lock()
            let added = pending
            pending = []
            let newMax = maxConnectionsChanged ? maxConnections : nil
            maxConnectionsChanged = false
            lock.unlock()
            // curl's handles belong to this thread: options change here, not in the caller's.
            if let newMax { _ = preflight_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, newMax) }
            for transfer in added {
                active[transfer.handle] = transfer
                curl_multi_add_handle(multi, transfer.handle)
            }

            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                if let transfer = active.removeValue(forKey: handle) {
                    transfer.resultCode = code
                    let continuation = transfer.continuation
                    transfer.continuation = nil
                    continuation?.resume(returning: transfer)
                }
            }
            // Sleeps until a socket is ready, a timer is due, or `perform` wakes it.
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }
}
