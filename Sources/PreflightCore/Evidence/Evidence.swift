/// Every fact gathered for one run, once. Checks read it; nothing in it is fetched lazily.
///
/// Values of secret variables are kept as read so checks can look at their prefixes; they are
/// masked when evidence is shown or recorded (`Redactor`).
public struct Evidence: Sendable, Hashable, Codable {
    /// The env files that were read (or could not be), in the order configured.
    public var envFiles: [EnvFileEvidence]
    /// Clerk-related variables of the process environment.
    public var environment: [EnvironmentVariable]
    /// DNS answers, one per question, sorted.
    public var dns: [DNSAnswer]
    /// HTTP exchanges, one per probe, sorted.
    public var http: [HTTPExchange]
    /// Pages scanned with their scripts, sorted by URL.
    public var pages: [PageScan]
    /// What the public suffix list says about `app.domain`, when it is set.
    public var domain: DomainFacts?
    /// The scan of the built client output, when a selected check asked for it.
    public var assets: AssetScan?
    /// The run was `--offline`: no live fact was gathered, by request.
    public var offline: Bool
    /// The instance snapshot (`clerk.instance_snapshot`), already validated.
    public var snapshot: InstanceSnapshot?
    /// What the app's git repository tracks (and held), when a check asked.
    public var repository: RepositoryScan?
    /// What the app's source code does with Clerk, when a check asked.
    public var sources: SourceScan?
    /// Clerk's own checks of a Frontend API proxy (Backend API `POST /v1/proxy_checks`).
    public var proxyChecks: [ProxyCheckEvidence] = []

    public init(
        envFiles: [EnvFileEvidence] = [], environment: [EnvironmentVariable] = [], dns: [DNSAnswer] = [],
        http: [HTTPExchange] = [], pages: [PageScan] = [], domain: DomainFacts? = nil, assets: AssetScan? = nil,
        offline: Bool = false, snapshot: InstanceSnapshot? = nil, repository: RepositoryScan? = nil, sources: SourceScan? = nil
    ) {
        self.envFiles = envFiles
        self.environment = environment
        self.dns = dns
        self.http = http
        self.pages = pages
        self.domain = domain
        self.assets = assets
        self.offline = offline
        self.snapshot = snapshot
        self.repository = repository
        self.sources = sources
    }

    enum CodingKeys: String, CodingKey { case envFiles, environment, dns, http, pages, domain, assets, offline, snapshot, repository, sources, proxyChecks }

    /// Recordings made before a field existed still replay.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        envFiles = try container.decode([EnvFileEvidence].self, forKey: .envFiles)
        environment = try container.decode([EnvironmentVariable].self, forKey: .environment)
        dns = try container.decode([DNSAnswer].self, forKey: .dns)
        http = try container.decode([HTTPExchange].self, forKey: .http)
        pages = try container.decode([PageScan].self, forKey: .pages)
        domain = try container.decodeIfPresent(DomainFacts.self, forKey: .domain)
        assets = try container.decodeIfPresent(AssetScan.self, forKey: .assets)
        offline = try container.decodeIfPresent(Bool.self, forKey: .offline) ?? false
        snapshot = try container.decodeIfPresent(InstanceSnapshot.self, forKey: .snapshot)
        repository = try container.decodeIfPresent(RepositoryScan.self, forKey: .repository)
        sources = try container.decodeIfPresent(SourceScan.self, forKey: .sources)
        proxyChecks = try container.decodeIfPresent([ProxyCheckEvidence].self, forKey: .proxyChecks) ?? []
    }

    /// Clerk's check of a proxy, if it was asked for.
    public func proxyCheck(_ request: ProxyCheckRequest) -> ProxyCheckEvidence? {
        proxyChecks.first { $0.request == request }
    }

    /// The scan of a page, if it was made.
    public func page(_ url: String) -> PageScan? {
        pages.first { $0.url == url }
    }

    /// The answer to a question, if it was asked.
    public func dns(_ question: DNSQuestion) -> DNSAnswer? {
        dns.first { $0.question == question }
    }

    /// The result of an HTTP probe, if it was made.
    public func http(_ probe: HTTPProbe) -> HTTPResult? {
        http.first { $0.probe == probe }?.result
    }

    /// Every Clerk variable with its effective value, from env files and the environment.
    public var clerkVariables: [ConfiguredVariable] {
        configuredVariables.filter { $0.clerk != nil }
    }

    /// Every relevant variable with its effective value and where it was set.
    public var configuredVariables: [ConfiguredVariable] {
        var result: [ConfiguredVariable] = []
        for file in envFiles {
            for entry in file.effectiveEntries {
                result.append(ConfiguredVariable(
                    name: entry.key, value: entry.value,
                    target: .file(path: file.path, line: entry.line, column: entry.column, subject: entry.key), valueDigest: entry.valueDigest))
            }
        }
        for variable in environment {
            result.append(ConfiguredVariable(
                name: variable.name, value: variable.value, target: .environment(variable: variable.name), valueDigest: variable.valueDigest))
        }
        return result
    }

    /// Where keys were looked for, for messages about something absent.
    public var sourcesDescription: String {
        var names = envFiles.map(\.path)
        names.append("the environment")
        return names.joined(separator: ", ")
    }
}

