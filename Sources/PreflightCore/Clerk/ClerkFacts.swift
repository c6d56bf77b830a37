import Foundation

/// Where a fact about the Clerk instance came from; every finding about it names the source.
public enum ClerkSource: String, Sendable {
    case frontendAPI = "Frontend API"
    case backendAPI = "Backend API"
    case platformAPI = "Platform API"
    case snapshot = "instance snapshot"
}

/// What would let a source be asked, as a typed value; its description is what a finding says.
public enum ClerkNeed: Sendable, Hashable, CustomStringConvertible {
    /// `--offline` was given: no Clerk API is asked.
    case online
    /// A publishable key that decodes, to find the Frontend API.
    case publishableKey
    /// The secret key in this environment variable.
    case secretKey(variable: String)
    /// A Platform API key, in one of these variables (as a message names them).
    case platformKey(variables: String)
    /// `clerk.application_id`, or the snapshot's application id.
    case applicationID
    /// The key leads to an instance of this type, whose settings say nothing about production.
    case productionInstance(found: String)

    /// Whether the user can give it (run online, set a key, an id): false for an instance that
    /// is simply not production.
    public var canBeGiven: Bool {
        if case .productionInstance = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .online: "needs the network; --offline was given"
        case .publishableKey: "needs a publishable key that decodes, to find the Frontend API"
        case .secretKey(let variable): "needs the secret key in the environment ($\(variable)) to ask the Backend API"
        case .platformKey(let variables): "needs a Platform API key (ak_…) in \(variables)"
        case .applicationID: "needs clerk.application_id (or the snapshot's application id) to ask the Platform API"
        case .productionInstance(let type):
            "the publishable key leads to a \(type) instance, whose settings say nothing about production (reported by instance.production_active)"
        }
    }
}

/// Why a fact is not there: not asked (and what would let it be), asked and failed (or answered
/// without a field the spec requires), or the source does not carry it at all.
public enum FactAbsence: Error, Sendable {
    case notAsked(ClerkNeed)
    case failed(String)
    case notCarried(String)
}

/// The Clerk answers of one run, decoded once after gathering into typed models (`ClerkAPI`),
/// each a value or the typed reason it is absent. Checks read these, never HTTP bodies; a
/// recording replays to the same facts, since they are decoded from the recorded evidence.
public struct ClerkFacts: Sendable {
    /// The Frontend API's environment, whatever the instance type (checks of production
    /// settings read it through `productionEnvironment`).
    public var environment: Result<ClerkAPI.Environment, FactAbsence>
    /// Every environment URL's answer, when the keys lead to more than one.
    public var environments: [String: Result<ClerkAPI.Environment, FactAbsence>]
    public var instance: Result<ClerkAPI.Instance, FactAbsence>
    public var domains: Result<ClerkAPI.DomainList, FactAbsence>
    public var usersCount: Result<ClerkAPI.TotalCount, FactAbsence>
    public var redirectURLs: Result<ClerkAPI.RedirectURLList, FactAbsence>
    /// The instance's JWT templates (`GET /v1/jwt_templates`, a bare array).
    public var jwtTemplates: Result<[ClerkAPI.JWTTemplate], FactAbsence> = .failure(.notCarried("not decoded"))
    public var platformConfig: Result<ClerkAPI.PlatformConfig, FactAbsence>
    public var domainStatus: Result<ClerkAPI.PlatformDomainStatus, FactAbsence>

    public init(configuration: Configuration, evidence: Evidence) {
        let requests = ClerkRequests(configuration: configuration, evidence: evidence)
        let environments = Dictionary(requests.environmentTargets().map { ($0.url, requests.environment(at: $0.url)) }) { first, _ in first }
        self.environments = environments
        // The first key's instance, decoded once above; without a key, the reason there is none.
        environment = requests.environmentURL.flatMap { environments[$0] } ?? requests.environment(at: nil)
        instance = requests.backend(ClerkAPI.Instance.self, "/v1/instance")
        domains = requests.backend(ClerkAPI.DomainList.self, "/v1/domains")
        usersCount = requests.backend(ClerkAPI.TotalCount.self, "/v1/users/count")
        redirectURLs = requests.backend(ClerkAPI.RedirectURLList.self, "/v1/redirect_urls")
        jwtTemplates = requests.backend([ClerkAPI.JWTTemplate].self, "/v1/jwt_templates")
        platformConfig = requests.platformConfig()
        domainStatus = requests.domainStatus()
    }

    /// Facts where every source lacks what was asked for the same reason (for tests that prove
    /// no check passes on a fact nobody stated).
    public static func lacking(_ absence: FactAbsence) -> ClerkFacts {
        var facts = ClerkFacts(
            environment: .failure(absence), environments: [:], instance: .failure(absence), domains: .failure(absence),
            usersCount: .failure(absence), redirectURLs: .failure(absence), platformConfig: .failure(absence), domainStatus: .failure(absence))
        facts.jwtTemplates = .failure(absence)
        return facts
    }

