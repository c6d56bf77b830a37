import Foundation

/// The file `preflight check --record` writes and `--replay` reads: the evidence of one run,
/// secrets masked. Documented in docs/evidence-format.md; `version` changes with its shape.
public struct EvidenceRecording: Sendable, Hashable, Codable {
    public static let formatName = "preflight-evidence"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    public var toolVersion: String
    public var recordedAt: Date
    /// Whether the run was offline (replay skips the same checks).
    public var offline: Bool
    public var evidence: Evidence
    /// The app as it was checked: `--replay` without a path replays it with this configuration,
    /// not the current folder's. Absent in recordings made before it was kept.
    public var app: RecordedApp?

    public struct RecordedApp: Sendable, Hashable, Codable {
        /// The app's folder as the run named it.
        public var path: String
        /// The configuration file and its text (nil: the run had none, defaults applied).
        public var configPath: String?
        public var configText: String?

        public init(path: String, configPath: String? = nil, configText: String? = nil) {
            self.path = path
            self.configPath = configPath
            self.configText = configText
        }
    }

    /// `secretVariables`: names whose values are secret beyond Clerk's own (`clerk.secret_key_env`).
    public init(evidence: Evidence, recordedAt: Date, offline: Bool, secretVariables: Set<String> = [], app: RecordedApp? = nil) {
        self.app = app
        format = Self.formatName
        version = Self.currentVersion
        toolVersion = PreflightVersion.current
        self.recordedAt = recordedAt
        self.offline = offline
        // One key per recording, never stored: masked values compare exactly on replay.
        self.evidence = evidence.maskingSecrets(alsoSecret: secretVariables, digest: SecretDigest.random())
    }

    public func encoded(redactor: Redactor = Redactor()) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        // Plain value types: encoding cannot fail.
        let text = String(decoding: try! encoder.encode(self), as: UTF8.self)
        // A last pass catches secret-shaped text anywhere (a response body, a header).
        return Data((redactor.redact(text) + "\n").utf8)
    }

    public enum DecodingError: Error, CustomStringConvertible {
        case notARecording(String)
        case unsupportedVersion(Int)
        public var description: String {
            switch self {
            case .notARecording(let reason): "not a Preflight evidence recording: \(reason)"
            case .unsupportedVersion(let version): "evidence recording version \(version) is not supported (this Preflight reads version \(EvidenceRecording.currentVersion))"
            }
        }
    }

    public static func decode(_ data: Data) throws(DecodingError) -> EvidenceRecording {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? decoder.decode(Header.self, from: data), header.format == formatName else {
            throw .notARecording("no \"format\": \"\(formatName)\"")
        }
        guard header.version == currentVersion else { throw .unsupportedVersion(header.version ?? 0) }
        do {
            return try decoder.decode(EvidenceRecording.self, from: data)
        } catch {
            throw .notARecording("\(error)")
        }
    }
}

extension Evidence {
    /// A copy whose secret values (Clerk's secret variables, secret-shaped values) are masked,
    /// each with its keyed digest under `digest` when given, so values can still be compared.
    public func maskingSecrets(alsoSecret: Set<String> = [], digest: SecretDigest? = nil) -> Evidence {
        func isSecret(_ name: String, _ value: String) -> Bool {
            alsoSecret.contains(name) || ClerkVariable(name: name)?.kind.isSecret == true || SecretKey.looksLikeSecretKey(value)
                || value.hasPrefix("whsec_")
        }
        func masked(_ file: EnvFileEvidence) -> EnvFileEvidence {
            var file = file
            file.entries = file.entries.map { entry in
                guard entry.valueDigest == nil, isSecret(entry.key, entry.value) else { return entry }
                var entry = entry
                entry.valueDigest = digest?.digest(entry.value)
                entry.value = Redactor.mask(entry.value)
                return entry
            }
            return file
        }
        var copy = self
        copy.envFiles = envFiles.map(masked)
        copy.environment = environment.map { variable in
            guard variable.valueDigest == nil, isSecret(variable.name, variable.value) else { return variable }
            return EnvironmentVariable(name: variable.name, value: Redactor.mask(variable.value), valueDigest: digest?.digest(variable.value))
        }
        copy.sources?.developmentEnvFiles = sources?.developmentEnvFiles.map(masked) ?? []
        return copy
    }
}
