import PreflightCore

/// Every enabled social provider must use the team's own OAuth credentials in production.
struct OwnCredentialsCheck: Check {
    static let description = CheckDescription(
        id: "sso.own_credentials",
        title: "Social providers use your own OAuth credentials",
        summary: "Every enabled social provider (oauth_google, oauth_github, ...) has the team's own client id and secret (Apple: with team and key ids), read from the Platform API or the instance snapshot.",
        rationale: """
            In development Clerk signs users in with its own shared OAuth apps. A production \
            instance needs the team's own credentials for each provider: without them the \
            provider's consent screen shows Clerk, rate limits are shared, and some providers \
            refuse production traffic. The Frontend API only tells which providers are enabled; \
            whose credentials they use takes the Platform API or a snapshot. With neither, this \
            check is skipped and says what to provide: it never passes without seeing them.
            """,
        hint: "Create an OAuth app at each provider, with redirect URI https://clerk.<your domain>/v1/oauth_callback, and enter its credentials in the Clerk Dashboard (SSO connections)",
        references: [
            Reference("Clerk: deploy to production (OAuth credentials)", "https://clerk.com/docs/deployments/overview#o-auth-credentials"),
            Reference("Clerk: social connections", "https://clerk.com/docs/authentication/social-connections/overview"),
        ],
        defaultSeverity: .critical,
        tags: ["sso", "clerk-api"],
        needs: .network,
        decidesFromSnapshot: true,
        examples: [
            LiveExample.example("Google with its own credentials (Platform API)", shows: #"connection_oauth_google: {"enabled": true, "client_id": "1234.apps.googleusercontent.com", "client_secret": "[set]"}"#,
                                expect: .pass, http: [platform(#""connection_oauth_google": {"enabled": true, "client_id": "1234.apps.googleusercontent.com", "client_secret": "[set]"}"#)],
                                configuration: configured),
            LiveExample.example("GitHub on Clerk's shared credentials (Platform API)", shows: #"connection_oauth_github: {"enabled": true, "client_id": "", "client_secret": ""}"#,
                                expect: .problem, http: [platform(#""connection_oauth_github": {"enabled": true, "client_id": "", "client_secret": ""}"#)],
                                configuration: configured),
            LiveExample.example("Apple without its key id (snapshot)", shows: #"social_providers.oauth_apple: {"enabled": true, "client_id": "com.example.web", "client_secret_set": true, "team_id": "ABCDE12345"}"#,
                                expect: .problem, snapshot: snapshot(["oauth_apple": provider(enabled: true, clientID: "com.example.web", secretSet: true, teamID: "ABCDE12345")])),
            LiveExample.example("the Platform API refused the key", shows: "GET .../config -> 401", expect: .undecided,
                                http: [HTTPExchange(probe: HTTPProbe(url: platformURL, platform: true), result: LiveExample.response(platformURL, status: 401))],
                                configuration: configured),
            LiveExample.example("neither a Platform API key nor a snapshot", shows: "(no CLERK_PLATFORM_API_KEY, no clerk.instance_snapshot)", expect: .notApplicable),
        ])

    static let platformURL = LiveExample.platformURL
    static var configured: Configuration { LiveExample.platformConfigured }
    static func platform(_ fields: String) -> HTTPExchange { LiveExample.platform(fields) }

    static func provider(enabled: Bool, clientID: String? = nil, secretSet: Bool? = nil, teamID: String? = nil) -> InstanceSnapshot.SocialProvider {
        var provider = InstanceSnapshot.SocialProvider()
        provider.enabled = enabled
        provider.clientId = clientID
        provider.clientSecretSet = secretSet
        provider.teamId = teamID
        return provider
    }

    static func snapshot(_ providers: [String: InstanceSnapshot.SocialProvider]) -> InstanceSnapshot {
        var snapshot = InstanceSnapshot()
        snapshot.socialProviders = providers
        return snapshot
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        ClerkSources.frontendProbes(context) + ClerkSources.platformProbes(context)
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let platform = ClerkSources.platformConfig(context)
        let snapshot = context.evidence.snapshot?.socialProviders
        if case .failure(let unavailable) = platform {
            if case .failed = unavailable { return [unavailable.result(at: .clerkSetting("social_providers"))] }
            if snapshot == nil {
                return [.needs(unavailable.reason + " with clerk.application_id, or an instance snapshot with social_providers",
                                       at: .clerkSetting("social_providers"))]
            }
        }
        // Which providers are enabled: the live answers win, the snapshot stands in.
        var enabled: Set<String> = []
        if case .success(let config) = platform { enabled.formUnion(config.oauth.filter { $0.value.enabled == true }.keys) }
        if case .success(let environment) = ClerkSources.environment(context) {
            enabled.formUnion((environment.userSettings?.social ?? [:]).filter { $0.value.enabled == true }.keys)
        }
        if case .failure = platform { enabled.formUnion((snapshot ?? [:]).filter { $0.value.enabled == true }.keys) }
        guard !enabled.isEmpty else {
            return [.pass("no social provider is enabled", at: .clerkSetting("social_providers"))]
        }
        return enabled.sorted().map { provider in
            let target = Target.clerkSetting("connection_\(provider)")
            var evidence: [EvidenceItem] = []
            let snapshotSays = snapshot?[provider]?.ownCredentials(provider: provider)
            let own: Bool?
            if case .success(let config) = platform {
                own = config.oauth[provider]?.hasOwnCredentials(provider: provider)
                evidence.append(EvidenceItem("source", ClerkSource.platformAPI.rawValue))
                if let snapshotSays, let own, snapshotSays != own {
                    evidence.append(EvidenceItem("instance snapshot says", (snapshotSays ? "own credentials" : "shared credentials") + " (stale?)"))
                }
            } else {
                own = snapshotSays
                evidence.append(EvidenceItem("source", ClerkSource.snapshot.rawValue))
            }
            guard let own else {
                return .notApplicable("\(provider) is enabled, but the source does not say whose credentials it uses (add has_own_credentials to the snapshot)", at: target)
            }
            return own
                ? .pass("\(provider) uses your own OAuth credentials", at: target, evidence: evidence)
                : .problem("\(provider) is enabled on Clerk's shared development credentials", at: target, evidence: evidence)
        }
    }
}
