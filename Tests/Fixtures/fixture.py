#!/usr/bin/env python3
"""Local servers for Preflight's integration tests and benchmark.

Starts, on random loopback ports:
  - HTTPS servers (stdlib ssl) with certificates made per run by `openssl`: a trusted one
    serving the routes in routes.json plus fault endpoints, and one each for an expired
    certificate, a certificate for another host, one from an untrusted CA, and one that
    expires in 10 days;
  - dnsmasq answering from zone.json;
  - a plain HTTP server that redirects every request to https:// (except hosts listed in
    routes.json's "plain_http_hosts", which it serves as they are);
  - a dnslib server for what dnsmasq cannot do: SERVFAIL, REFUSED, slow answers, dangling
    CNAMEs, and late.test and late2.test, whose every name does not exist until --late-seconds
    after the first question about that domain (records that propagate, for --wait; one domain
    per test, so the tests' clocks do not start each other's); any other name it forwards to
    dnsmasq, so with --delay-ms it is a resolver whose every answer is late.
Every domain under zone.json's "apps" gets Clerk's whole record set (clerk., accounts., the
mail and DKIM CNAMEs, DMARC, CAA), less what its entry omits: one misconfiguration each.
Pages are templates: __HOST__ becomes the request's host and __PUBLISHABLE_KEY__ the live key
of clerk.<host>, so the generic routes serve a correct app on every such domain.
Writes DIR/fixture.json with the ports and the CA, then serves until killed or until its
parent process dies. Nothing listens beyond 127.0.0.1.
"""
import argparse, base64, gzip, json, os, signal, socket, socketserver, ssl, subprocess, sys, threading, time, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTS = ["example.test", "*.example.test", "*.dev.example.test", "*.malformed.example.test", "*.down.example.test", "*.limited.example.test", "api.clerk.test", "localhost", "*.bench.test", "*.clerk.accounts.dev", "*.clerk.test"]
# Fixed dates keep the demo's committed reports the same from run to run.
GOOD_VALIDITY = ("20260101000000Z", "20310101000000Z")
# The Date header of every answer: 2027-01-01T00:00:00Z, the demo's SOURCE_DATE_EPOCH.
FIXED_DATE = 1798761600


def publishable_key(host):
    """The live key Clerk issues for a Frontend API host (no padding, as new keys have)."""
    return "pk_live_" + base64.b64encode(f"{host}$".encode()).decode().rstrip("=")


def app_records(domain, spec):
    """Clerk's DNS records for a production domain, less spec["omit"], plus spec's extras."""
    omit = set(spec.get("omit", []))
    a, cname, txt, caa = {}, {}, {}, {}
    if "apex" not in omit:
        a[domain] = "127.0.0.1"
    standard = {"clerk": "frontend-api.clerk.services", "accounts": "accounts.clerk.services",
                "clkmail": "mail.fixture.clerk.services", "clk._domainkey": "dkim1.fixture.clerk.services",
                "clk2._domainkey": "dkim2.fixture.clerk.services"}
    for label, target in standard.items():
        if label not in omit:
            cname[f"{label}.{domain}"] = spec.get("cname", {}).get(label, target)
    for label, address in spec.get("a", {}).items():
        a[f"{label}.{domain}"] = address
    if "_dmarc" not in omit:
        txt[f"_dmarc.{domain}"] = "v=DMARC1; p=reject"
    if "caa" not in omit:
        caa[domain] = spec.get("caa", [[0, "issue", "letsencrypt.org"], [0, "issue", "pki.goog"]])
    return a, cname, txt, caa


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_ca(d, name):
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "3650", "-subj", f"/CN=Preflight {name}", cwd=d)


