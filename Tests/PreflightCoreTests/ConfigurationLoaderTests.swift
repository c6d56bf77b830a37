import PreflightCore
import Testing

/// Two stand-in checks are enough to exercise id validation and options.
private struct AlphaCheck: Check {
    static let warnDays = OptionKey("warn_days", summary: "days", default: 30)
    static let extraHosts = OptionKey("extra_hosts", summary: "hosts", default: [String]())
    static let description = CheckDescription(
        id: "pack.alpha_ok", title: "Alpha", summary: "s", rationale: "r", hint: "h", defaultSeverity: .error,
        needs: .offline, aliases: ["pack.old_alpha"],
        options: [warnDays.declaration, extraHosts.declaration], examples: [])
    func evaluate(_ context: CheckContext) -> [CheckResult] { [] }
}

private struct BetaCheck: Check {
    static let description = CheckDescription(
        id: "pack.beta_ok", title: "Beta", summary: "s", rationale: "r", hint: "h", defaultSeverity: .warning,
        needs: .network, examples: [])
    func evaluate(_ context: CheckContext) -> [CheckResult] { [] }
}

@Suite struct ConfigurationLoaderTests {
    let loader = ConfigurationLoader(checks: [AlphaCheck.description, BetaCheck.description])

    func issues(_ yaml: String) -> [ConfigurationIssue] {
        do {
            _ = try loader.load(text: yaml, path: "preflight.yml")
            return []
        } catch {
            return error.issues
        }
    }

