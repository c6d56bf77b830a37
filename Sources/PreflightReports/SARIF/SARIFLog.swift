/// The parts of SARIF 2.1.0 (OASIS, errata 01) Preflight writes, as typed models: encoding is
/// the only way a SARIF file is made, so it cannot drift from the schema by string editing.
struct SARIFLog: Encodable {
    var schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    var version = "2.1.0"
    var runs: [Run]

    enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }

    struct Run: Encodable {
        var tool: Tool
        var automationDetails: AutomationDetails?
        var invocations: [Invocation]
        var results: [Result]
        var properties: PropertyBag?
    }

    struct Tool: Encodable {
        var driver: ToolComponent
    }

    struct ToolComponent: Encodable {
        var name: String
        var version: String
        var semanticVersion: String
        var informationUri: String
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: MultiformatMessage
        var helpUri: String?
        var defaultConfiguration: Configuration
        var properties: PropertyBag
    }

    struct Configuration: Encodable {
        var level: String
    }

    struct Message: Encodable {
        var text: String
    }

    struct MultiformatMessage: Encodable {
        var text: String
        var markdown: String
    }

    struct AutomationDetails: Encodable {
        /// GitHub's category: one per app and tool.
        var id: String
    }

    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var exitCode: Int32
        var startTimeUtc: String
        var endTimeUtc: String
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var kind: String
        var level: String
        var message: Message
        var locations: [Location]
        var partialFingerprints: [String: String]
        var baselineState: String?
        var suppressions: [Suppression]?
        var properties: PropertyBag
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable {
        var uri: String
    }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
    }

    struct Suppression: Encodable {
        var kind: String
        var status: String
        var justification: String
    }

    /// SARIF's property bag: free-form, but typed here for what Preflight puts in it.
    struct PropertyBag: Encodable {
        var securitySeverity: String?
        var severity: String?
        var tags: [String]?
        var target: String?
        var url: String?
        var evidence: [String]?
        var outcome: String?
        var waiverOwner: String?
        var waiverExpires: String?
        var precision: String?
        var fixedSinceBaseline: Int?

        enum CodingKeys: String, CodingKey {
            case securitySeverity = "security-severity", severity, tags, target, url, evidence, outcome
            case waiverOwner = "waiver-owner", waiverExpires = "waiver-expires", precision, fixedSinceBaseline = "fixed-since-baseline"
        }
    }
}
