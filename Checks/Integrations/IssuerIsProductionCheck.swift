import Foundation
import PreflightCore

/// A backend that trusts Clerk's tokens must trust production's issuer, not development's.
struct IssuerIsProductionCheck: Check {
    static let description = CheckDescription(
        id: "integrations.issuer_is_production",
        title: "Integrations trust the production issuer",
        summary: "The Clerk issuer the app's backends trust (Convex's convex/auth.config domain, Supabase's [auth.third_party.clerk] domain) is the production Frontend API (https://clerk.<app.domain> or the live key's host), not a development *.clerk.accounts.dev issuer.",
        rationale: """
            Convex and Supabase verify Clerk's session tokens against the issuer they were given: \
            the Frontend API URL. Left on the development instance's, every production token is \
            refused ("No auth provider found matching the given token"), and every backend query \
            fails after launch while sign-in itself works. Convex reads the URL from its own \
            deployment's environment (npx convex env --prod set CLERK_FRONTEND_API_URL), which \
            Preflight cannot read: when the value is not in the production env files, it is left \
            to confirm by hand, with the command that shows it.
            """,
        hint: "Point the integration at the production Frontend API: npx convex env --prod set CLERK_FRONTEND_API_URL https://clerk.<your domain> (then npx convex deploy); for Supabase, the production Clerk domain under Authentication > Third-party auth",
        references: [
            Reference("Clerk: integrate Convex (deploy to production)", "https://clerk.com/docs/guides/development/integrations/databases/convex"),
            Reference("Clerk: integrate Supabase", "https://clerk.com/docs/guides/development/integrations/databases/supabase"),
        ],
        defaultSeverity: .critical,
        tags: ["integrations", "code"],
        needs: .offline,
        examples: [
            example("Convex trusts production", setting: .init(path: "convex/auth.config.ts", line: 5, column: 17, integration: "Convex",
                                                               value: "https://clerk.example.com"), expect: .pass),
            example("Convex still trusts development", setting: .init(path: "convex/auth.config.ts", line: 5, column: 17, integration: "Convex",
                                                                     value: "https://foo-bar-13.clerk.accounts.dev"), expect: .problem),
            example("read from Convex's own environment", setting: .init(path: "convex/auth.config.ts", line: 5, column: 17, integration: "Convex",
                                                                        variable: "CLERK_FRONTEND_API_URL"), expect: .toConfirm),
            example("Supabase's third-party auth on development", setting: .init(path: "supabase/config.toml", line: 41, column: 10, integration: "Supabase",
                                                                                value: "foo-bar-13.clerk.accounts.dev"), expect: .problem),
            CheckExample("no integration", input: "# no convex/auth.config.ts, no supabase/config.toml", expect: .notApplicable) {
                CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], sources: SourceScan(filesScanned: 20)),
                             configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static func example(_ title: String, setting: SourceScan.IssuerSetting, expect: CheckExample.Expectation) -> CheckExample {
        let shown = "// \(setting.path):\(setting.line)\ndomain: " + (setting.value.map { "'\($0)'" } ?? "process.env.\(setting.variable ?? "")")
        return CheckExample(title, input: shown, expect: expect) {
            CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], sources: SourceScan(filesScanned: 20, issuerSettings: [setting])),
                         configuration: LiveExample.configuration, now: LiveExample.now)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [.sourceScan] }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        guard let settings = sources.issuerSettings else {
            return [.undecided("the source scan did not look for integrations (a recording made before it did)", at: .application)]
        }
        guard !settings.isEmpty else {
            return [.notApplicable("no integration names Clerk's issuer (convex/auth.config.*, supabase/config.toml)")]
                .requiringWholeEvidence(missing: sources.notReadSummary)
        }
        let production = context.productionFrontendAPIHosts
        guard !production.isEmpty else {
            return [.undecided("cannot tell the production Frontend API: app.domain is not set and no pk_live_ key is configured", at: .application)]
        }
        return settings.map { judge($0, production, context) }.requiringWholeEvidence(missing: sources.notReadSummary)
    }

    func judge(_ setting: SourceScan.IssuerSetting, _ production: [String], _ context: CheckContext) -> CheckResult {
        let target = Target.file(path: setting.path, line: setting.line, column: setting.column, subject: setting.variable ?? setting.value)
        var evidence = [EvidenceItem("integration", setting.integration), EvidenceItem("production Frontend API", production.map { "https://\($0)" }.joined(separator: " or "))]
        var issuer = setting.value
        if let name = setting.variable {
            guard let variable = context.evidence.configuredVariables.last(where: { $0.name == name && !$0.value.isEmpty }) else {
                return CheckResult(
                    status: .toConfirm("confirm that `npx convex env --prod get \(name)` (or the integration's production setting) prints https://\(production[0])"),
                    message: "\(setting.path) reads the issuer from \(name), which is set in \(setting.integration)'s own environment, not in the production env files",
                    target: target, evidence: evidence)
            }
            evidence.append(EvidenceItem(name, "\(variable.value) (\(variable.target.display))"))
            issuer = variable.value
        }
        guard let issuer else { return .undecided("\(setting.path) names no issuer that can be read", at: target, evidence: evidence) }
        evidence.append(EvidenceItem("issuer", issuer))
        let host = ClerkHosts.normalize(URLComponents(string: issuer.contains("://") ? issuer : "https://" + issuer)?.host ?? issuer)
        if ClerkHosts.developmentSuffix(of: host) != nil {
            // supabase/config.toml is the local stack's, and the hosted project's only once pushed.
            let local = setting.integration == "Supabase"
            return .problem("\(setting.integration) trusts the development issuer (\(issuer))"
                + (local ? ": pushed to the hosted project (supabase config push), production tokens are refused" : ": every production session token is refused and its queries fail"),
                            at: target, evidence: evidence, severity: local ? .warning : nil)
        }
        guard production.contains(host) else {
            return .problem("\(setting.integration) trusts \(issuer), not the production Frontend API (https://\(production[0]))", at: target, evidence: evidence)
        }
        return .pass("\(setting.integration) trusts the production issuer (\(issuer))", at: target, evidence: evidence)
    }
}
