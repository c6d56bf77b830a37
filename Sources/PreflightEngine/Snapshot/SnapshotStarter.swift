import Foundation
import PreflightChecks
import PreflightCore

/// What `preflight snapshot` writes: a starter instance snapshot with what Clerk's APIs show,
/// and `null` where a person must fill in what no key can read.
public enum SnapshotStarter {
    /// The facts to gather: the Frontend API, the Backend API (with the secret key), the
    /// Platform API (with a token and ids).
    public static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        let requests = ClerkRequests(configuration: context.configuration, evidence: context.offlineEvidence)
        var probes = requests.environmentProbes.map { ProbeRequest.http($0) }
        if requests.hasSecretKey { probes += ["/v1/instance", "/v1/domains", "/v1/redirect_urls"].map { .http(requests.backendProbe($0)) } }
        if requests.hasPlatformKey, let probe = requests.platformConfigProbe { probes.append(.http(probe)) }
        return probes
    }

    public struct Starter: Sendable {
        /// The file's text (JSON, keys sorted).
        public var text: String
        /// What was read, for the command's output.
        public var read: [String]
        /// JSON paths left `null` for a person to fill in.
        public var todo: [String]
    }

    public static func build(_ context: CheckContext, exportedAt: Date) -> Starter {
        var read: [String] = []
        var todo: [String] = []
        let null = NSNull()
        let facts = context.facts
        let environment = try? facts.productionEnvironment.get()
        if environment != nil { read.append("Frontend API: environment") }
        let instance = try? facts.instance.get()
        let domains = try? facts.domains.get()
        let redirects = try? facts.redirectURLs.get()
        if instance != nil || domains != nil { read.append("Backend API: instance, domains, redirect URLs") }
        let platform = try? facts.platformConfig.get()
        if platform != nil { read.append("Platform API: social connections") }

        func value(_ item: Any?, _ path: String) -> Any {
            if let item { return item }
            todo.append(path)
            return null
        }
        let domain = context.configuration.app.domain
        let primary = domains?.data.first { !$0.isSatellite && ClerkHosts.normalize($0.name) == domain }
            ?? domains?.data.first { !$0.isSatellite }
        let keyHost = context.evidence.publishableKeyVariables.compactMap { try? PublishableKey($0.value) }.first?.frontendAPIHost

        var document: [String: Any] = [
            "schema_version": InstanceSnapshot.currentVersion,
            "comment": "Starter written by `preflight snapshot`. Fields set to null could not be read from Clerk's APIs: fill them in from the Clerk Dashboard (format: docs/instance-snapshot.md).",
            "exported_at": ISO8601DateFormatter().string(from: exportedAt),
        ]
        document["application"] = ["id": value(context.configuration.clerk.applicationID, "$.application.id")]
        document["instance"] = [
            "id": value(instance?.id ?? context.configuration.clerk.instanceID, "$.instance.id"),
            "environment_type": value(instance?.environmentType ?? environment?.displayConfig?.instanceEnvironmentType, "$.instance.environment_type"),
            "domain": value(primary?.name ?? domain, "$.instance.domain"),
            "frontend_api_url": value(primary?.frontendApiUrl ?? keyHost.map { "https://\($0)" }, "$.instance.frontend_api_url"),
            "accounts_portal_url": value(primary?.accountsPortalUrl, "$.instance.accounts_portal_url"),
            "allowed_origins": value(instance?.allowedOrigins, "$.instance.allowed_origins"),
        ]
        document["plan"] = value(context.configuration.clerk.plan?.rawValue, "$.plan")

        var providers: [String: Any] = [:]
        if let platform {
            for (strategy, oauth) in platform.oauth where oauth.enabled == true {
                providers[strategy] = [
                    "enabled": true,
                    "has_own_credentials": value(oauth.hasOwnCredentials(provider: strategy), "$.social_providers.\(strategy).has_own_credentials"),
                    "client_id": oauth.clientId ?? "", "client_secret_set": !(oauth.clientSecret ?? "").isEmpty,
                    // No Clerk API holds what is registered at the provider: the team fills it in.
                    "redirect_uris": value(nil, "$.social_providers.\(strategy).redirect_uris"),
                ]
            }
        } else {
            for (strategy, social) in environment?.userSettings?.social ?? [:] where social.enabled == true {
                providers[strategy] = [
                    "enabled": true,
                    "has_own_credentials": value(nil, "$.social_providers.\(strategy).has_own_credentials"),
                    "redirect_uris": value(nil, "$.social_providers.\(strategy).redirect_uris"),
                ]
            }
        }
        document["social_providers"] = providers
        document["redirect_urls"] = value(redirects?.urls, "$.redirect_urls")
        document["email"] = ["from_address": value(nil, "$.email.from_address")]
        document["email_templates"] = value(nil, "$.email_templates")
        document["sms_templates"] = value(nil, "$.sms_templates")
        let used = PaidFeatures.inUse(environment, domains: domains, snapshot: nil)
        document["enabled_paid_features"] = used.keys.sorted()

        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Starter(text: String(decoding: data, as: UTF8.self) + "\n", read: read, todo: todo)
    }
}