/// One env file: what it assigns, and what could not be read.
public struct EnvFileEvidence: Sendable, Hashable, Codable {
    /// Relative to the checked folder.
    public var path: String
    /// Relevant assignments only (Clerk's variables and secret-shaped values in browser
    /// variables): other applications' secrets are none of Preflight's business.
    public var entries: [DotenvEntry]
    public var problems: [DotenvProblem]
    /// Set when the file could not be read at all; `entries` is then empty.
    public var readError: String?

    public init(path: String, entries: [DotenvEntry] = [], problems: [DotenvProblem] = [], readError: String? = nil) {
        self.path = path
        self.entries = entries
        self.problems = problems
        self.readError = readError
    }

    /// Parses `text` and keeps the relevant assignments.
    public init(path: String, text: String) {
        let parsed = Dotenv.parse(text)
        self.init(
            path: path,
            entries: parsed.entries.filter { ClerkVariable.isRelevant(name: $0.key, value: $0.value) },
            problems: parsed.problems)
    }

    /// The last assignment of each key.
    public var effectiveEntries: [DotenvEntry] {
        Dotenv.Result(entries: entries, problems: []).effective
    }
}

/// A variable of the process environment.
public struct EnvironmentVariable: Sendable, Hashable, Codable {
    public var name: String
    public var value: String
    /// Set in a recording when `value` was masked: its keyed digest (`SecretDigest`).
    public var valueDigest: String?
    public init(name: String, value: String, valueDigest: String? = nil) {
        self.name = name
        self.value = value
        self.valueDigest = valueDigest
    }
}

/// A variable's effective value at one place.
public struct ConfiguredVariable: Sendable, Hashable {
    public var name: String
    public var value: String
    public var target: Target
    /// The keyed digest of a value a recording masked.
    public var valueDigest: String? = nil

    /// Clerk's meaning of the name, if it is one of Clerk's variables.
    public var clerk: ClerkVariable? { ClerkVariable(name: name) }
}

extension Evidence {
    /// Publishable-key variables with a value, wherever set.
    public var publishableKeyVariables: [ConfiguredVariable] {
        clerkVariables.filter { $0.clerk?.kind == .publishableKey && !$0.value.isEmpty }
    }

    /// Secret-key variables with a value: Clerk's names, and the variable the configuration
    /// names in `clerk.secret_key_env`.
    public func secretKeyVariables(_ configuration: Configuration) -> [ConfiguredVariable] {
        configuredVariables.filter {
            !$0.value.isEmpty && ($0.clerk?.kind == .secretKey || $0.name == configuration.clerk.secretKeyEnv)
        }
    }

    /// The values of Clerk's secrets as this deployment holds them (the secret key, under
    /// Clerk's names or `clerk.secret_key_env`; the webhook signing secret; the encryption key),
    /// placeholders left out. Found in client output under any name, each is a leak.
    public func knownSecretValues(_ configuration: Configuration) -> [String] {
        var values: [String] = []
        for variable in configuredVariables where variable.value.utf8.count >= 16 {
            guard variable.clerk?.kind.isSecret == true || variable.name == configuration.clerk.secretKeyEnv || variable.value.hasPrefix("whsec_") else { continue }
            let payload = variable.value.split(separator: "_").last.map(String.init) ?? variable.value
            guard !SecretKey.isPlaceholder(payload), !values.contains(variable.value) else { continue }
            values.append(variable.value)
        }
        return values
    }

    /// Env files that could not be read: a check that needed them cannot decide.
    public var unreadableEnvFiles: [EnvFileEvidence] { envFiles.filter { $0.readError != nil } }
}
