import Foundation
import PreflightCore

/// A native app's associated domains must name the production Frontend API, never development.
struct AssociatedDomainsCheck: Check {
    static let description = CheckDescription(
        id: "native.associated_domains",
        title: "Native apps' associated domains name the production Frontend API",
        summary: "Every iOS .entitlements file and Expo app.json / app.config.* that lists associated domains has webcredentials:<production Frontend API host> (clerk.<app.domain>, or the live key's host), and no entry (webcredentials:, applinks:) names a development host.",
        rationale: """
            Clerk's native SDKs share credentials and passkeys with the Frontend API through \
            Apple's associated domains: the app declares webcredentials:<Frontend API host>, and \
            Apple checks it against the file the Frontend API serves. Built against the \
            development instance, the entry names its *.clerk.accounts.dev host; shipped that way \
            to production, passkeys and password autofill fail for every user, and only a new \
            app release fixes it. Clerk's production checklist asks to update the entry to the \
            production Frontend API. The files are read as the toolchains read them (entitlements \
            as property lists, app.json as JSON); app.config.* is code, read for its string \
            literals.
            """,
        hint: "Set the associated domain to webcredentials:clerk.<your domain> (Xcode: Signing & Capabilities > Associated Domains; Expo: ios.associatedDomains), then rebuild and release the app",
        references: [
            Reference("Clerk: deploy to production (update associated domains)", "https://clerk.com/docs/guides/development/deployment/production"),
            Reference("Clerk: passkeys in Expo", "https://clerk.com/docs/reference/expo/passkeys"),
            Reference("Apple: associated domains entitlement", "https://developer.apple.com/documentation/bundleresources/entitlements/com.apple.developer.associated-domains"),
        ],
        defaultSeverity: .error,
        tags: ["native", "code"],
        needs: .offline,
        examples: [
            example("the production Frontend API", kind: .entitlements, path: "ios/App/App.entitlements", values: ["webcredentials:clerk.example.com"], expect: .pass),
            example("still the development host", kind: .expoJSON, path: "app.json", values: ["webcredentials:foo-bar-13.clerk.accounts.dev"], expect: .problem),
            example("another host", kind: .entitlements, path: "ios/App/App.entitlements", values: ["webcredentials:clerk.example.org", "applinks:example.com"], expect: .problem),
            example("built when the config runs", kind: .expoConfig, path: "app.config.ts", values: ["webcredentials:${process.env.CLERK_FRONTEND_API_HOST}"], expect: .toConfirm),
            CheckExample("no native app", input: "# no .entitlements, no Expo config", expect: .notApplicable) {
                CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], sources: SourceScan(filesScanned: 20)),
                             configuration: LiveExample.configuration, now: LiveExample.now)
            },
            CheckExample("an entitlements file that is not a property list", input: "// ios/App/App.entitlements: truncated", expect: .undecided) {
                let config = SourceScan.NativeConfig(path: "ios/App/App.entitlements", kind: .entitlements, readError: "not a property list")
                return CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], sources: SourceScan(filesScanned: 20, nativeConfigs: [config])),
                                    configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static func example(
        _ title: String, kind: SourceScan.NativeConfig.Kind, path: String, values: [String], expect: CheckExample.Expectation
    ) -> CheckExample {
        let shown = "// \(path)\n" + values.joined(separator: "\n")
        return CheckExample(title, input: shown, expect: expect) {
            let entries = values.enumerated().map { SourceScan.NativeConfig.Entry(value: $0.element, line: 6 + $0.offset, column: 12) }
            let config = SourceScan.NativeConfig(path: path, kind: kind, associatedDomains: entries)
            return CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], sources: SourceScan(filesScanned: 20, nativeConfigs: [config])),
                                configuration: LiveExample.configuration, now: LiveExample.now)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { [.sourceScan] }

    /// `webcredentials:clerk.example.com?mode=developer` -> (webcredentials, clerk.example.com).
    static func parse(_ value: String) -> (service: String, host: String)? {
        guard let colon = value.firstIndex(of: ":") else { return nil }
        let host = value[value.index(after: colon)...].prefix { $0 != "?" }
        return (String(value[..<colon]), ClerkHosts.normalize(String(host)))
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        guard let configs = sources.nativeConfigs else {
            return [.undecided("the source scan did not look for native app configuration (a recording made before it did)", at: .application)]
        }
        return judge(configs, sources, context).requiringWholeEvidence(missing: sources.notReadSummary)
    }

    func judge(_ configs: [SourceScan.NativeConfig], _ sources: SourceScan, _ context: CheckContext) -> [CheckResult] {
        var results: [CheckResult] = configs.filter { $0.readError != nil }.map {
            .undecided("could not read \($0.path): \($0.readError ?? "")", at: .file(path: $0.path, line: nil, column: nil, subject: nil))
        }
        let listing = configs.filter { $0.readError == nil && !$0.associatedDomains.isEmpty }
        guard !listing.isEmpty else {
            return results.isEmpty ? [.notApplicable("no native app configuration lists associated domains (iOS .entitlements, Expo app.json or app.config.*)")] : results
        }
        let production = context.productionFrontendAPIHosts
        guard !production.isEmpty else {
            return results + [.undecided("cannot tell the production Frontend API host: app.domain is not set and no pk_live_ key is configured", at: .application)]
        }
        for config in listing {
            var credentials = false
            for entry in config.associatedDomains {
                guard let (service, host) = Self.parse(entry.value) else { continue }
                let target = Target.file(path: config.path, line: entry.line, column: entry.column, subject: entry.value)
                let evidence = [EvidenceItem("entry", entry.value), EvidenceItem("production Frontend API", production.joined(separator: " or "))]
                if ClerkHosts.developmentSuffix(of: host) != nil {
                    results.append(.problem("\(config.path) names the development Frontend API (\(entry.value)): passkeys and shared credentials fail in production",
                                            at: target, evidence: evidence))
                    continue
                }
                guard service == "webcredentials" else { continue }
                credentials = true
                if host.contains("${") || host.contains("{") {
                    // Built when the config runs (app.config.*): what it becomes cannot be read here.
                    results.append(CheckResult(
                        status: .toConfirm("confirm that \(entry.value) in \(config.path) becomes webcredentials:\(production[0]) in the production build"),
                        message: "\(config.path) builds its webcredentials entry when the config runs (\(entry.value))", target: target, evidence: evidence))
                } else if production.contains(host) {
                    results.append(.pass("\(config.path) names the production Frontend API (\(entry.value))", at: target, evidence: evidence))
                } else {
                    results.append(.problem("\(config.path) names \(host) for webcredentials, not the production Frontend API (\(production[0]))", at: target, evidence: evidence))
                }
            }
            if !credentials && !results.contains(where: { $0.target.filePath == config.path }) {
                results.append(.problem("\(config.path) lists associated domains but no webcredentials:\(production[0])", at: .file(path: config.path, line: nil, column: nil, subject: nil),
                                        severity: .warning))
            }
        }
        return results
    }
}
