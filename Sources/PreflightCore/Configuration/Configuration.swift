import Foundation

/// The contents of `preflight.yml`, validated.
public struct Configuration: Sendable, Hashable {
    public var app: AppSettings
    public var clerk: ClerkSettings
    /// Per-check settings, keyed by canonical check id (aliases already resolved).
    public var checks: [String: CheckSettings]
    public var waivers: [Waiver]
    /// The file this came from; `nil` when no file was found.
    public var path: String?
    /// The line of each key read (`app.domain` -> 2).
    public var lines: [String: Int] = [:]
    /// Worth saying, not errors (a waiver without an owner).
    public var warnings: [ConfigurationIssue] = []
    /// `--history`: the repository check also reads every blob reachable from HEAD.
    public var scanHistory = false
    /// `--history=available`: a shallow clone's history is read as far as it goes, and that is accepted.
    public var acceptShallowHistory = false

    public init(
        app: AppSettings = AppSettings(), clerk: ClerkSettings = ClerkSettings(),
        checks: [String: CheckSettings] = [:], waivers: [Waiver] = [], path: String? = nil
    ) {
        self.app = app
        self.clerk = clerk
        self.checks = checks
        self.waivers = waivers
        self.path = path
    }

    /// The file names looked for in the target folder when `--config` is not given.
    public static let fileNames = ["preflight.yml", "preflight.yaml", ".preflight.yml"]
}

/// `app:` — the application being released.
public struct AppSettings: Sendable, Hashable {
    /// The production domain (`example.com`).
    public var domain: String?
    /// The deployed app (`https://example.com`).
    public var url: String?
    /// Env files to read, relative to the checked folder. `nil`: the defaults.
    public var envFiles: [String]?
    /// Built client output to scan, relative to the checked folder. `nil`: the usual build
    /// folders that exist (`defaultAssetFolders`).
    public var assets: [String]?

    /// `app.webhooks`: the app's endpoints for Clerk's webhooks, as absolute `https:` URLs on
    /// `domain` (a `path` entry is resolved against `url`).
    public var webhooks: [String]
    /// `app.protected_paths`: pages and routes a signed-out visitor must not get content from.
    public var protectedPaths: [String]
    /// `app.satellites`: satellite domains of the application (also read from the Backend API).
    public var satellites: [String] = []
    /// `app.preview_urls`: preview deployments, which must not carry the live key.
    public var previewURLs: [String] = []

    /// `url` defaults to `https://<domain>/`.
    public init(
        domain: String? = nil, url: String? = nil, envFiles: [String]? = nil, assets: [String]? = nil, webhooks: [String] = [],
        protectedPaths: [String] = []
    ) {
        self.domain = domain
        self.url = url ?? domain.map { "https://\($0)/" }
        self.envFiles = envFiles
        self.assets = assets
        self.webhooks = webhooks
        self.protectedPaths = protectedPaths
    }

    /// `path` on the app's origin (`https://example.com/dashboard`); nil without `url`.
    public func url(ofPath path: String) -> String? {
        guard let url, var components = URLComponents(string: url) else { return nil }
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        components.percentEncodedPath = String(parts[0])
        components.percentEncodedQuery = parts.count > 1 ? String(parts[1]) : nil
        components.fragment = nil
        return components.string
    }

    /// Read when `env_files` is not set, if they exist: the files a production build loads.
    public static let defaultEnvFiles = [".env.production.local", ".env.production", ".env"]

    /// Scanned when `assets` is not set, if they exist: where common frameworks put the
    /// client build (Vite, CRA, Next.js, Nuxt/Nitro, Astro, SvelteKit, Remix, Angular, Expo web).
    public static let defaultAssetFolders = [
        "dist", "build", "out", ".next/static", ".output/public", ".svelte-kit/output/client",
        "build/client", "public/build", ".vercel/output/static", "web-build",
    ]
}

