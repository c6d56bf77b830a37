import PreflightCore

/// Builders for check examples whose input is an env file and a `preflight.yml` excerpt, so
/// the same text is both the test input and what `preflight explain` shows.
enum ExampleInput {
    static let liveKey = "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k"  // clerk.example.com
    static let developmentKey = "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk"  // foo-bar-13.clerk.accounts.dev
    static let liveSecret = "sk_live_4eC39HqLyjWDarjtT1zdp7dcEXAMPLEKEY0a1b2c3"
    static let testSecret = "sk_test_4eC39HqLyjWDarjtT1zdp7dcEXAMPLEKEY0a1b2c3"

    /// An example whose evidence is one env file, with `app.domain` set when given.
    static func envFile(
        _ title: String, _ text: String, path: String = ".env.production", domain: String? = "example.com",
        environment: [EnvironmentVariable] = [], expect: CheckExample.Expectation
    ) -> CheckExample {
        var shown = "# \(path)\n\(text)"
        if !environment.isEmpty {
            shown += "\n# environment\n" + environment.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        }
        if let domain { shown += "\n# preflight.yml\napp:\n  domain: \(domain)" }
        return CheckExample(title, input: shown, expect: expect) {
            CheckContext(
                evidence: Evidence(envFiles: [EnvFileEvidence(path: path, text: text)], environment: environment),
                configuration: Configuration(app: AppSettings(domain: domain)))
        }
    }

    /// An example where no env file exists and the environment holds `environment`.
    static func environmentOnly(
        _ title: String, _ environment: [EnvironmentVariable], domain: String? = "example.com",
        expect: CheckExample.Expectation
    ) -> CheckExample {
        let shown = "# no env file\n# environment\n" + environment.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        return CheckExample(title, input: shown, expect: expect) {
            CheckContext(
                evidence: Evidence(environment: environment),
                configuration: Configuration(app: AppSettings(domain: domain)))
        }
    }

    /// An example where a configured env file could not be read.
    static func unreadable(_ title: String, path: String = ".env.production", expect: CheckExample.Expectation) -> CheckExample {
        CheckExample(title, input: "# preflight.yml\napp:\n  env_files: [\(path)]\n# (\(path) does not exist)", expect: expect) {
            CheckContext(
                evidence: Evidence(envFiles: [EnvFileEvidence(path: path, readError: "no such file: \(path)")]),
                configuration: Configuration(app: AppSettings(domain: "example.com", envFiles: [path])))
        }
    }
}