    @Test func readsAFullConfiguration() throws {
        let yaml = """
            app:
              domain: Example.COM.
              url: https://example.com
              env_files: [.env.production]
              assets: dist
            clerk:
              plan: pro
              secret_key_env: MY_CLERK_KEY
              proxy_url: https://example.com/__clerk
            checks:
              pack.old_alpha: { severity: critical, warn_days: 21 }
              pack.beta_ok:
                enabled: false
            waivers:
              - id: pack.alpha_ok
                target: https://example.com/
                reason: rolled out next sprint
                owner: platform-team
                expires: 2027-01-31
            """
        let configuration = try loader.load(text: yaml, path: "preflight.yml")
        #expect(configuration.app.domain == "example.com")
        #expect(configuration.app.envFiles == [".env.production"])
        #expect(configuration.app.assets == ["dist"])
        #expect(configuration.clerk.plan == .pro)
        #expect(configuration.clerk.secretKeyEnv == "MY_CLERK_KEY")
        #expect(configuration.checks["pack.alpha_ok"] == CheckSettings(severity: .critical, options: ["warn_days": .number(21)]))
        #expect(configuration.checks["pack.beta_ok"]?.enabled == false)
        #expect(configuration.waivers == [Waiver(
            checkID: "pack.alpha_ok", target: "https://example.com/", reason: "rolled out next sprint",
            owner: "platform-team", expires: "2027-01-31")])
    }

    @Test func emptyFileIsTheDefaults() throws {
        #expect(try loader.load(text: "", path: "p.yml") == Configuration(path: "p.yml"))
        #expect(try loader.load(text: "# only a comment\n", path: "p.yml") == Configuration(path: "p.yml"))
    }

    @Test func malformedYAMLNamesLineAndColumn() {
        let found = issues("app:\n  domain: example.com\n  url: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.file == "preflight.yml")
        #expect(found.first?.line == 4)
        #expect(found.first?.description.hasPrefix("preflight.yml:4:") == true)
        let tabs = issues("app:\n\tdomain: x\n")
        #expect(tabs.first?.line == 2)
    }

    /// A control character is named at its own place, not at 1:1.
    @Test(arguments: [("\u{1B}", "U+001B"), ("\u{0}", "U+0000"), ("\u{7}", "U+0007"), ("\u{9B}", "U+009B")])
    func controlCharactersAreLocated(_ character: String, _ name: String) {
        let found = issues("app:\n  domain: example.com\n  url: \"https://ex\(character)ample.com\"\n")
        #expect(found.map(\.description) == ["preflight.yml:3:19: invalid YAML: control character \(name) is not allowed"], "\(found)")
    }

    @Test func unknownKeysAreLocatedWithASuggestion() {
        let found = issues("app:\n  domian: example.com\n")
        #expect(found.map(\.description) == ["preflight.yml:2:3: unknown key 'domian' in 'app' (did you mean 'domain'?)"])
        let top = issues("clrek:\n  plan: pro\n")
        #expect(top.first?.description == "preflight.yml:1:1: unknown key 'clrek' in 'the top level' (did you mean 'clerk'?)")
    }

    @Test func unknownCheckIDsNameTheClosest() {
        let found = issues("checks:\n  pack.alpha: { enabled: true }\n")
        #expect(found.map(\.description) == ["preflight.yml:2:3: unknown check id 'pack.alpha' (did you mean 'pack.alpha_ok'?)"])
        let waiver = issues("waivers:\n  - id: pack.bta_ok\n    reason: r\n")
        #expect(waiver.first?.description == "preflight.yml:2:9: unknown check id 'pack.bta_ok' in waiver (did you mean 'pack.beta_ok'?)")
    }

    @Test func wrongTypesAreLocated() {
        let found = issues("""
            app:
              env_files: { a: b }
            checks:
              pack.alpha_ok: { enabled: sometimes, severity: fatal, warn_days: soon }
            clerk:
              plan: gold
            """)
        #expect(found.map { "\($0.line):\($0.column)" } == ["2:14", "4:29", "4:50", "4:68", "6:9"])
        #expect(found[0].message == "app.env_files must be a list of strings")
        #expect(found[1].message == "checks.pack.alpha_ok.enabled must be true or false")
        #expect(found[2].message.hasPrefix("severity must be one of info, warning, error, critical, not 'fatal'"))
        #expect(found[3].message == "checks.pack.alpha_ok.warn_days must be a whole number")
        #expect(found[4].message == "clerk.plan must be one of free, pro, business, enterprise, not 'gold'")
    }

    @Test func optionsBelongToTheirCheck() {
        let found = issues("checks:\n  pack.beta_ok: { warn_days: 3 }\n")
        #expect(found.first?.message == "unknown key 'warn_days' in 'checks.pack.beta_ok'")
    }

    @Test func secretsDoNotBelongInTheFile() {
        let found = issues("clerk:\n  secret_key_env: sk_live_abcdefghijklmnop\n")
        #expect(found.first?.line == 2)
        #expect(found.first?.message.contains("never put the key itself") == true)
    }

    @Test func waiversNeedAReasonAndAValidDate() {
        let found = issues("waivers:\n  - id: pack.alpha_ok\n    expires: 2027-02-30\n")
        #expect(found.map(\.message) == ["waiver expires must be a date like 2027-01-31, not '2027-02-30'", "a waiver needs a 'reason'"])
    }

    /// A waiver without an end date is a permanent exemption: refused. One without an owner
    /// is accepted with a warning.
    @Test func waiversNeedAnEndDateAndShouldHaveAnOwner() throws {
        #expect(issues("waivers:\n  - { id: pack.alpha_ok, reason: r }\n").map(\.message) == ["a waiver needs 'expires' (a date like 2027-01-31)"])
        let configuration = try loader.load(text: "waivers:\n  - { id: pack.alpha_ok, reason: r, expires: 2027-01-31 }\n", path: "p.yml")
        #expect(configuration.warnings.map(\.description) == ["p.yml:2:5: the waiver for pack.alpha_ok has no 'owner': name who answers for it"])
        #expect(try loader.load(text: "waivers:\n  - { id: pack.alpha_ok, reason: r, owner: me, expires: 2027-01-31 }\n", path: "p.yml").warnings == [])
        #expect(try loader.load(text: "app:\n  domain: example.com\n  url: https://example.com/\n", path: "p.yml").lines == ["app.domain": 2, "app.url": 3])
    }

    @Test func waiverIDProblemsAreReportedOnce() {
        // An unknown id is one issue, not also "needs an id"; a missing id is reported as such.
        let unknown = issues("waivers:\n  - { id: pack.nope_ok, reason: r, expires: 2027-01-31 }\n")
        #expect(unknown.count == 1)
        #expect(unknown.first?.message.hasPrefix("unknown check id 'pack.nope_ok' in waiver") == true)
        let missing = issues("waivers:\n  - { reason: r, target: x, expires: 2027-01-31 }\n")
        #expect(missing.map(\.message) == ["a waiver needs an 'id'"])
    }

    @Test func duplicateKeysAreErrors() {
        let found = issues("app:\n  domain: a.com\n  domain: b.com\n")
        #expect(found.map(\.description) == ["preflight.yml:3:3: duplicate key 'domain'"])
    }

    @Test func domainMustBeAHost() {
        #expect(issues("app:\n  domain: https://example.com\n").first?.line == 2)
        #expect(issues("app:\n  url: example.com\n").first?.message == "app.url must be an http(s) URL like 'https://example.com', not 'example.com'")
        for (domain, reason) in [("example.com/shop", "no path"), ("example .com", "no spaces"), ("example.com:8443", "no port"),
                                 ("exa_mple..com", "empty label"), ("-shop.example.com", "a label starts or ends with '-'"),
                                 ("shop!.example.com", "only letters, digits and '-' in a label")] {
            let found = issues("app:\n  env_files: [.env]\n  domain: \(domain)\n")
            #expect(found.count == 1, "\(domain)")
            #expect(found.first.map { "\($0.line):\($0.column)" } == "3:11", "\(domain)")
            #expect(found.first?.message == "app.domain must be a host name like 'example.com', not '\(domain)' (\(reason))")
        }
        #expect(issues("app:\n  domain: bücher.example\n") == [], "internationalized names are host names")
    }

    @Test func urlDefaultsToTheDomain() throws {
        #expect(try loader.load(text: "app:\n  domain: Example.com.\n", path: "p.yml").app.url == "https://example.com/")
        #expect(try loader.load(text: "app:\n  domain: example.com\n  url: https://www.example.com/shop\n", path: "p.yml").app.url
            == "https://www.example.com/shop")
        #expect(AppSettings(domain: "example.com").url == "https://example.com/")
    }

    @Test func listOptionsTakeStringsAndNumbersTakeNumbers() throws {
        let configuration = try loader.load(text: "checks:\n  pack.alpha_ok:\n    extra_hosts: [a.example, b.example]\n", path: "p.yml")
        #expect(configuration.checks["pack.alpha_ok"]?.options["extra_hosts"] == .strings(["a.example", "b.example"]))
        let single = try loader.load(text: "checks:\n  pack.alpha_ok: { extra_hosts: a.example }\n", path: "p.yml")
        #expect(single.checks["pack.alpha_ok"]?.options["extra_hosts"] == .strings(["a.example"]))
        #expect(issues("checks:\n  pack.alpha_ok: { extra_hosts: { a: 1 } }\n").first?.message == "checks.pack.alpha_ok.extra_hosts must be a list of strings")
        #expect(issues("checks:\n  pack.alpha_ok: { warn_days: [1] }\n").first?.message == "checks.pack.alpha_ok.warn_days must be a whole number")
        // A check reads its options with their defaults.
        let context = CheckContext(evidence: Evidence(), options: ["extra_hosts": .strings(["x"])])
        #expect(context[AlphaCheck.extraHosts] == ["x"])
        #expect(context[AlphaCheck.warnDays] == 30)
        #expect(CheckContext(evidence: Evidence())[AlphaCheck.extraHosts] == [])
    }

    @Test func webhooksAreHTTPSURLsOnTheAppsDomain() throws {
        let text = """
            app:
              webhooks:
                - path: /api/webhooks/clerk
                - url: https://hooks.example.com/clerk
              domain: example.com
              protected_paths: [/dashboard, /api/private?x=1]
            """
        let configuration = try loader.load(text: text, path: "p.yml")
        #expect(configuration.app.webhooks == ["https://example.com/api/webhooks/clerk", "https://hooks.example.com/clerk"])
        #expect(configuration.app.protectedPaths == ["/dashboard", "/api/private?x=1"])
        #expect(configuration.app.url(ofPath: "/api/private?x=1") == "https://example.com/api/private?x=1")

        // Preflight POSTs a test event there: never off the app's domain, never over http.
        #expect(issues("app:\n  domain: example.com\n  webhooks:\n    - url: https://evil.test/hook\n").map(\.description)
            == ["preflight.yml:4:12: app.webhooks[].url must be on app.domain (example.com): Preflight sends its test event only to the app's own hosts, not to evil.test"])
        #expect(issues("app:\n  domain: example.com\n  webhooks:\n    - url: http://example.com/hook\n").first?.message.hasPrefix("app.webhooks[].url must be https:") == true)
        #expect(issues("app:\n  domain: example.com\n  webhooks:\n    - url: https://notexample.com/hook\n").count == 1)
        #expect(issues("app:\n  webhooks:\n    - url: https://example.com/hook\n").first?.message
            == "app.webhooks needs app.domain: Preflight sends its test event only to the app's own domain")
        #expect(issues("app:\n  domain: example.com\n  webhooks:\n    - path: api/hook\n").first?.description
            == "preflight.yml:4:13: app.webhooks[].path must be a path like /api/webhooks/clerk, not 'api/hook'")
        #expect(issues("app:\n  domain: example.com\n  webhooks:\n    - {path: /a, url: https://example.com/b}\n").first?.message
            == "a webhook entry takes url or path, not both")
        #expect(issues("app:\n  domain: example.com\n  webhooks:\n    - {}\n").first?.message == "a webhook entry needs url or path")
        #expect(issues("app:\n  domain: example.com\n  webhooks: /hook\n").first?.message
            == "app.webhooks must be a list of {path: /...} or {url: https://...}")
        #expect(issues("app:\n  domain: example.com\n  protected_paths: [dashboard]\n").first?.description
            == "preflight.yml:3:21: app.protected_paths takes paths like /dashboard, not 'dashboard'")
        #expect(issues("app:\n  domain: example.com\n  protected_paths: [https://example.com/x]\n").count == 1)
    }
}