/// Clerk plans, for paid-feature checks.
public enum ClerkPlan: String, Sendable, Hashable, CaseIterable {
    case free, pro, business, enterprise
}

/// `clerk:` — the Clerk application.
public struct ClerkSettings: Sendable, Hashable {
    public var plan: ClerkPlan?
    /// An exported copy of the instance settings, relative to the checked folder.
    public var instanceSnapshot: String?
    /// The environment variable that holds the secret key. Secret keys never come from flags.
    public var secretKeyEnv: String
    /// The Frontend API proxy URL, when FAPI is proxied through the app.
    public var proxyURL: String?
    /// The environment variable that holds a Platform API key (`ak_…`, optional, richest
    /// source): `clerk.platform_token_env`, else Clerk's CLI's `CLERK_PLATFORM_API_KEY`, else
    /// the older `CLERK_PLATFORM_TOKEN` (see `platformTokenEnvs`).
    public var platformTokenEnv: String
    /// Whether `clerk.platform_token_env` named it (then only that variable is read).
    public var platformTokenEnvConfigured = false

    /// The variables read for the Platform API key, in order.
    public var platformTokenEnvs: [String] {
        platformTokenEnvConfigured ? [platformTokenEnv] : ["CLERK_PLATFORM_API_KEY", "CLERK_PLATFORM_TOKEN"]
    }

    /// The Platform API key in `environment`: the first of `platformTokenEnvs` that is set.
    public func platformToken(in environment: [String: String]) -> String? {
        platformTokenEnvs.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
    }

    /// How messages name where the key goes.
    public var platformTokenEnvDisplay: String {
        platformTokenEnvs.map { "$" + $0 }.joined(separator: " (or ") + (platformTokenEnvs.count > 1 ? ")" : "")
    }
    /// The application and production instance the Platform API is asked about (`app_...`,
    /// `ins_...`); the snapshot's ids are used when these are not set.
    public var applicationID: String?
    public var instanceID: String?
    /// Backend API base without `/v1` (`--clerk-api-url`; else `CLERK_API_URL`; else Clerk's).
    public var apiURL: String?
    /// Platform API base (`--clerk-platform-url`; else the Backend API's).
    public var platformURL: String?

    public init(
        plan: ClerkPlan? = nil, instanceSnapshot: String? = nil, secretKeyEnv: String = "CLERK_SECRET_KEY", proxyURL: String? = nil,
        platformTokenEnv: String = "CLERK_PLATFORM_API_KEY", applicationID: String? = nil, instanceID: String? = nil,
        apiURL: String? = nil, platformURL: String? = nil
    ) {
        self.plan = plan
        self.instanceSnapshot = instanceSnapshot
        self.secretKeyEnv = secretKeyEnv
        self.proxyURL = proxyURL
        self.platformTokenEnv = platformTokenEnv
        self.applicationID = applicationID
        self.instanceID = instanceID
        self.apiURL = apiURL
        self.platformURL = platformURL
    }
}

/// `checks.<id>:` — settings of one check.
public struct CheckSettings: Sendable, Hashable {
    public var enabled: Bool?
    public var severity: Severity?
    public var options: [String: OptionValue]

    public init(enabled: Bool? = nil, severity: Severity? = nil, options: [String: OptionValue] = [:]) {
        self.enabled = enabled
        self.severity = severity
        self.options = options
    }
}

/// `waivers:` — an accepted problem, with who accepted it, why, and until when.
public struct Waiver: Sendable, Hashable, Codable {
    public var checkID: String
    /// Matches a finding's target identity or display form; `nil` waives every target.
    public var target: String?
    public var reason: String
    public var owner: String?
    /// `YYYY-MM-DD`, inclusive. A waiver past it no longer applies.
    public var expires: String?

    public init(checkID: String, target: String? = nil, reason: String, owner: String? = nil, expires: String? = nil) {
        self.checkID = checkID
        self.target = target
        self.reason = reason
        self.owner = owner
        self.expires = expires
    }
}
