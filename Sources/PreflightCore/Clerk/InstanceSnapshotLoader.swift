import Foundation
import Yams

/// Reads an instance snapshot as strictly as `preflight.yml`: every unknown field and every
/// wrong type is an issue naming file, line, column and the field's JSON path, and all issues
/// are reported at once. JSON is read through Yams, whose nodes keep their positions.
public struct InstanceSnapshotLoader: Sendable {
    public init() {}

    public func load(text: String, path: String) throws(ConfigurationError) -> InstanceSnapshot {
        // JSON first: YAML would also accept what is not JSON (a missing value, a trailing comma).
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw ConfigurationError([Self.jsonIssue(error, text: text, file: path)])
        }
        // JSON is YAML's flow style; a tab there is JSON whitespace but not YAML's.
        let root: Node?
        do {
            root = try Yams.compose(yaml: text.replacingOccurrences(of: "\t", with: " "))
        } catch let error as YamlError {
            throw ConfigurationError([Self.issue(for: error, file: path)])
        } catch {
            throw ConfigurationError([ConfigurationIssue(file: path, line: 1, column: 1, message: "invalid JSON: \(error)")])
        }
        var reader = Reader(file: path)
        guard let root, case .mapping = root else {
            throw ConfigurationError([ConfigurationIssue(file: path, line: 1, column: 1, message: "an instance snapshot is a JSON object")])
        }
        let snapshot = reader.snapshot(root)
        if !reader.issues.isEmpty { throw ConfigurationError(reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        return snapshot
    }

    /// Foundation says "around character N"; the issue says line and column.
    static func jsonIssue(_ error: any Error, text: String, file: String) -> ConfigurationIssue {
        let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        // Foundation gives no place for a raw control character: find it.
        if message.lowercased().contains("control character"), let (position, scalar) = TextPosition.ofFirstDisallowedControl(in: text, json: true) {
            return ConfigurationIssue(file: file, line: position.line, column: position.column,
                                      message: "invalid JSON: control character U+\(String(format: "%04X", scalar.value)) must be escaped")
        }
        var line = 1, column = 1
        if let range = message.range(of: "character "), let offset = Int(message[range.upperBound...].prefix { $0.isNumber }) {
            for character in text.unicodeScalars.prefix(offset) {
                if character == "\n" { line += 1; column = 1 } else { column += 1 }
            }
        }
        let reason = message.replacingOccurrences(of: #" around character \d+"#, with: "", options: .regularExpression)
            .trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        return ConfigurationIssue(file: file, line: line, column: column, message: "invalid JSON: \(reason.lowercased())")
    }

    static func issue(for error: YamlError, file: String) -> ConfigurationIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigurationIssue(file: file, line: mark.line, column: mark.column, message: "invalid JSON: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationIssue(file: file, line: context.mark.line, column: context.mark.column,
                                      message: "duplicate field '\(duplicates.sorted().first ?? "?")'")
        default:
            return ConfigurationIssue(file: file, line: 1, column: 1, message: "invalid JSON: \(error)")
        }
    }

    /// Walks the nodes with a JSON path, collecting issues.
    struct Reader {
        let file: String
        var issues: [ConfigurationIssue] = []

        mutating func report(_ node: Node, _ path: String, _ message: String) {
            issues.append(ConfigurationIssue(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: "\(path): \(message)"))
        }

        /// The fields of an object, reporting unknown ones; `nil` (and an issue) for a non-object.
        mutating func object(_ node: Node, _ path: String, known: [String]) -> [String: (Node, String)]? {
            guard case .mapping(let mapping) = node else {
                if !isNull(node) { report(node, path, "must be an object") }
                return nil
            }
            var fields: [String: (Node, String)] = [:]
            for (keyNode, value) in mapping {
                guard let key = keyNode.string else { continue }
                guard known.contains(key) else {
                    let suggestion = EditDistance.closest(to: key, in: known).map { " (did you mean '\($0)'?)" } ?? ""
                    report(keyNode, path, "unknown field '\(key)'\(suggestion)")
                    continue
                }
                fields[key] = (value, "\(path).\(key)")
            }
            return fields
        }

