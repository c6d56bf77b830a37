import Foundation
import PreflightCore

/// A native app's SSO callback must be on the production instance's redirect allowlist.
struct RedirectAllowlistedCheck: Check {
    static let description = CheckDescription(
        id: "native.redirect_allowlisted",
        title: "Native apps' SSO callback is allowlisted in production",
        summary: "For every native app the source configures (Expo app.json, an Xcode project), its SSO callback (<bundle identifier>://callback, Clerk's default, or <scheme>://callback) is among the production instance's redirect URLs (Backend API GET /v1/redirect_urls, with the secret key).",
        rationale: """
            In a native app, social sign-in finishes in a browser that hands the result back to \
            the app's callback URL. Production instances pass the flow's nonces only to \
            allowlisted redirect URLs, and the allowlist does not move from development: a \
            callback missing there makes every social sign-in in the released app fail. Clerk's \
            default callback is <bundle identifier>://callback. The allowlist is read from the \
            Backend API; without the secret key this is skipped, saying so.
            """,
        hint: "Add the app's callback (e.g. com.example.app://callback) under Native applications > Allowlist for mobile SSO redirect in the production instance",
        references: [
            Reference("Clerk: deploy to production (allowlisted redirect URLs)", "https://clerk.com/docs/guides/development/deployment/production"),
            Reference("Clerk Backend API: redirect URLs", "https://clerk.com/docs/reference/backend/redirect-urls/create-redirect-url"),
        ],
        defaultSeverity: .error,
        tags: ["native", "instance"],
        needs: .credentials,
        examples: [
            example("the callback is allowlisted", allowlist: ["com.example.shop://callback"], expect: .pass),
            example("missing from production", allowlist: ["https://example.com/sso-callback"], expect: .problem),
            example("no secret key", allowlist: nil, expect: .notApplicable),
            CheckExample("no native app", input: "# no app.json, no Xcode project", expect: .notApplicable) {
                CheckContext(evidence: Evidence(sources: SourceScan(filesScanned: 12)), configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static func example(_ title: String, allowlist: [String]?, expect: CheckExample.Expectation) -> CheckExample {
        let config: SourceScan.NativeConfig = {
            var config = SourceScan.NativeConfig(path: "app.json", kind: .expoJSON, scheme: "shop")
            config.bundleIdentifiers = ["com.example.shop"]
            return config
        }()
        var shown = "// app.json\n{\"expo\": {\"scheme\": \"shop\", \"ios\": {\"bundleIdentifier\": \"com.example.shop\"}}}"
        if let allowlist { shown += "\nGET https://api.clerk.com/v1/redirect_urls -> " + allowlist.joined(separator: ", ") }
        let body = "[" + (allowlist ?? []).enumerated().map { #"{"object": "redirect_url", "id": "ru_\#($0.offset)", "url": "\#($0.element)"}"# }
            .joined(separator: ", ") + "]"
        // Without the allowlist, the Backend API was not asked (no secret key in the environment).
        return LiveExample.example(title, shows: shown, expect: expect, http: allowlist == nil ? [] : [LiveExample.backend("/v1/redirect_urls", body)],
                                   sources: SourceScan(filesScanned: 12, nativeConfigs: [config]))
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        [.sourceScan] + ClerkSources.backendProbes(context, ["/v1/redirect_urls"])
    }

    /// The callbacks an app may use: `<bundle identifier>://callback` (Clerk's default) first.
    static func callbacks(_ config: SourceScan.NativeConfig) -> [String] {
        (config.bundleIdentifiers + [config.scheme].compactMap { $0 }).map { "\($0)://callback" }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        guard let configs = sources.nativeConfigs else {
            return [.undecided("the source scan did not look for native app configuration (a recording made before it did)", at: .application)]
        }
        let apps = configs.filter { $0.readError == nil && !Self.callbacks($0).isEmpty }
        guard !apps.isEmpty else {
            return [.notApplicable("no native app with a bundle identifier or scheme (Expo app.json, an Xcode project)")]
                .requiringWholeEvidence(missing: sources.notReadSummary)
        }
        let allowlist: [String]
        switch ClerkSources.redirectURLs(context) {
        case .failure(let unavailable): return [unavailable.result()]
        case .success(let list): allowlist = list.urls
        }
        let evidence = EvidenceItem("production allowlist", allowlist.isEmpty ? "empty" : allowlist.joined(separator: ", "))
        return apps.map { config in
            let target = Target.file(path: config.path, line: nil, column: nil, subject: nil)
            let callbacks = Self.callbacks(config)
            if let found = callbacks.first(where: allowlist.contains) {
                return .pass("\(found) (\(config.path)) is on the production redirect allowlist", at: target, evidence: [evidence])
            }
            return .problem("no callback of the app in \(config.path) (\(callbacks.joined(separator: ", "))) is on the production redirect allowlist: its social sign-in fails",
                            at: target, evidence: [evidence])
        }.requiringWholeEvidence(missing: sources.notReadSummary)
    }
}
