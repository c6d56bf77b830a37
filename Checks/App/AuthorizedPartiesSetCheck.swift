import Foundation
import PreflightCore

/// Server code that authenticates Clerk requests must say which origins may send them.
struct AuthorizedPartiesSetCheck: Check {
    static let description = CheckDescription(
        id: "app.authorized_parties_set",
        title: "authorizedParties names the production origin",
        summary: "Where server code calls clerkMiddleware(), authMiddleware() or authenticateRequest(), it passes authorizedParties, and the list includes the production origin (https://<app.domain> or app.url's).",
        rationale: """
            Clerk's production checklist asks for authorizedParties: without it, a session token \
            issued for another site on a Clerk domain (a subdomain you do not control, a \
            preview deployment) is accepted by your backend, which opens the door to CSRF and \
            token reuse. Development works without it, so it is forgotten. The code is read as \
            text: a list built at run time (from an environment variable) cannot be confirmed \
            and is a warning, and with no call found the check does not apply; it never passes \
            without having seen the call.
            """,
        hint: "Pass the production origins: clerkMiddleware(handler, { authorizedParties: ['https://<your domain>'] }) (or to authenticateRequest)",
        references: [
            Reference("Clerk: deploy to production (authorizedParties)", "https://clerk.com/docs/deployments/overview"),
            Reference("Clerk: clerkMiddleware options", "https://clerk.com/docs/references/nextjs/clerk-middleware"),
        ],
        defaultSeverity: .error,
        tags: ["app", "security", "code"],
        needs: .offline,
        examples: [
            example("the production origin is listed",
                    #"export default clerkMiddleware(async (auth, req) => { if (isProtected(req)) await auth.protect() }, { authorizedParties: ['https://example.com'] })"#,
                    expect: .pass),
            example("no authorizedParties", #"export default clerkMiddleware()"#, expect: .problem),
            example("another origin only", #"export default clerkMiddleware({ authorizedParties: ["http://localhost:3000"] })"#, expect: .problem),
            example("built from the environment (a warning)", #"clerkMiddleware({ authorizedParties: [process.env.APP_ORIGIN] })"#, expect: .problem),
            CheckExample("no Clerk call in the code", input: "// src/server.ts: no clerkMiddleware() call", expect: .notApplicable) {
                CheckContext(evidence: Evidence(sources: SourceScan(filesScanned: 12)), configuration: LiveExample.configuration)
            },
        ])

    static func example(_ title: String, _ code: String, expect: CheckExample.Expectation) -> CheckExample {
        let open = code.range(of: "clerkMiddleware(")!.upperBound
        let arguments = String(code[open...].dropLast())
        let call = SourceScan.Call(kind: .clerkMiddleware, path: "middleware.ts", line: 4, column: 16, arguments: arguments)
        return CheckExample(title, input: "// middleware.ts\n\(code)", expect: expect) {
            CheckContext(evidence: Evidence(sources: SourceScan(filesScanned: 12, calls: [call])), configuration: LiveExample.configuration)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [.sourceScan] }

    /// `https://example.com`, and app.url's origin when it differs.
    static func productionOrigins(_ configuration: Configuration) -> [String] {
        var origins: [String] = []
        if let domain = configuration.app.domain { origins.append("https://\(domain)") }
        if let url = configuration.app.url, let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host {
            let origin = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
            if !origins.contains(origin) { origins.append(origin) }
        }
        return origins
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        return judge(sources, context).requiringWholeEvidence(missing: sources.notReadSummary)
    }

    func judge(_ sources: SourceScan, _ context: CheckContext) -> [CheckResult] {
        let calls = sources.calls.filter(\.kind.isAuthentication)
        guard !calls.isEmpty else {
            return [.notApplicable("no clerkMiddleware(), authMiddleware() or authenticateRequest() call in \(sources.filesScanned) source file(s)")]
        }
        let origins = Self.productionOrigins(context.configuration)
        guard !origins.isEmpty else { return [.undecided("app.domain is not set in preflight.yml: the production origin is unknown", at: .application)] }
        return calls.map { call in
            let target = Target.file(path: call.path, line: call.line, column: call.column, subject: call.kind.display)
            var evidence = [EvidenceItem("call", "\(call.kind.display) at \(call.path):\(call.line)"), EvidenceItem("production origin", origins.joined(separator: ", "))]
            guard let arguments = call.arguments else {
                return .problem("could not read the arguments of \(call.kind.display) in \(call.path) with confidence", at: target,
                                evidence: evidence, severity: .warning)
            }
            guard let key = arguments.range(of: "authorizedParties") else {
                return .problem("\(call.kind.display) in \(call.path) does not pass authorizedParties", at: target, evidence: evidence)
            }
            let value = Self.value(after: arguments[key.upperBound...])
            evidence.append(EvidenceItem("authorizedParties", String(value.text.prefix(200))))
            let literals = value.literals.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            if literals.contains(where: origins.contains) {
                return .pass("\(call.kind.display) in \(call.path) authorizes \(origins.first { literals.contains($0) }!)", at: target, evidence: evidence)
            }
            if value.dynamic {
                return .problem("authorizedParties of \(call.kind.display) in \(call.path) is built at run time (\(String(value.text.prefix(60)))): cannot confirm it includes \(origins[0])",
                                at: target, evidence: evidence, severity: .warning,
                                hint: "Make sure the variable holds \(origins[0]) in production, or list the origin literally")
            }
            return .problem("authorizedParties of \(call.kind.display) in \(call.path) does not include \(origins.joined(separator: " or "))", at: target, evidence: evidence)
        }
    }

    /// The value after `authorizedParties`: its string literals, and whether anything else
    /// (a variable, an expression, an interpolation) makes it up.
    static func value(after text: Substring) -> (text: String, literals: [String], dynamic: Bool) {
        var rest = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        guard rest.first == ":" else { return ("authorizedParties (a shorthand property)", [], true) }  // { authorizedParties }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\n" || $0 == "\t" }
        guard rest.first == "[" else {
            let expression = rest.prefix { $0 != "," && $0 != "}" && $0 != "\n" }
            return (String(expression), [], true)
        }
        // The array up to its closing bracket.
        var depth = 0, end = rest.startIndex, quote: Character?
        for index in rest.indices {
            let character = rest[index]
            if let current = quote { if character == current { quote = nil }; continue }
            if character == "\"" || character == "'" || character == "`" { quote = character; continue }
            if character == "[" { depth += 1 }
            if character == "]" { depth -= 1; if depth == 0 { end = index; break } }
        }
        let array = String(rest[rest.startIndex...end])
        var literals: [String] = []
        var dynamic = false
        for element in array.dropFirst().dropLast().split(separator: ",") {
            let item = element.trimmingCharacters(in: .whitespacesAndNewlines)
            if item.isEmpty { continue }
            if let first = item.first, first == "\"" || first == "'" || (first == "`" && !item.contains("${")), item.last == first, item.count >= 2 {
                literals.append(String(item.dropFirst().dropLast()))
            } else {
                dynamic = true
            }
        }
        return (array, literals, dynamic)
    }
}