        func isNull(_ node: Node) -> Bool {
            if case .scalar(let scalar) = node, scalar.style == .plain, scalar.string == "null" { return true }
            return false
        }

        mutating func string(_ field: (Node, String)?) -> String? {
            guard let (node, path) = field, !isNull(node) else { return nil }
            guard case .scalar(let scalar) = node, scalar.style != .plain || (node.int == nil && node.bool == nil && node.float == nil) else {
                report(node, path, "must be a string")
                return nil
            }
            return scalar.string
        }

        mutating func bool(_ field: (Node, String)?) -> Bool? {
            guard let (node, path) = field, !isNull(node) else { return nil }
            guard case .scalar(let scalar) = node, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
                report(node, path, "must be true or false")
                return nil
            }
            return scalar.string == "true"
        }

        mutating func int(_ field: (Node, String)?) -> Int? {
            guard let (node, path) = field, !isNull(node) else { return nil }
            guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
                report(node, path, "must be a whole number")
                return nil
            }
            return value
        }

        mutating func strings(_ field: (Node, String)?) -> [String]? {
            guard let (node, path) = field, !isNull(node) else { return nil }
            guard case .sequence(let sequence) = node else {
                report(node, path, "must be a list of strings")
                return nil
            }
            return sequence.enumerated().compactMap { index, item in string((item, "\(path)[\(index)]")) }
        }

        mutating func list<T>(_ field: (Node, String)?, _ each: (inout Reader, Node, String) -> T?) -> [T]? {
            guard let (node, path) = field, !isNull(node) else { return nil }
            guard case .sequence(let sequence) = node else {
                report(node, path, "must be a list")
                return nil
            }
            return sequence.enumerated().compactMap { index, item in each(&self, item, "\(path)[\(index)]") }
        }

        mutating func oneOf(_ field: (Node, String)?, _ allowed: [String]) -> String? {
            guard let value = string(field), let (node, path) = field else { return nil }
            guard allowed.contains(value) else {
                report(node, path, "must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
                return nil
            }
            return value
        }

        // MARK: The format

        mutating func snapshot(_ root: Node) -> InstanceSnapshot {
            let known = ["schema_version", "comment", "exported_at", "application", "instance", "plan", "social_providers",
                         "redirect_urls", "email", "email_templates", "sms_templates", "session", "enabled_paid_features"]
            var snapshot = InstanceSnapshot()
            guard let fields = object(root, "$", known: known) else { return snapshot }
            if let version = fields["schema_version"] {
                let number = int(version)
                if let number, number != InstanceSnapshot.currentVersion {
                    report(version.0, version.1, "version \(number) is not supported (this Preflight reads version \(InstanceSnapshot.currentVersion))")
                }
                snapshot.schemaVersion = number ?? InstanceSnapshot.currentVersion
            } else {
                report(root, "$", "schema_version is required")
            }
            snapshot.comment = string(fields["comment"])
            if let field = fields["exported_at"], let text = string(field) {
                if ISO8601DateFormatter().date(from: text) == nil {
                    report(field.0, field.1, "must be an RFC 3339 time like 2026-11-20T09:30:00Z, not '\(text)'")
                } else {
                    snapshot.exportedAt = text
                }
            }
            if let application = fields["application"], let object = object(application.0, application.1, known: ["id", "name"]) {
                snapshot.application = InstanceSnapshot.Application(id: string(object["id"]), name: string(object["name"]))
            }
            if let instance = fields["instance"], let object = object(instance.0, instance.1, known: [
                "id", "environment_type", "domain", "frontend_api_url", "accounts_portal_url", "allowed_origins",
            ]) {
                var value = InstanceSnapshot.Instance()
                value.id = string(object["id"])
                value.environmentType = oneOf(object["environment_type"], ["production", "development", "staging"])
                value.domain = string(object["domain"])
                value.frontendApiUrl = string(object["frontend_api_url"])
                value.accountsPortalUrl = string(object["accounts_portal_url"])
                value.allowedOrigins = strings(object["allowed_origins"])
                snapshot.instance = value
            }
            snapshot.plan = oneOf(fields["plan"], ClerkPlan.allCases.map(\.rawValue))
            if let providers = fields["social_providers"] {
                if case .mapping(let mapping) = providers.0 {
                    var result: [String: InstanceSnapshot.SocialProvider] = [:]
                    for (keyNode, value) in mapping {
                        guard let strategy = keyNode.string else { continue }
                        let path = "\(providers.1).\(strategy)"
                        guard strategy.hasPrefix("oauth_") else {
                            report(keyNode, providers.1, "'\(strategy)' is not a social provider strategy (oauth_google, oauth_github, ...)")
                            continue
                        }
                        guard let object = object(value, path, known: [
                            "enabled", "has_own_credentials", "client_id", "client_secret_set", "team_id", "key_id", "redirect_uris", "publishing_status",
                        ]) else { continue }
                        var provider = InstanceSnapshot.SocialProvider()
                        provider.enabled = bool(object["enabled"])
                        provider.hasOwnCredentials = bool(object["has_own_credentials"])
                        provider.clientId = string(object["client_id"])
                        provider.clientSecretSet = bool(object["client_secret_set"])
                        provider.teamId = string(object["team_id"])
                        provider.keyId = string(object["key_id"])
                        provider.redirectUris = strings(object["redirect_uris"])
                        provider.publishingStatus = string(object["publishing_status"])
                        result[strategy] = provider
                    }
                    snapshot.socialProviders = result
                } else if !isNull(providers.0) {
                    report(providers.0, providers.1, "must be an object keyed by strategy (oauth_google, ...)")
                }
            }
            snapshot.redirectUrls = strings(fields["redirect_urls"])
            if let email = fields["email"], let object = object(email.0, email.1, known: ["from_address", "reply_to"]) {
                var value = InstanceSnapshot.Email()
                value.fromAddress = string(object["from_address"])
                value.replyTo = string(object["reply_to"])
                snapshot.email = value
            }
            snapshot.emailTemplates = list(fields["email_templates"]) { reader, node, path in
                guard let object = reader.object(node, path, known: ["slug", "subject", "body_excerpt"]) else { return nil }
                guard let slug = reader.string(object["slug"]) else {
                    reader.report(node, path, "slug is required")
                    return nil
                }
                return InstanceSnapshot.EmailTemplate(slug: slug, subject: reader.string(object["subject"]), bodyExcerpt: reader.string(object["body_excerpt"]))
            }
            snapshot.smsTemplates = list(fields["sms_templates"]) { reader, node, path in
                guard let object = reader.object(node, path, known: ["slug", "message"]) else { return nil }
                guard let slug = reader.string(object["slug"]) else {
                    reader.report(node, path, "slug is required")
                    return nil
                }
                return InstanceSnapshot.SMSTemplate(slug: slug, message: reader.string(object["message"]))
            }
            if let session = fields["session"], let object = object(session.0, session.1, known: ["lifetime_seconds", "inactivity_timeout_seconds", "custom_lifetime"]) {
                var value = InstanceSnapshot.Session()
                value.lifetimeSeconds = int(object["lifetime_seconds"])
                value.inactivityTimeoutSeconds = int(object["inactivity_timeout_seconds"])
                value.customLifetime = bool(object["custom_lifetime"])
                snapshot.session = value
            }
            if let features = fields["enabled_paid_features"], let names = strings(features) {
                for name in names where !InstanceSnapshot.knownPaidFeatures.contains(name) {
                    let suggestion = EditDistance.closest(to: name, in: InstanceSnapshot.knownPaidFeatures).map { " (did you mean '\($0)'?)" } ?? ""
                    report(features.0, features.1, "unknown paid feature '\(name)'\(suggestion)")
                }
                snapshot.enabledPaidFeatures = names.filter(InstanceSnapshot.knownPaidFeatures.contains)
            }
            return snapshot
        }
    }
}