    init(
        environment: Result<ClerkAPI.Environment, FactAbsence>, environments: [String: Result<ClerkAPI.Environment, FactAbsence>],
        instance: Result<ClerkAPI.Instance, FactAbsence>, domains: Result<ClerkAPI.DomainList, FactAbsence>,
        usersCount: Result<ClerkAPI.TotalCount, FactAbsence>, redirectURLs: Result<ClerkAPI.RedirectURLList, FactAbsence>,
        platformConfig: Result<ClerkAPI.PlatformConfig, FactAbsence>, domainStatus: Result<ClerkAPI.PlatformDomainStatus, FactAbsence>
    ) {
        self.environment = environment
        self.environments = environments
        self.instance = instance
        self.domains = domains
        self.usersCount = usersCount
        self.redirectURLs = redirectURLs
        self.platformConfig = platformConfig
        self.domainStatus = domainStatus
    }

    /// The environment of a production instance: a development instance's settings say nothing
    /// about production (that the key leads there is instance.production_active's finding).
    public var productionEnvironment: Result<ClerkAPI.Environment, FactAbsence> {
        if case .success(let environment) = environment, let type = environment.displayConfig?.instanceEnvironmentType, type != "production" {
            return .failure(.notAsked(.productionInstance(found: type)))
        }
        return environment
    }
}

/// Where each Clerk source is asked and how its answer is read: the probes checks plan, and the
/// decoding of what came back. One place, so planning and reading cannot disagree.
public struct ClerkRequests: Sendable {
    public static let defaultAPIURL = "https://api.clerk.com"

    public var configuration: Configuration
    public var evidence: Evidence

    public init(configuration: Configuration, evidence: Evidence) {
        self.configuration = configuration
        self.evidence = evidence
    }

    // MARK: Frontend API

    /// The environment URL per publishable key that decodes (through the proxy when there is one).
    public func environmentTargets() -> [(variable: ConfiguredVariable, key: PublishableKey, url: String)] {
        evidence.publishableKeyVariables.compactMap { variable in
            guard let key = try? PublishableKey(variable.value) else { return nil }
            if let proxy = configuration.clerk.proxyURL {
                return (variable, key, Self.environmentURL(proxy: proxy))
            }
            return (variable, key, Self.environmentURL(host: key.frontendAPIHost))
        }
    }

    public static func environmentURL(host: String) -> String { "https://\(host)/v1/environment" }

    /// The environment as a proxied Frontend API serves it: `<proxy_url>/v1/environment`.
    public static func environmentURL(proxy: String) -> String { proxy.hasSuffix("/") ? proxy + "v1/environment" : proxy + "/v1/environment" }

    /// The instance behind the keys: the first key that decodes, or the proxy.
    public var environmentURL: String? { environmentTargets().first?.url }

    /// Asked with certificates, so the same exchange serves tls.certificates_valid.
    public var environmentProbes: [HTTPProbe] { environmentTargets().map { HTTPProbe(url: $0.url, certificates: true) } }

    func environment(at url: String?) -> Result<ClerkAPI.Environment, FactAbsence> {
        if evidence.offline { return .failure(.notAsked(.online)) }
        guard let url else { return .failure(.notAsked(.publishableKey)) }
        guard let result = evidence.http(HTTPProbe(url: url, certificates: true)) else { return .failure(.failed("\(url) was not fetched")) }
        switch result.successfulResponse() {
        case .failure(let failure): return .failure(.failed("the Frontend API did not answer: \(failure)"))
        case .success(let response):
            if let offset = response.invalidUTF8Offset {
                return .failure(.failed("the Frontend API answered with bytes that are not UTF-8 (at byte \(offset))"))
            }
            guard let environment = ClerkAPI.decode(ClerkAPI.Environment.self, from: response.body) else {
                return .failure(.failed("the Frontend API answered with malformed JSON"))
            }
            return .success(environment)
        }
    }

    // MARK: Backend API

    /// `--clerk-api-url`, else `CLERK_API_URL` (environment or env file), else Clerk's; without `/v1`.
    public var apiURL: String {
        let configured = configuration.clerk.apiURL ?? evidence.clerkVariables.first { $0.clerk?.kind == .apiURL && !$0.value.isEmpty }?.value
        return Self.trimmedBase(configured ?? Self.defaultAPIURL)
    }

    public static func trimmedBase(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base
    }

    /// The prober sends only the secret key of the process environment: ask only when it is there.
    public var hasSecretKey: Bool {
        evidence.environment.contains { $0.name == configuration.clerk.secretKeyEnv && !$0.value.isEmpty }
    }

    public func backendProbe(_ path: String) -> HTTPProbe { HTTPProbe(url: apiURL + path, authenticated: true) }

