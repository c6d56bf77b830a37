import CCurl
import Foundation
import PreflightCore

/// One easy handle and everything that must live as long as it: buffers, header lists,
/// the error buffer, and the continuation waiting for it.
final class CurlTransfer: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let bodyCap: Int
    var body = Data()
    var headers: [HTTPHeader] = []
    var status = 0
    var exceededCap = false
    var continuation: CheckedContinuation<CurlTransfer, Never>?
    var resultCode: CURLcode = CURLE_OK
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(handle: UnsafeMutableRawPointer, bodyCap: Int) {
        self.handle = handle
        self.bodyCap = bodyCap
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        lists.forEach { curl_slist_free_all($0) }
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) { _ = preflight_easy_setopt_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = preflight_easy_setopt_string(handle, option, value) }

    /// Sets a string-list option; the list is freed with the transfer (curl keeps a pointer).
    func set(_ option: CURLoption, list: [String]) {
        guard !list.isEmpty else { return }
        var slist: UnsafeMutablePointer<curl_slist>?
        for item in list { slist = curl_slist_append(slist, item) }
        if let slist {
            lists.append(slist)
            _ = preflight_easy_setopt_slist(handle, option, slist)
        }
    }

    var errorText: String { String(cString: errorBuffer) }

    // MARK: Reading results

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = preflight_easy_getinfo_long(handle, info, &value)
        return value
    }

    func milliseconds(_ info: CURLINFO) -> Double {
        var value: curl_off_t = 0
        _ = preflight_easy_getinfo_off(handle, info, &value)
        return Double(value) / 1000
    }

    var timings: HTTPTimings {
        HTTPTimings(
            dnsMs: milliseconds(CURLINFO_NAMELOOKUP_TIME_T), connectMs: milliseconds(CURLINFO_CONNECT_TIME_T),
            tlsMs: milliseconds(CURLINFO_APPCONNECT_TIME_T), firstByteMs: milliseconds(CURLINFO_STARTTRANSFER_TIME_T),
            totalMs: milliseconds(CURLINFO_TOTAL_TIME_T))
    }

    /// The CERTINFO fields `CertificateParsing` reads, each with the colon that ends its name.
    static let certificateFields = ["Subject:", "Issuer:", "X509v3 Subject Alternative Name:", "Start date:", "Expire date:"]

    /// The chain libcurl collected with CURLOPT_CERTINFO, leaf first.
    var certificates: [CertificateFacts] {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard preflight_easy_getinfo_certinfo(handle, &info) == CURLE_OK, let info, let lists = info.pointee.certinfo else { return [] }
        return (0..<Int(info.pointee.num_of_certs)).map { index in
            var fields: [String: String] = [:]
            var node = lists[index]
            while let current = node {
                // Only the fields read: the others include the whole PEM and the signature,
                // which made copying every line a fifth of a fleet's certificate work.
                if let data = current.pointee.data, let name = Self.certificateFields.first(where: { strncmp(data, $0, strlen($0)) == 0 }) {
                    let line = String(cString: data)
                    fields[String(name.dropLast())] = String(line.dropFirst(name.count))
                }
                node = current.pointee.next
            }
            return CertificateParsing.facts(from: fields)
        }
    }
}

// MARK: C callbacks: the context pointer is the unretained transfer.

let curlWriteCallback: preflight_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if transfer.body.count + length > transfer.bodyCap {
        // Keep what fits, then abort: curl reports CURLE_WRITE_ERROR, classified as too-large.
        let room = transfer.bodyCap - transfer.body.count
        if room > 0 { data.withMemoryRebound(to: UInt8.self, capacity: room) { transfer.body.append($0, count: room) } }
        transfer.exceededCap = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.body.append($0, count: length) }
    return length
}

let curlHeaderCallback: preflight_curl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    // Trimmed as bytes (CharacterSet trimming was most of this callback's cost in a fleet).
    let bytes = UnsafeRawBufferPointer(start: data, count: length)
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
    var start = 0
    var end = length
    while start < end, isSpace(bytes[start]) { start += 1 }
    while end > start, isSpace(bytes[end - 1]) { end -= 1 }
    let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        // A new response (after 100 Continue or a proxy's CONNECT): start over.
        transfer.headers = []
        transfer.status = Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    } else if let colon = line.firstIndex(of: ":") {
        transfer.headers.append(HTTPHeader(
            name: String(line[..<colon]),
            value: String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })))
    }
    return length
}
