import Foundation
import PreflightCore

/// Every JWT template the app asks tokens of must exist in the production instance.
struct JWTTemplatesExistCheck: Check {
    static let description = CheckDescription(
        id: "integrations.jwt_templates_exist",
        title: "The JWT templates the app asks for exist in production",
        summary: "Every getToken({ template: 'name' }) in the app's source names a JWT template the production instance has (Backend API GET /v1/jwt_templates, with the secret key).",
        rationale: """
            JWT templates are per instance: created in development for an integration (a \
            database, a third-party API), they do not move to production. After launch \
            getToken({ template }) fails for every user and each call that needs the token \
            breaks (the integration reports "No auth provider found" or 401). The templates are \
            read from the Backend API; without the secret key this is skipped, saying so. A \
            template name built at run time is left to confirm by hand.
            """,
        hint: "Create the template in the production instance (Clerk Dashboard: JWT templates) with the same name and claims as in development",
        references: [
            Reference("Clerk: JWT templates", "https://clerk.com/docs/guides/sessions/jwt-templates"),
        ],
        defaultSeverity: .error,
        tags: ["integrations", "code", "instance"],
        needs: .credentials,
        examples: [
            example("the template exists", arguments: "{ template: 'convex' }", templates: ["convex"], expect: .pass),
            example("missing in production", arguments: "{ template: 'supabase' }", templates: ["convex"], expect: .problem),
            example("a name built at run time", arguments: "{ template: templateName }", templates: ["convex"], expect: .toConfirm),
            example("no secret key", arguments: "{ template: 'convex' }", templates: nil, expect: .notApplicable),
            CheckExample("no template asked for", input: "// no getToken({ template })", expect: .notApplicable) {
                CheckContext(evidence: Evidence(sources: SourceScan(filesScanned: 12)), configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static func example(_ title: String, arguments: String, templates: [String]?, expect: CheckExample.Expectation) -> CheckExample {
        let call = SourceScan.Call(kind: .getTokenTemplate, path: "lib/db.ts", line: 4, column: 23, arguments: arguments)
        var shown = "// lib/db.ts\nconst token = await getToken(\(arguments))"
        if let templates { shown += "\nGET https://api.clerk.com/v1/jwt_templates -> " + templates.map { "\"\($0)\"" }.joined(separator: ", ") }
        let body = "[" + (templates ?? []).enumerated().map { #"{"object": "jwt_template", "id": "jtmp_\#($0.offset)", "name": "\#($0.element)"}"# }
            .joined(separator: ", ") + "]"
        // Without the templates, the Backend API was not asked (no secret key in the environment).
        return LiveExample.example(title, shows: shown, expect: expect, http: templates == nil ? [] : [LiveExample.backend("/v1/jwt_templates", body)],
                                   sources: SourceScan(filesScanned: 12, calls: [call]))
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        [.sourceScan] + ClerkSources.backendProbes(context, ["/v1/jwt_templates"])
    }

    /// The template a call names: a string literal after `template:`; nil when it is not a literal.
    static func templateName(_ arguments: String) -> String? {
        guard let key = arguments.range(of: "template") else { return nil }
        let rest = arguments[key.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\t" }
        guard let quote = rest.first, "'\"`".contains(quote), let close = rest.dropFirst().firstIndex(of: quote) else { return nil }
        let name = String(rest[rest.index(after: rest.startIndex)..<close])
        return name.contains("${") ? nil : name
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        let calls = sources.calls.filter { $0.kind == .getTokenTemplate }
        guard !calls.isEmpty else {
            return [.notApplicable("the app asks for no JWT template (no getToken({ template }) in \(sources.filesScanned) source file(s))")]
                .requiringWholeEvidence(missing: sources.notReadSummary)
        }
        let templates: [ClerkAPI.JWTTemplate]
        switch ClerkSources.jwtTemplates(context) {
        case .failure(let unavailable): return [unavailable.result()]
        case .success(let list): templates = list
        }
        let names = Set(templates.map(\.name))
        let evidence = EvidenceItem("production templates", names.isEmpty ? "none" : names.sorted().joined(separator: ", "))
        return calls.map { call in
            let target = Target.file(path: call.path, line: call.line, column: call.column, subject: call.kind.display)
            guard let name = call.arguments.flatMap(Self.templateName) else {
                return CheckResult(
                    status: .toConfirm("confirm that the template \(call.path):\(call.line) asks for is one of: \(names.sorted().joined(separator: ", "))"),
                    message: "\(call.path) builds the template name at run time (\(call.arguments ?? "arguments not read"))", target: target, evidence: [evidence])
            }
            if names.contains(name) {
                return .pass("the production instance has the JWT template '\(name)'", at: target, evidence: [evidence])
            }
            return .problem("the production instance has no JWT template '\(name)', which \(call.path) asks for: getToken fails for every user",
                            at: target, evidence: [evidence])
        }.requiringWholeEvidence(missing: sources.notReadSummary)
    }
}