    func backend<T: Decodable>(_ type: T.Type, _ path: String) -> Result<T, FactAbsence> {
        let name = configuration.clerk.secretKeyEnv
        if evidence.offline { return .failure(.notAsked(.online)) }
        guard hasSecretKey else { return .failure(.notAsked(.secretKey(variable: name))) }
        let probe = backendProbe(path)
        guard let result = evidence.http(probe) else { return .failure(.failed("\(probe.url) was not fetched")) }
        switch result.successfulResponse() {
        case .failure(let failure):
            if case .response(let response) = result, response.status == 401 {
                return .failure(.failed("the Backend API refused the secret key in $\(name) (HTTP 401)"))
            }
            if case .response(let response) = result, response.status == 429 {
                return .failure(.failed("the Backend API kept rate limiting GET \(path) (HTTP 429" + (response.header("retry-after").map { ", retry after \($0) s" } ?? "")
                    + ") past the run's deadline"))
            }
            return .failure(.failed("the Backend API did not answer GET \(path): \(failure)"))
        case .success(let response):
            if let offset = response.invalidUTF8Offset {
                return .failure(.failed("the Backend API answered GET \(path) with bytes that are not UTF-8 (at byte \(offset))"))
            }
            switch ClerkAPI.decodeReporting(type, from: response.body) {
            case .success(let value): return .success(value)
            case .failure(let problem): return .failure(.failed("the Backend API's answer to GET \(path) is not as Clerk's spec defines it: \(problem)"))
            }
        }
    }

    // MARK: Platform API

    public var hasPlatformKey: Bool {
        evidence.environment.contains { configuration.clerk.platformTokenEnvs.contains($0.name) && !$0.value.isEmpty }
    }

    /// The variable that held the key, when one did; else where it can go.
    var platformKeyName: String {
        evidence.environment.first { configuration.clerk.platformTokenEnvs.contains($0.name) && !$0.value.isEmpty }
            .map { "$" + $0.name } ?? configuration.clerk.platformTokenEnvDisplay
    }

    /// The application and instance the Platform API is asked about: configured, else the
    /// snapshot's; the instance may be named by its environment, as Clerk's CLI does
    /// (`instances/production/config`), so only the application id is needed.
    public var platformIDs: (application: String, instance: String)? {
        guard let application = configuration.clerk.applicationID ?? evidence.snapshot?.application?.id else { return nil }
        return (application, configuration.clerk.instanceID ?? evidence.snapshot?.instance?.id ?? "production")
    }

    /// Clerk serves both APIs from one host: the Platform API follows the Backend API's base.
    public var platformBase: String { Self.trimmedBase(configuration.clerk.platformURL ?? apiURL) }

    public var platformConfigProbe: HTTPProbe? {
        guard let ids = platformIDs else { return nil }
        return HTTPProbe(url: "\(platformBase)/v1/platform/applications/\(ids.application)/instances/\(ids.instance)/config", platform: true)
    }

    /// Clerk's own verdict on the production domain (`.../domains/{domain}/status`).
    public var domainStatusProbe: HTTPProbe? {
        guard let ids = platformIDs, let domain = configuration.app.domain else { return nil }
        return HTTPProbe(url: "\(platformBase)/v1/platform/applications/\(ids.application)/domains/\(domain)/status", platform: true)
    }

    /// The Platform API's answer to `probe`, or why there is none: shared by every Platform read.
    func platformAnswer(_ probe: HTTPProbe?, what: String) -> Result<HTTPResponse, FactAbsence> {
        if evidence.offline { return .failure(.notAsked(.online)) }
        guard hasPlatformKey else { return .failure(.notAsked(.platformKey(variables: platformKeyName))) }
        guard let probe else { return .failure(.notAsked(.applicationID)) }
        guard let result = evidence.http(probe) else { return .failure(.failed("\(probe.url) was not fetched")) }
        switch result.successfulResponse() {
        case .failure(let failure):
            if case .response(let response) = result, [401, 403].contains(response.status) {
                return .failure(.failed("the Platform API refused the key in \(platformKeyName) (HTTP \(response.status))"))
            }
            return .failure(.failed("the Platform API did not give \(what): \(failure)"))
        case .success(let response):
            if let offset = response.invalidUTF8Offset {
                return .failure(.failed("the Platform API answered with bytes that are not UTF-8 (at byte \(offset))"))
            }
            return .success(response)
        }
    }

    func platformConfig() -> Result<ClerkAPI.PlatformConfig, FactAbsence> {
        platformAnswer(platformConfigProbe, what: "the instance's config").flatMap { response in
            guard let config = ClerkAPI.decode(ClerkAPI.PlatformConfig.self, from: response.body) else {
                return .failure(.failed("the Platform API answered with an unexpected shape"))
            }
            return .success(config)
        }
    }

    /// Read as the spec defines it: a required field missing is a failure naming it.
    func domainStatus() -> Result<ClerkAPI.PlatformDomainStatus, FactAbsence> {
        platformAnswer(domainStatusProbe, what: "the domain's status").flatMap { response in
            ClerkAPI.decodeReporting(ClerkAPI.PlatformDomainStatus.self, from: response.body)
                .mapError { .failed("the Platform API's domain status is malformed: \($0)") }
        }
    }
}
