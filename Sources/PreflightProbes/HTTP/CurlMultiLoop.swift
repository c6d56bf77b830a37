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

    private init() {
        // Once, before any other thread uses curl.
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        multi = curl_multi_init()
        _ = preflight_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 64)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "preflight.curl"
        thread.start()
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
            lock.unlock()
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