def make_cert(d, name, ca, hosts, days=825, start=None, end=None):
    """A server certificate signed by `ca`. With start/end (YYYYMMDDHHMMSSZ) it goes through
    `openssl ca`, the only way openssl 3.0 sets dates in the past."""
    san = ",".join(f"DNS:{h}" for h in hosts)
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={hosts[0]}", cwd=d)
    with open(os.path.join(d, f"{name}.ext"), "w") as f:
        f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    if start is None:
        run("openssl", "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-out", f"{name}.pem", "-days", str(days), "-extfile", f"{name}.ext", cwd=d)
        return
    db = os.path.join(d, f"{name}-db")
    os.makedirs(db, exist_ok=True)
    open(os.path.join(db, "index.txt"), "w").close()
    with open(os.path.join(db, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(d, f"{name}.cnf"), "w") as f:
        f.write(f"""[ca]
default_ca = local
[local]
database = {db}/index.txt
serial = {db}/serial
new_certs_dir = {db}
default_md = sha256
policy = anything
copy_extensions = none
[anything]
commonName = supplied
""")
    run("openssl", "ca", "-batch", "-config", f"{name}.cnf", "-in", f"{name}.csr", "-cert", f"{ca}.pem",
        "-keyfile", f"{ca}.key", "-out", f"{name}.pem", "-startdate", start, "-enddate", end,
        "-extfile", f"{name}.ext", "-notext", cwd=d)


def free_port(kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def free_udp_and_tcp_port():
    """A port free for both, as dnsmasq binds both: a UDP port can still be held on TCP (a
    connection in TIME_WAIT after a run that made thousands, such as bench/fleet)."""
    while True:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            tcp.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            tcp.close()
            udp.close()


class Bomb:
    """A gzip body that inflates to 1 GiB, made once on first use (about 1 MB)."""
    _data = None
    _lock = threading.Lock()

    @classmethod
    def data(cls):
        with cls._lock:
            if cls._data is None:
                c = zlib.compressobj(9, zlib.DEFLATED, 31)
                chunk = b"\0" * (1 << 20)
                parts = [c.compress(chunk) for _ in range(1024)]
                parts.append(c.flush())
                cls._data = b"".join(parts)
            return cls._data


def domain_of(host):
    """The app domain a host serves: clerk.D, accounts.D, api.D and www.D belong to D."""
    first, _, rest = host.partition(".")
    return rest if first in ("clerk", "accounts", "api", "www") and "." in rest else host


def render(body, host, variables):
    """Fills a template for the host it is served on."""
    domain = domain_of(host)
    values = {"__HOST__": host, "__DOMAIN__": domain, "__PUBLISHABLE_KEY__": publishable_key(f"clerk.{domain}")}
    values.update(variables)
    for name, value in values.items():
        body = body.replace(name.encode(), value.encode())
    return body


RATE_LIMITED, RATE_LIMITED_LOCK = set(), threading.Lock()


# Answers given, for the fleet benchmark's ideal time: GET /__fixture/stats on any server.
STATS = {"http": 0, "dns": 0, "tls": 0}
STATS_LOCK = threading.Lock()
COUNTS = {}
# Requests with a credential that reached collector.clerk.test: GET /__collected there.
COLLECTED = []
# With --log-requests, every request answered (bench/fleet replays them with curl and dig):
# GET /__fixture/requests?since=N returns the entries from the N-th on.
REQUESTS = []
LOG_REQUESTS = False


def count(kind):
    with STATS_LOCK:
        STATS[kind] += 1


def handler_for(routes, delay_ms, plain=False):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without it every response waits ~40 ms for Nagle's algorithm.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def send(self, status, body=b"", headers=None):
            self.send_response(status)
            headers = dict(headers or {})
            headers.setdefault("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET()

        def date_time_string(self, timestamp=None):
            # Every answer is dated FIXED_DATE, so reports that quote Date headers are the same
            # from run to run; clockskew.test's server is two minutes slow (web.clock_in_sync),
            # while its Frontend API (clerk.clockskew.test) keeps the time.
            host = (self.headers.get("Host") or "").split(":")[0].lower() if getattr(self, "headers", None) else ""
            return super().date_time_string(FIXED_DATE - 120 if host == "clockskew.test" else FIXED_DATE)

        def do_POST(self):
            # Only routes declared for POST ("POST host path"): the webhook endpoints. The body
            # is read whole (bounded) so the connection stays usable.
            length = min(int(self.headers.get("Content-Length") or "0"), 1 << 20)
            body = self.rfile.read(length)
            count("http")
            path = self.path.partition("?")[0]
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            if path == "/v1/proxy_checks":
                # Clerk's proxy check (Backend API, shaped as bapi's ProxyCheck): it succeeds for
                # a proxy that reaches the production instance (not proxybroken.test's or
                # proxydev.test's, nor proxyclerkfail.test's, whose proxy answers browsers but
                # not Clerk's own check), for the domain the request names.
                authorization = self.headers.get("Authorization") or ""
                if not authorization.startswith("Bearer sk_") or "revoked" in authorization.lower():
                    return self.send(401, b'{"errors":[{"code":"authentication_invalid"}]}', {"Content-Type": "application/json"})
                try:
                    request = json.loads(body)
                    domain_id, proxy_url = request["domain_id"], request["proxy_url"]
                except (ValueError, KeyError, TypeError):
                    return self.send(422, b'{"errors":[{"code":"form_param_missing"}]}', {"Content-Type": "application/json"})
                successful = not any(bad in proxy_url for bad in ("proxybroken.test", "proxydev.test", "proxyclerkfail.test"))
                with open(os.path.join(HERE, "payloads/backend-proxy-check.json")) as f:
                    answer = (f.read().replace("__DOMAIN_ID__", json.dumps(domain_id)[1:-1]).replace("__PROXY_URL__", json.dumps(proxy_url)[1:-1])
                              .replace("__SUCCESSFUL__", "true" if successful else "false"))
                return self.send(200, answer.encode(), {"Content-Type": "application/json"})
            route = routes.get(f"POST {host} {path}") or routes.get(f"POST * {path}")
            if delay_ms:
                time.sleep(delay_ms / 1000)
            if route is None:
                return self.send(405 if (routes.get(f"{host} {path}") or routes.get(f"* {path}")) else 404, b"", {"Content-Type": "text/plain"})
            if self.headers.get("Authorization") is not None or self.headers.get("Cookie") is not None:
                # The test event never carries a credential: if it did, it is "accepted" here, so
                # the check fails and the test that sets a secret key sees it.
                return self.send(200, b'{"credential_seen":true}', {"Content-Type": "application/json"})
            headers = {k: render(v.encode(), host, {}).decode() for k, v in route.get("headers", {}).items()}
            self.send(route.get("status", 200), render(route.get("body", "").encode(), host, {}), headers)

        def do_GET(self):
            path, _, query = self.path.partition("?")
            if path == "/__fixture/stats":
                with STATS_LOCK:
                    return self.send(200, json.dumps(STATS).encode(), {"Content-Type": "application/json"})
            if path == "/__fixture/requests":
                since = int(dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("since", "0"))
                with STATS_LOCK:
                    return self.send(200, json.dumps({"total": len(REQUESTS), "requests": REQUESTS[since:]}).encode(),
                                     {"Content-Type": "application/json"})
            count("http")
            if LOG_REQUESTS:
                with STATS_LOCK:
                    REQUESTS.append(["http" if plain else "https", self.headers.get("Host") or "", self.path])
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            if host == "collector.clerk.test":
                # Where the redirect tests point: it must never see a credential.
                with STATS_LOCK:
                    if self.headers.get("Authorization") is not None or self.headers.get("Cookie") is not None:
                        COLLECTED.append(f"{'https' if not plain else 'http'} {self.path}")
                    if path == "/__collected":
                        return self.send(200, json.dumps(COLLECTED).encode(), {"Content-Type": "application/json"})
                return self.send(200, b"{}", {"Content-Type": "application/json"})
            # Backend/Platform API look-alikes that redirect every request: to another host, to
            # http:, to another port of the same host, or (same origin) to the same path under
            # /__same, which is served as the path itself.
            redirects = {"redirect-other.clerk.test": f"https://collector.clerk.test{self.path}",
                         "redirect-http.clerk.test": f"http://collector.clerk.test{self.path}",
                         "redirect-port.clerk.test": f"https://redirect-port.clerk.test:8443{self.path}"}
            if host in redirects:
                return self.send(307, b"", {"Location": redirects[host]})
            if host == "redirect-same.clerk.test":
                if not path.startswith("/__same/"):
                    return self.send(307, b"", {"Location": f"/__same{self.path}"})
                path = path[len("/__same"):]
                host = "api.clerk.test"
            if delay_ms:
                time.sleep(delay_ms / 1000)
            if plain and host not in routes.get("plain_http_hosts", []):
                return self.send(301, b"", {"Location": f"https://{host}{self.path}"})
            params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
            if path == "/__slow":
                time.sleep(int(params.get("ms", "5000")) / 1000)
                return self.send(200, b"slow\n")
            if path == "/__count":
                # How often this id was asked, this time included (after ms): proves sharing.
                time.sleep(int(params.get("ms", "0")) / 1000)
                with STATS_LOCK:
                    COUNTS[params.get("id", "")] = COUNTS.get(params.get("id", ""), 0) + 1
                    return self.send(200, str(COUNTS[params.get("id", "")]).encode(), {"Content-Type": "text/plain"})
            if path == "/__big":
                # No Content-Length: the client must stop reading at its cap.
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                total, block = int(params.get("bytes", str(1 << 30))), b"a" * (1 << 16)
                try:
                    while total > 0:
                        self.wfile.write(block[:min(total, len(block))])
                        total -= len(block)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                    pass
                self.close_connection = True
                return
            if path == "/__gzip-bomb":
                return self.send(200, Bomb.data(), {"Content-Encoding": "gzip", "Content-Type": "text/plain"})
            if path.startswith("/__status/"):
                code = int(path.rsplit("/", 1)[1])
                headers = {"Retry-After": "30"} if code == 429 else {}
                return self.send(code, f"status {code}\n".encode(), headers)
            if path == "/__redirect-loop":
                return self.send(302, b"", {"Location": "/__redirect-loop-2"})
            if path == "/__redirect-loop-2":
                return self.send(302, b"", {"Location": "/__redirect-loop"})
            if path == "/__not-utf8":
                return self.send(200, b'{"display_config": "\xff"}', {"Content-Type": "application/json"})
            if path == "/__malformed-json":
                return self.send(200, b'{"display_config": {"instance_environment_type": ', {"Content-Type": "application/json"})
            # Clerk's verdict on a domain (Platform API, shaped as platform/beta.yml's
            # PlatformDomainStatusResponse): all verified for app_shop; app_propagating has not
            # verified accounts.<domain> yet, with Clerk's failure hint.
            parts = path.split("/")
            if len(parts) == 8 and parts[1:4] == ["v1", "platform", "applications"] and parts[5] == "domains" and parts[7] == "status":
                authorization = self.headers.get("Authorization") or ""
                if not authorization.startswith("Bearer ak_") or "revoked" in authorization.lower():
                    return self.send(401, b'{"errors":[{"code":"authentication_invalid"}]}', {"Content-Type": "application/json"})
                with open(os.path.join(HERE, "payloads/platform-domain-status.json"), "rb") as f:
                    body = f.read()
                propagating = parts[4] == "app_propagating"
                hints = b'[{"code": "cname_not_found", "message": "no CNAME record found yet"}]'
                body = body.replace(b"__VERIFIED__", b"false" if propagating else b"true").replace(b"__HINTS__", hints if propagating else b"null")
                return self.send(200, render(body, parts[6], {}), {"Content-Type": "application/json"})
            route = routes.get(f"{host} {path}") or routes.get(f"* {path}")
            if route is None:
                return self.send(404, b"not found\n", {"Content-Type": "text/plain"})
            if "body_file" in route:
                with open(os.path.join(HERE, route["body_file"]), "rb") as f:
                    body = f.read()
            elif "json" in route:
                body = json.dumps(route["json"]).encode()
            else:
                body = route.get("body", "").encode()
            if route.get("template"):
                body = render(body, host, route.get("vars", {}))
            headers = {k: render(v.encode(), host, route.get("vars", {})).decode() for k, v in route.get("headers", {}).items()}
            if self.headers.get("Authorization") is not None:
                headers["X-Saw-Authorization"] = "yes"
            # A credential is accepted by its prefix (sk_ for the Backend API, ak_ for the
            # Platform API); one that says it was revoked is refused, as Clerk refuses it.
            required = route.get("requires_auth")
            if required:
                prefix = "sk_" if required is True else required
                authorization = self.headers.get("Authorization") or ""
                if not authorization.startswith(f"Bearer {prefix}") or "revoked" in authorization.lower():
                    return self.send(401, b'{"errors":[{"code":"authentication_invalid"}]}', {"Content-Type": "application/json"})
            if route.get("rate_limit_once"):
                with RATE_LIMITED_LOCK:
                    first = (host, path) not in RATE_LIMITED
                    RATE_LIMITED.add((host, path))
                if first:
                    return self.send(429, b'{"errors":[{"code":"too_many_requests"}]}', {"Content-Type": "application/json", "Retry-After": "1"})
            self.send(route.get("status", 200), body, headers)

    return Handler


class TLSServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a burst; the client then waits
    # a second to retry, which would measure the server, not the client.
    request_queue_size = 128

    def __init__(self, context, handler):
        self.context = context
        super().__init__(("127.0.0.1", 0), handler)

    def process_request_thread(self, request, client_address):
        # The handshake happens here, in the worker thread, not in accept().
        count("tls")
        try:
            request.settimeout(30)
            request = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            self.shutdown_request(request)
            return
        super().process_request_thread(request, client_address)


class PlainServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, handler):
        super().__init__(("127.0.0.1", 0), handler)


def start_https(d, cert, handler, by_name=None):
    """by_name maps a server name (SNI) to another certificate this server presents for it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(d, f"{cert}.pem"), os.path.join(d, f"{cert}.key"))
    if by_name:
        contexts = {}
        for name in set(by_name.values()):
            contexts[name] = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            contexts[name].load_cert_chain(os.path.join(d, f"{name}.pem"), os.path.join(d, f"{name}.key"))

        def choose(ssl_socket, server_name, _):
            if server_name in by_name:
                ssl_socket.context = contexts[by_name[server_name]]

        context.sni_callback = choose
    server = TLSServer(context, handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def start_dnsmasq(d, zone):
    port = free_udp_and_tcp_port()
    lines = [f"port={port}", "listen-address=127.0.0.1", "bind-interfaces", "no-resolv", "no-hosts",
             "no-negcache", "log-facility=/dev/null"]
    for domain in zone.get("local", []):
        lines.append(f"local=/{domain}/")
    for name, address in zone.get("a", {}).items():
        lines.append(f"host-record={name},{address}")
    for name, target in zone.get("cname", {}).items():
        lines.append(f"cname={name},{target}")
    for name, text in zone.get("txt", {}).items():
        lines.append(f'txt-record={name},"{text}"')
    for name, records in zone.get("caa", {}).items():
        for flags, tag, value in records:
            data = bytes([flags, len(tag)]) + tag.encode() + value.encode()
            lines.append(f"dns-rr={name},257,{data.hex()}")
    conf = os.path.join(d, "dnsmasq.conf")
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    proc = subprocess.Popen(["dnsmasq", "-k", f"--conf-file={conf}", f"--pid-file={d}/dnsmasq.pid"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return port, proc


def start_fault_dns(delay_ms, zone_port, late_seconds):
    from dnslib import A, CNAME, QTYPE, RCODE, RR, DNSRecord

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    first_late_question = {}
    lock = threading.Lock()

    def late_domain(name):
        """late.test, late2.test, ... when `name` is one of theirs."""
        labels = name.split(".")
        if len(labels) >= 2 and labels[-1] == "test" and labels[-2].startswith("late"):
            return ".".join(labels[-2:])
        return None

    def propagated(domain):
        """A late domain's records "propagate" late_seconds after the first question about it."""
        with lock:
            first = first_late_question.setdefault(domain, time.time())
            return time.time() - first >= late_seconds

    def answer(data, addr):
        try:
            request = DNSRecord.parse(data)
        except Exception:
            return
        name = str(request.q.qname).rstrip(".").lower()
        reply = request.reply()
        count("dns")
        if LOG_REQUESTS:
            with STATS_LOCK:
                REQUESTS.append(["dns", name, QTYPE[request.q.qtype]])
        if delay_ms:
            time.sleep(delay_ms / 1000)
        if name.startswith("servfail."):
            reply.header.rcode = RCODE.SERVFAIL
        elif name.startswith("refused."):
            reply.header.rcode = RCODE.REFUSED
        elif name.startswith("silent."):
            return  # never answers: the client's timeout
        elif name.startswith("slow."):
            time.sleep(3)
            reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A("127.0.0.1"), ttl=60))
        elif name.startswith("dangling."):
            reply.add_answer(RR(request.q.qname, QTYPE.CNAME, rdata=CNAME("gone.faults.test"), ttl=60))
            reply.header.rcode = RCODE.NXDOMAIN
        elif name.startswith("nxdomain."):
            reply.header.rcode = RCODE.NXDOMAIN
        elif late_domain(name) and not propagated(late_domain(name)):
            reply.header.rcode = RCODE.NXDOMAIN
        elif name.endswith(".bench.test"):
            if request.q.qtype == QTYPE.A:
                reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A("127.0.0.1"), ttl=60))
        else:
            # Everything else is the zone's answer, after the delay: a slow but correct resolver.
            upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            upstream.settimeout(2)
            try:
                upstream.sendto(data, ("127.0.0.1", zone_port))
                answer_bytes, _ = upstream.recvfrom(65535)
                sock.sendto(answer_bytes, addr)
            except OSError:
                pass
            finally:
                upstream.close()
            return
        sock.sendto(reply.pack(), addr)

    def serve():
        while True:
            data, addr = sock.recvfrom(4096)
            threading.Thread(target=answer, args=(data, addr), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--delay-ms", type=int, default=0, help="delay every HTTP and fault-DNS answer")
    parser.add_argument("--fleet", type=int, default=0, help="also serve N ready apps, f0001.fleet.test ... (bench/fleet)")
    parser.add_argument("--late-seconds", type=float, default=3, help="how long late.test does not exist on the fault server")
    parser.add_argument("--log-requests", action="store_true", help="keep every request answered, for GET /__fixture/requests (bench/fleet)")
    args = parser.parse_args()
    global LOG_REQUESTS
    LOG_REQUESTS = args.log_requests
    d = os.path.abspath(args.dir)
    os.makedirs(d, exist_ok=True)
    parent = os.getppid()

    with open(os.path.join(HERE, "zone.json")) as f:
        zone = json.load(f)
    fleet = [f"f{index:04d}.fleet.test" for index in range(1, args.fleet + 1)]
    for domain in fleet:
        zone["apps"][domain] = {}
    for domain, spec in zone.get("apps", {}).items():
        a, cname, txt, caa = app_records(domain, spec)
        for key, values in (("a", a), ("cname", cname), ("txt", txt), ("caa", caa)):
            zone.setdefault(key, {}).update(values)
    app_hosts = [h for domain in zone.get("apps", {}) if domain not in fleet for h in (domain, f"*.{domain}")]

    make_ca(d, "ca")
    make_ca(d, "rogue-ca")
    make_cert(d, "good", "ca", HOSTS + [h for h in app_hosts if h not in HOSTS], start=GOOD_VALIDITY[0], end=GOOD_VALIDITY[1])
    # The fleet's apps share certificates 50 apps each, as a CDN's do, picked by SNI.
    by_name = {}
    for start in range(0, len(fleet), 50):
        name = f"fleet{start // 50}"
        block = [h for domain in fleet[start:start + 50] for h in (domain, f"*.{domain}")]
        make_cert(d, name, "ca", block, start=GOOD_VALIDITY[0], end=GOOD_VALIDITY[1])
        by_name.update({host: name for domain in fleet[start:start + 50] for host in (domain, f"clerk.{domain}", f"accounts.{domain}")})
    make_cert(d, "soon", "ca", ["soon.example.test"], days=10)
    make_cert(d, "wronghost", "ca", ["other.test"])
    make_cert(d, "untrusted", "rogue-ca", HOSTS)
    make_cert(d, "expired", "ca", ["expired.example.test", "example.test"], start="20240101000000Z", end="20250101000000Z")

    with open(os.path.join(HERE, "routes.json")) as f:
        routes = json.load(f)
    handler = handler_for(routes, args.delay_ms)
    https = {name: start_https(d, name, handler, by_name if name == "good" else None)
             for name in ["good", "soon", "wronghost", "untrusted", "expired"]}
    plain_server = PlainServer(handler_for(routes, args.delay_ms, plain=True))
    threading.Thread(target=plain_server.serve_forever, daemon=True).start()
    dns_port, dnsmasq = start_dnsmasq(d, zone)
    fault_port = start_fault_dns(args.delay_ms, dns_port, args.late_seconds)

    def cleanup(*_):
        dnsmasq.kill()
        os._exit(0)

    signal.signal(signal.SIGTERM, cleanup)
    signal.signal(signal.SIGINT, cleanup)

    # dnsmasq is ready when it answers; wait for it before announcing the ports.
    deadline = time.time() + 10
    while time.time() < deadline:
        if dnsmasq.poll() is not None:
            sys.stderr.write(dnsmasq.stderr.read().decode())
            sys.exit(1)
        try:
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            probe.settimeout(0.1)
            probe.sendto(bytes.fromhex("123401000001000000000000076578616d706c6504746573740000010001"), ("127.0.0.1", dns_port))
            probe.recvfrom(512)
            break
        except OSError:
            time.sleep(0.02)

    info = {"ca": os.path.join(d, "ca.pem"), "https": https, "http": plain_server.server_address[1],
            "apps": sorted(zone.get("apps", {})), "closed_port": free_port(socket.SOCK_STREAM),
            "dns": {"zone": dns_port, "faults": fault_port}, "pid": os.getpid()}
    tmp = os.path.join(d, "fixture.json.tmp")
    with open(tmp, "w") as f:
        json.dump(info, f, indent=2)
    os.rename(tmp, os.path.join(d, "fixture.json"))
    print(json.dumps(info), flush=True)

    # Ends with the process that started it, even when that one was SIGKILLed.
    while os.getppid() == parent and dnsmasq.poll() is None:
        time.sleep(0.5)
    cleanup()


if __name__ == "__main__":
    main()
