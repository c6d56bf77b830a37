/// What the app's own source code does with Clerk: where it calls the middleware or
/// `authenticateRequest` (and with which options), where it verifies webhooks, and which
/// environment variables it reads there. Found by reading source files as text, not by
/// running or parsing them; a call whose arguments could not be read is kept without them.
public struct SourceScan: Sendable, Hashable, Codable {
    public struct Call: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case clerkMiddleware, authMiddleware, authenticateRequest
            /// `verifyWebhook(` from `@clerk/*/webhooks`.
            case verifyWebhook
            /// `new Webhook(` from `svix`.
            case svixWebhook
            /// `getToken({ template: ... })`: a session token minted from a JWT template.
            case getTokenTemplate

            public var isAuthentication: Bool { [.clerkMiddleware, .authMiddleware, .authenticateRequest].contains(self) }
            public var display: String {
                switch self {
                case .clerkMiddleware: "clerkMiddleware()"
                case .authMiddleware: "authMiddleware()"
                case .authenticateRequest: "authenticateRequest()"
                case .verifyWebhook: "verifyWebhook()"
                case .svixWebhook: "new Webhook() (svix)"
                case .getTokenTemplate: "getToken({ template })"
                }
            }
        }

        public var kind: Kind
        /// Relative to the checked folder.
        public var path: String
        public var line: Int
        public var column: Int
        /// The text between the call's parentheses (bounded); `nil` when they did not balance.
        public var arguments: String?
        /// Environment variables the file reads (`process.env.X`, `import.meta.env.X`).
        public var fileEnvironmentVariables: [String]

        public init(kind: Kind, path: String, line: Int, column: Int, arguments: String?, fileEnvironmentVariables: [String] = []) {
            self.kind = kind
            self.path = path
            self.line = line
            self.column = column
            self.arguments = arguments
            self.fileEnvironmentVariables = fileEnvironmentVariables
        }
    }

    /// A file that handles Clerk's webhook events: it reads an event type (`'user.created'`)
    /// and speaks of webhooks or Svix. Whether it verifies them, and how.
    public struct WebhookHandler: Sendable, Hashable, Codable {
        public var path: String
        /// Where the first event type is read.
        public var line: Int
        public var column: Int
        public var eventType: String
        /// The file calls `verifyWebhook(` (from `@clerk/*/webhooks`) or svix's `.verify(`.
        public var verifies: Bool
        /// Where svix's `.verify(` is given a re-serialised body (`JSON.stringify(...)`), which
        /// never matches the signature of the bytes Svix sent.
        public var reserializedAt: Int?

        public init(path: String, line: Int, column: Int, eventType: String, verifies: Bool, reserializedAt: Int? = nil) {
            self.path = path
            self.line = line
            self.column = column
            self.eventType = eventType
            self.verifies = verifies
            self.reserializedAt = reserializedAt
        }
    }

    /// The `matcher` of a middleware's exported `config`: the paths it runs on, as Next.js
    /// path patterns (`'/((?!_next|.*\\..*).*)'`), in a file that calls the middleware.
    public struct MiddlewareMatcher: Sendable, Hashable, Codable {
        public var path: String
        public var line: Int
        public var patterns: [String]

        public init(path: String, line: Int, patterns: [String]) {
            self.path = path
            self.line = line
            self.patterns = patterns
        }
    }

    /// A native app's configuration: an iOS `.entitlements` file, or an Expo `app.json` /
    /// `app.config.*`. What Clerk's production checklist asks of it: the associated domains
    /// (`webcredentials:<Frontend API host>`), and the URL scheme its callback uses.
    public struct NativeConfig: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case entitlements, expoJSON = "expo-json", expoConfig = "expo-config"
            /// An Xcode project (`project.pbxproj`): its bundle identifiers.
            case xcodeProject = "xcode-project"
        }

        /// One value, where it is written.
        public struct Entry: Sendable, Hashable, Codable {
            public var value: String
            public var line: Int
            public var column: Int

            public init(value: String, line: Int, column: Int) {
                self.value = value
                self.line = line
                self.column = column
            }
        }

        public var path: String
        public var kind: Kind
        public var associatedDomains: [Entry]
        /// Expo's `scheme` (`myapp` -> `myapp://callback`); nil when not given or not read.
        public var scheme: String?
        /// The app's bundle identifiers (Expo's ios.bundleIdentifier and android.package, an
        /// Xcode project's PRODUCT_BUNDLE_IDENTIFIER): Clerk's default mobile SSO redirect is
        /// `<bundle identifier>://callback`.
        public var bundleIdentifiers: [String] = []
        /// Why the file could not be read as its kind (malformed plist or JSON); nil when read.
        public var readError: String?

        public init(path: String, kind: Kind, associatedDomains: [Entry] = [], scheme: String? = nil, readError: String? = nil) {
            self.path = path
            self.kind = kind
            self.associatedDomains = associatedDomains
            self.scheme = scheme
            self.readError = readError
        }
    }

    /// Where a backend that trusts Clerk's tokens names Clerk's issuer: Convex's
    /// `convex/auth.config.*` (`domain:`), Supabase's `supabase/config.toml`
    /// (`[auth.third_party.clerk] domain`).
    public struct IssuerSetting: Sendable, Hashable, Codable {
        public var path: String
        public var line: Int
        public var column: Int
        /// `Convex`, `Supabase`.
        public var integration: String
        /// The issuer as written, when it is a literal.
        public var value: String?
        /// The environment variable it is read from (`process.env.CLERK_FRONTEND_API_URL`).
        public var variable: String?

        public init(path: String, line: Int, column: Int, integration: String, value: String? = nil, variable: String? = nil) {
            self.path = path
            self.line = line
            self.column = column
            self.integration = integration
            self.value = value
            self.variable = variable
        }
    }

    public var filesScanned: Int
    public var calls: [Call]
    /// Issuer settings of integrations (nil in recordings made before they were looked for).
    public var issuerSettings: [IssuerSetting]?
    /// The string literals passed as `allowedRedirectOrigins` (ClerkProvider, clerkMiddleware,
    /// an integration's options): where the primary lets sign-in return to a satellite. Nil in
    /// recordings made before it was read.
    public var allowedRedirectOrigins: [String]?
    /// Native app configurations found (nil in recordings made before they were looked for).
    public var nativeConfigs: [NativeConfig]?
    /// Middleware matchers found (nil in recordings made before they were looked for).
    public var middlewareMatchers: [MiddlewareMatcher]?
    /// Files that handle Clerk's webhook events. Optional only so recordings made before it
    /// still replay (nil: not looked for).
    public var webhookHandlers: [WebhookHandler]?
    /// `.env.development` and `.env.development.local`, to compare secrets with production's.
    public var developmentEnvFiles: [EnvFileEvidence]
    /// Env files scoped to preview or staging deployments (`.env.preview`, `.env.staging.local`,
    /// `.vercel/.env.preview.local`), which must not carry the live key. Nil in recordings made
    /// before they were read.
    public var previewEnvFiles: [EnvFileEvidence]?

    /// Source files that were listed but could not be read whole ("path: why"): one of them
    /// may hold the call a check looks for, so no check passes or calls itself not applicable
    /// while this is not empty. Optional only so recordings made before it still replay.
    public var filesNotRead: [String]?

    public init(
        filesScanned: Int = 0, calls: [Call] = [], developmentEnvFiles: [EnvFileEvidence] = [], filesNotRead: [String] = [],
        webhookHandlers: [WebhookHandler]? = [], middlewareMatchers: [MiddlewareMatcher]? = [], nativeConfigs: [NativeConfig]? = [],
        issuerSettings: [IssuerSetting]? = [], previewEnvFiles: [EnvFileEvidence]? = [], allowedRedirectOrigins: [String]? = []
    ) {
        self.allowedRedirectOrigins = allowedRedirectOrigins
        self.previewEnvFiles = previewEnvFiles
        self.issuerSettings = issuerSettings
        self.nativeConfigs = nativeConfigs
        self.middlewareMatchers = middlewareMatchers
        self.filesScanned = filesScanned
        self.calls = calls
        self.webhookHandlers = webhookHandlers
        self.developmentEnvFiles = developmentEnvFiles
        self.filesNotRead = filesNotRead.isEmpty ? nil : filesNotRead
    }

    /// What was not read, as one sentence; nil when everything was.
    public var notReadSummary: String? {
        guard let files = filesNotRead, let first = files.first else { return nil }
        return "\(files.count) source file\(files.count == 1 ? "" : "s") could not be read (\(first)\(files.count > 1 ? ", …" : ""))"
    }
}
