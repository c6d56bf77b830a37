import CCurl
import Foundation
import PreflightCore

/// HTTP over libcurl with an async API. Every exchange is bounded (time, body size,
/// redirects) and every failure is classified (`HTTPFailureKind`); nothing throws.
public struct HTTPClient: Sendable {
    public let options: HTTPClientOptions
    private let connectTo: ConnectToIndex

    public init(options: HTTPClientOptions = HTTPClientOptions()) {
        self.options = options
        connectTo = ConnectToIndex(options.connectTo)
    }

    /// Fetches `request.url`, following redirects by hand so every hop is recorded and a
    /// loop is named as one.
    /// A request carrying a credential goes only to its own `https:` origin: asked over `http:`
    /// it is not sent, and redirected elsewhere it is not followed (`credential-redirect`).
    public func fetch(_ request: HTTPRequest) async -> HTTPResult {
        var url = request.url
        var hops: [RedirectHop] = []
        var seen: Set<String> = [url]
        let origin = Origin(url)
        if request.carriesCredential, origin?.scheme != "https" {
            return .failure(HTTPFailure(
                kind: .insecureCredential, message: "refused to send a credential to \(url): only https: carries one", url: url))
        }
        while true {
            let hop = await exchange(url: url, request: request)
            guard case .response(var response) = hop else { return hop }
            let isRedirect = [301, 302, 303, 307, 308].contains(response.status)
            // A POST is never sent again to where a redirect points (Svix does not follow either).
            guard request.followRedirects, request.method == nil, isRedirect, let location = response.header("location") else {
                response.redirects = hops
                return .response(response)
            }
            guard let next = URL(string: location, relativeTo: URL(string: url))?.absoluteURL.absoluteString else {
                return .failure(HTTPFailure(kind: .invalidURL, message: "redirect to an invalid URL '\(location)'", url: url))
            }
            if request.carriesCredential, Origin(next) != origin {
                return .failure(HTTPFailure(
                    kind: .credentialRedirect,
                    message: "redirected (HTTP \(response.status)) to \(next), another origin than \(origin?.description ?? url): not followed, so the credential was not sent there",
                    url: url))
            }
            hops.append(RedirectHop(url: url, status: response.status, location: next))
            if seen.contains(next) {
                let loop = (hops.map(\.url) + [next]).joined(separator: " -> ")
                return .failure(HTTPFailure(kind: .tooManyRedirects, message: "redirect loop: \(loop)", url: url))
            }
            if hops.count > options.maxRedirects {
                return .failure(HTTPFailure(kind: .tooManyRedirects, message: "more than \(options.maxRedirects) redirects", url: url))
            }
            seen.insert(next)
            url = next
        }
    }

    /// One hop.
    func exchange(url: String, request: HTTPRequest, verify: Bool = true) async -> HTTPResult {
        guard let handle = curl_easy_init() else {
            return .failure(HTTPFailure(kind: .transport, message: "curl_easy_init failed", url: url))
        }
        let transfer = CurlTransfer(handle: handle, bodyCap: options.bodyCap)
        configure(transfer, url: url, request: request, verify: verify)
        let done = await CurlMultiLoop.shared.perform(transfer)

        if done.resultCode != CURLE_OK {
            var failure = classify(done, url: url)
            // Read the chain without verifying, so the finding can say what is wrong with it.
            if failure.kind.isTLS, verify, request.certificates {
                if case .response(let unverified) = await exchange(url: url, request: request, verify: false) {
                    failure.certificates = unverified.certificates
                }
            }
            return .failure(failure)
        }
        return .response(HTTPResponse(
            url: url, status: done.long(CURLINFO_RESPONSE_CODE), headers: done.headers,
            body: String(decoding: done.body, as: UTF8.self), bodyBytes: done.body.count,
            timings: done.timings, certificates: request.certificates ? done.certificates : nil,
            invalidUTF8Offset: TextPosition.firstInvalidUTF8Offset(in: done.body)))
    }

    private func configure(_ transfer: CurlTransfer, url: String, request: HTTPRequest, verify: Bool) {
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        transfer.set(CURLOPT_URL, url)
        transfer.set(CURLOPT_NOSIGNAL, 1)
        transfer.set(CURLOPT_FOLLOWLOCATION, 0)
        transfer.set(CURLOPT_TIMEOUT_MS, request.timeoutMs ?? options.timeoutMs)
        transfer.set(CURLOPT_CONNECTTIMEOUT_MS, min(options.connectTimeoutMs, request.timeoutMs ?? options.timeoutMs))
        transfer.set(CURLOPT_USERAGENT, options.userAgent)
        // "" = every encoding this libcurl decodes (gzip, deflate, br, zstd); the cap counts decoded bytes.
        transfer.set(CURLOPT_ACCEPT_ENCODING, "")
        transfer.set(CURLOPT_PROTOCOLS_STR, "http,https")
        _ = preflight_easy_setopt_off(transfer.handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.bodyCap))
        _ = preflight_easy_setopt_pointer(transfer.handle, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        _ = preflight_easy_setopt_pointer(transfer.handle, CURLOPT_PRIVATE, context)
        _ = preflight_easy_setopt_callback(transfer.handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = preflight_easy_setopt_pointer(transfer.handle, CURLOPT_WRITEDATA, context)
        _ = preflight_easy_setopt_callback(transfer.handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = preflight_easy_setopt_pointer(transfer.handle, CURLOPT_HEADERDATA, context)
        transfer.set(CURLOPT_RESOLVE, list: options.resolve)
        transfer.set(CURLOPT_CONNECT_TO, list: connectTo.entries(for: url))
        transfer.set(CURLOPT_HTTPHEADER, list: request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })
        if request.method == "POST" {
            // Copied by libcurl; the size is given so a body with a NUL is sent whole.
            let body = request.body ?? ""
            transfer.set(CURLOPT_POSTFIELDSIZE, body.utf8.count)
            transfer.set(CURLOPT_COPYPOSTFIELDS, body)
        }
        // Trust from one CA file, so libcurl builds the certificate store once per run and
        // reuses it (its CA cache): with a CA folder configured too (Debian's libcurl has
        // /etc/ssl/certs) it parses the whole bundle again for every TLS handshake, which was a
        // seventh of a fleet's CPU. The folder is left on only when there is no file.
        if let caFile = options.caBundle ?? Self.defaultCAFile {
            transfer.set(CURLOPT_CAINFO, caFile)
            _ = preflight_easy_setopt_pointer(transfer.handle, CURLOPT_CAPATH, nil)
        }
        if request.certificates {
            // Certificates are only reported for a new connection.
            transfer.set(CURLOPT_CERTINFO, 1)
            transfer.set(CURLOPT_FRESH_CONNECT, 1)
        }
        if !verify {
            transfer.set(CURLOPT_SSL_VERIFYPEER, 0)
            transfer.set(CURLOPT_SSL_VERIFYHOST, 0)
            transfer.set(CURLOPT_NOBODY, 1)
        }
    }

    /// libcurl's built-in CA bundle, when it is a readable regular file.
    static let defaultCAFile: String? = {
        guard let info = preflight_curl_version_info(), let file = info.pointee.cainfo.map({ String(cString: $0) }),
              FileKind.of(file) == .regular, access(file, R_OK) == 0 else { return nil }
        return file
    }()

    private func classify(_ transfer: CurlTransfer, url: String) -> HTTPFailure {
        let code = transfer.resultCode
        let detail = transfer.errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : transfer.errorText
        let kind: HTTPFailureKind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: kind = .dns
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_PROXY, CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            kind = .connect
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_WRITE_ERROR where transfer.exceededCap, CURLE_FILESIZE_EXCEEDED:
            return HTTPFailure(kind: .tooLarge, message: "body larger than the \(options.bodyCap)-byte cap (counted after decompression)", url: url)
        case CURLE_BAD_CONTENT_ENCODING: kind = .decoding
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: kind = .invalidURL
        case CURLE_SSL_CONNECT_ERROR: kind = .tlsHandshake
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            // X509_V_ERR_CERT_HAS_EXPIRED is 10; curl checks the host name itself after the handshake.
            let verifyResult = transfer.long(CURLINFO_SSL_VERIFYRESULT)
            let lowered = detail.lowercased()
            if verifyResult == 10 || lowered.contains("expired") {
                kind = .tlsExpired
            } else if verifyResult == 62 || lowered.contains("subject name") || lowered.contains("does not match") {
                kind = .tlsHostname
            } else {
                kind = .tlsUntrusted
            }
        default: kind = .transport
        }
        return HTTPFailure(kind: kind, message: detail, url: url)
    }
}

/// `--connect-to` entries by host: a transfer gets only those that can apply to it, since
/// libcurl parses and scans the whole list for every transfer (a fleet's 4,000 entries made
/// that most of a run's time).
struct ConnectToIndex: Sendable {
    private var byHost: [String: [String]] = [:]
    /// Entries with an empty host apply to every request.
    private var anyHost: [String] = []

    init(_ entries: [String]) {
        for entry in entries {
            // "host:port:..." or "[v6]:port:...".
            let host = entry.hasPrefix("[") ? String(entry.dropFirst().prefix { $0 != "]" }).lowercased()
                : entry.prefix { $0 != ":" }.lowercased()
            if host.isEmpty { anyHost.append(entry) } else { byHost[host, default: []].append(entry) }
        }
    }

    func entries(for url: String) -> [String] {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return anyHost }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        return (byHost[bare] ?? []) + anyHost
    }
}
