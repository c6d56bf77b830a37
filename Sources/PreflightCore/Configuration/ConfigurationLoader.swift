import Foundation
import Yams

/// Reads `preflight.yml` strictly: every unknown key, unknown check id and wrong type is an
/// issue that names file, line and column. All issues are collected before failing, so one
/// run shows every mistake.
public struct ConfigurationLoader: Sendable {
    private let checks: [CheckDescription]

    public init(checks: [CheckDescription]) {
        self.checks = checks
    }

    public func load(text: String, path: String) throws(ConfigurationError) -> Configuration {
        var reader = NodeReader(file: path, checks: checks)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError([reader.issue(for: error, in: text)])
        } catch {
            throw ConfigurationError([ConfigurationIssue(file: path, line: 1, column: 1, message: "\(error)")])
        }
        var configuration = Configuration(path: path)
        if let root, root.null == nil {
            reader.readRoot(root, into: &configuration)
        }
        if !reader.issues.isEmpty { throw ConfigurationError(reader.issues) }
        configuration.warnings = reader.warnings
        configuration.lines = reader.lines
        return configuration
    }
}

/// Walks the node tree, collecting issues.
private struct NodeReader {
    let file: String
    let checks: [CheckDescription]
    var issues: [ConfigurationIssue] = []
    /// Not errors, but worth saying (a waiver without an owner).
    var warnings: [ConfigurationIssue] = []
    /// The line of each key read (`app.domain`), for findings that point at their configuration.
    var lines: [String: Int] = [:]

    init(file: String, checks: [CheckDescription]) {
        self.file = file
        self.checks = checks
    }

    mutating func report(_ node: Node?, _ message: String) {
        let mark = node?.mark
        issues.append(ConfigurationIssue(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    func issue(for error: YamlError, in text: String) -> ConfigurationIssue {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the mapping; point at the second occurrence of the key instead.
            let key = duplicates.sorted().first ?? "?"
            let (line, column) = Self.secondOccurrence(of: key, after: context.mark, in: text)
            return ConfigurationIssue(file: file, line: line, column: column, message: "duplicate key '\(key)'")
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ConfigurationIssue(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(text)")
        case .reader(let problem, _, _, _):
            // The reader names no place for a control character: find it.
            if let (position, scalar) = TextPosition.ofFirstDisallowedControl(in: text) {
                return ConfigurationIssue(file: file, line: position.line, column: position.column,
                                          message: "invalid YAML: control character U+\(String(format: "%04X", scalar.value)) is not allowed")
            }
            return ConfigurationIssue(file: file, line: 1, column: 1, message: "invalid YAML: \(problem)")
        default:
            return ConfigurationIssue(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }

    /// Line and column of the second block-style `key:` at the mapping's column, or the
    /// mapping's own mark when the key is written some other way (flow style).
    static func secondOccurrence(of key: String, after mark: Mark, in text: String) -> (Int, Int) {
        let indent = String(repeating: " ", count: mark.column - 1)
        var seen = 0
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where offset + 1 >= mark.line {
            guard line.hasPrefix(indent + key), line.dropFirst(indent.count + key.count).first == ":" else { continue }
            seen += 1
            if seen == 2 { return (offset + 1, mark.column) }
        }
        return (mark.line, mark.column)
    }

    // MARK: Sections

    mutating func readRoot(_ root: Node, into configuration: inout Configuration) {
        for (key, keyNode, value) in mapping(root, "the top level", known: ["app", "clerk", "checks", "waivers"]) {
            switch key {
            case "app": readApp(value, into: &configuration.app)
            case "clerk": readClerk(value, into: &configuration.clerk)
            case "checks": readChecks(value, into: &configuration.checks)
            case "waivers": configuration.waivers = readWaivers(value)
            default: _ = keyNode
            }
        }
    }

    mutating func readApp(_ node: Node, into app: inout AppSettings) {
        var webhooks: Node?
        let known = ["domain", "url", "env_files", "assets", "webhooks", "protected_paths", "satellites", "preview_urls"]
        for (key, keyNode, value) in mapping(node, "app", known: known) {
            lines["app.\(key)"] = keyNode.mark?.line
            switch key {
            case "domain":
                if let domain = string(value, "app.domain") {
                    if let problem = Self.hostNameProblem(domain) {
                        report(value, "app.domain must be a host name like 'example.com', not '\(domain)' (\(problem))")
                    } else {
                        app.domain = ClerkHosts.normalize(domain)
                    }
                }
            case "url": app.url = url(value, "app.url")
            case "env_files": app.envFiles = stringList(value, "app.env_files")
            case "assets": app.assets = stringList(value, "app.assets")
            case "webhooks": webhooks = value
            case "protected_paths": app.protectedPaths = protectedPaths(value)
            case "satellites": app.satellites = satellites(value)
            case "preview_urls": app.previewURLs = previewURLs(value)
            default: break
            }
        }
        if app.url == nil, let domain = app.domain { app.url = "https://\(domain)/" }
        // Read last: a path entry is resolved against app.url, and every URL must be on app.domain.
        if let webhooks { app.webhooks = readWebhooks(webhooks, app: app) }
    }

    /// `app.webhooks`: a list of `{url: https://...}` or `{path: /...}`. Preflight POSTs an
    /// unsigned test event to each, so only `https:` URLs on `app.domain` are accepted.
    mutating func readWebhooks(_ node: Node, app: AppSettings) -> [String] {
        guard case .sequence(let entries) = node else {
            if node.null == nil { report(node, "app.webhooks must be a list of {path: /...} or {url: https://...}") }
            return []
        }
        var urls: [String] = []
        for entry in entries {
            let fields = mapping(entry, "app.webhooks[]", known: ["url", "path"])
            if case .mapping = entry, fields.isEmpty, entry.mapping?.isEmpty != false {
                report(entry, "a webhook entry needs url or path")
            }
            if fields.count > 1 { report(entry, "a webhook entry takes url or path, not both") }
            guard fields.count == 1, let (key, _, value) = fields.first, let text = string(value, "app.webhooks[].\(key)") else { continue }
            let url: String
            if key == "path" {
                guard text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("://"), !text.contains(where: \.isWhitespace) else {
                    report(value, "app.webhooks[].path must be a path like /api/webhooks/clerk, not '\(text)'")
                    continue
                }
                guard let resolved = app.url(ofPath: text) else {
                    report(value, "app.webhooks[].path needs app.domain or app.url to say where it is")
                    continue
                }
                url = resolved
            } else {
                url = text
            }
            if let problem = Self.webhookURLProblem(url, domain: app.domain) {
                report(value, problem)
            } else if !urls.contains(url) {
                urls.append(url)
            }
        }
        return urls
    }

    /// Why Preflight will not POST to `url`, or nil: it must be an `https:` URL on `domain`.
    static func webhookURLProblem(_ url: String, domain: String?) -> String? {
        guard let components = URLComponents(string: url), let host = components.host.map(ClerkHosts.normalize), !host.isEmpty else {
            return "app.webhooks[].url must be an absolute URL, not '\(url)'"
        }
        guard components.scheme?.lowercased() == "https" else {
            return "app.webhooks[].url must be https: (Clerk's webhooks are sent to https: endpoints; Preflight sends its test event only over https), not '\(url)'"
        }
        guard let domain else { return "app.webhooks needs app.domain: Preflight sends its test event only to the app's own domain" }
        guard host == domain || host.hasSuffix("." + domain) else {
            return "app.webhooks[].url must be on app.domain (\(domain)): Preflight sends its test event only to the app's own hosts, not to \(host)"
        }
        return nil
    }

    /// `app.satellites`: host names, as `app.domain` is one.
    mutating func satellites(_ node: Node) -> [String] {
        guard case .sequence(let entries) = node else {
            if node.null == nil { report(node, "app.satellites must be a list of domains like shop.example.org") }
            return []
        }
        var domains: [String] = []
        for entry in entries {
            guard let text = string(entry, "app.satellites[]") else { continue }
            if let problem = Self.hostNameProblem(text) {
                report(entry, "app.satellites takes host names like 'shop.example.org', not '\(text)' (\(problem))")
            } else if !domains.contains(ClerkHosts.normalize(text)) {
                domains.append(ClerkHosts.normalize(text))
            }
        }
        return domains
    }

    /// `app.preview_urls`: absolute http(s) URLs of preview deployments (their pages are fetched).
    mutating func previewURLs(_ node: Node) -> [String] {
        guard case .sequence(let entries) = node else {
            if node.null == nil { report(node, "app.preview_urls must be a list of URLs like https://myapp-git-main-team.vercel.app") }
            return []
        }
        var urls: [String] = []
        for entry in entries {
            if let url = url(entry, "app.preview_urls[]"), !urls.contains(url) { urls.append(url) }
        }
        return urls
    }

    /// `app.protected_paths`: paths (`/dashboard`), each fetched signed out.
    mutating func protectedPaths(_ node: Node) -> [String] {
        guard case .sequence(let entries) = node else {
            if node.null == nil { report(node, "app.protected_paths must be a list of paths like /dashboard") }
            return []
        }
        var paths: [String] = []
        for entry in entries {
            guard let path = string(entry, "app.protected_paths[]") else { continue }
            guard path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains(where: \.isWhitespace), !path.contains("#") else {
                report(entry, "app.protected_paths takes paths like /dashboard, not '\(path)'")
                continue
            }
            if !paths.contains(path) { paths.append(path) }
        }
        return paths
    }

    /// Why `text` is not a plain host name, or `nil` when it is one.
    static func hostNameProblem(_ text: String) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.contains("://") { return "no scheme" }
        if text.contains("/") { return "no path" }
        if text.contains(where: \.isWhitespace) { return "no spaces" }
        if text.contains(":") { return "no port" }
        if text.contains("@") { return "no user" }
        let labels = ClerkHosts.normalize(text).split(separator: ".", omittingEmptySubsequences: false)
        if labels.contains(where: \.isEmpty) { return "empty label" }
        for label in labels {
            if label.count > 63 { return "a label is longer than 63 characters" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "a label starts or ends with '-'" }
            // Letters of any script are allowed (IDNs); punctuation other than '-' is not.
            if label.unicodeScalars.contains(where: { !($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }) {
                return "only letters, digits and '-' in a label"
            }
        }
        return nil
    }

    mutating func readClerk(_ node: Node, into clerk: inout ClerkSettings) {
        let known = ["plan", "instance_snapshot", "secret_key_env", "proxy_url", "platform_token_env", "application_id", "instance_id"]
        for (key, keyNode, value) in mapping(node, "clerk", known: known) {
            lines["clerk.\(key)"] = keyNode.mark?.line
            switch key {
            case "plan":
                if let text = string(value, "clerk.plan") {
                    if let plan = ClerkPlan(rawValue: text.lowercased()) {
                        clerk.plan = plan
                    } else {
                        report(value, "clerk.plan must be one of \(ClerkPlan.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
                    }
                }
            case "instance_snapshot": clerk.instanceSnapshot = string(value, "clerk.instance_snapshot")
            case "secret_key_env":
                if let name = string(value, "clerk.secret_key_env") {
                    if name.hasPrefix("sk_") {
                        report(value, "clerk.secret_key_env names an environment variable; never put the key itself in preflight.yml")
                    } else {
                        clerk.secretKeyEnv = name
                    }
                }
            case "proxy_url": clerk.proxyURL = url(value, "clerk.proxy_url")
            case "platform_token_env":
                if let name = string(value, "clerk.platform_token_env") {
                    if name.hasPrefix("ak_") || name.hasPrefix("sk_") || name.count > 64 {
                        report(value, "clerk.platform_token_env names an environment variable; never put the token itself in preflight.yml")
                    } else {
                        clerk.platformTokenEnv = name
                        clerk.platformTokenEnvConfigured = true
                    }
                }
            case "application_id": clerk.applicationID = string(value, "clerk.application_id")
            case "instance_id": clerk.instanceID = string(value, "clerk.instance_id")
            default: break
            }
        }
    }

    mutating func readChecks(_ node: Node, into settings: inout [String: CheckSettings]) {
        guard case .mapping(let map) = node else {
            if node.null == nil { report(node, "'checks' must be a mapping of check ids to settings") }
            return
        }
        for (keyNode, value) in map {
            guard let id = keyNode.string else { report(keyNode, "check ids are strings"); continue }
            guard let check = description(for: id) else {
                report(keyNode, "unknown check id '\(id)'" + suggestion(for: id, in: allIDs))
                continue
            }
            if settings[check.id] != nil { report(keyNode, "check '\(check.id)' is configured twice") }
            var entry = CheckSettings()
            let known = ["enabled", "severity"] + check.options.map(\.name)
            for (key, _, optionValue) in mapping(value, "checks.\(id)", known: known) {
                switch key {
                case "enabled": entry.enabled = bool(optionValue, "checks.\(id).enabled")
                case "severity":
                    if let text = string(optionValue, "checks.\(id).severity") {
                        if let severity = Severity(rawValue: text.lowercased()) {
                            entry.severity = severity
                        } else {
                            report(optionValue, "severity must be one of info, warning, error, critical, not '\(text)'"
                                + suggestion(for: text, in: Severity.allCases.map(\.rawValue)))
                        }
                    }
                default:
                    switch check.options.first(where: { $0.name == key })?.defaultValue {
                    case .strings?:
                        if let list = stringList(optionValue, "checks.\(id).\(key)") { entry.options[key] = .strings(list) }
                    default:
                        if let number = int(optionValue, "checks.\(id).\(key)") {
                            if number < 0 { report(optionValue, "checks.\(id).\(key) must not be negative") }
                            entry.options[key] = .number(number)
                        }
                    }
                }
            }
            settings[check.id] = entry
        }
    }

    mutating func readWaivers(_ node: Node) -> [Waiver] {
        guard case .sequence(let sequence) = node else {
            if node.null == nil { report(node, "'waivers' must be a list") }
            return []
        }
        var waivers: [Waiver] = []
        for item in sequence {
            var id: String?, target: String?, reason: String?, owner: String?, expires: String?
            var idReported = false, expiresReported = false
            for (key, _, value) in mapping(item, "a waiver", known: ["id", "target", "reason", "owner", "expires"]) {
                switch key {
                case "id":
                    if let text = string(value, "waiver id") {
                        if let check = description(for: text) {
                            id = check.id
                        } else {
                            report(value, "unknown check id '\(text)' in waiver" + suggestion(for: text, in: allIDs))
                            idReported = true
                        }
                    }
                case "target": target = string(value, "waiver target")
                case "reason": reason = string(value, "waiver reason")
                case "owner": owner = string(value, "waiver owner")
                case "expires":
                    if let text = string(value, "waiver expires") {
                        if WaiverDate.parse(text) == nil {
                            report(value, "waiver expires must be a date like 2027-01-31, not '\(text)'")
                        } else {
                            expires = text
                        }
                    }
                    expiresReported = expires == nil
                default: break
                }
            }
            guard case .mapping = item else { continue }
            if id == nil, !idReported { report(item, "a waiver needs an 'id'") }
            if reason == nil || reason?.trimmingCharacters(in: .whitespaces).isEmpty == true {
                report(item, "a waiver needs a 'reason'")
            }
            // A waiver without an end date is a permanent exemption nobody reviews.
            if expires == nil, !expiresReported { report(item, "a waiver needs 'expires' (a date like 2027-01-31)") }
            if owner == nil, case .mapping = item, let id {
                warnings.append(ConfigurationIssue(file: file, line: item.mark?.line ?? 1, column: item.mark?.column ?? 1,
                                                   message: "the waiver for \(id) has no 'owner': name who answers for it"))
            }
            if let id, let reason {
                waivers.append(Waiver(checkID: id, target: target, reason: reason, owner: owner, expires: expires))
            }
        }
        return waivers
    }

    // MARK: Typed values

    var allIDs: [String] { checks.flatMap { [$0.id] + $0.aliases } }

    func description(for id: String) -> CheckDescription? {
        checks.first { $0.id == id || $0.aliases.contains(id) }
    }

    func suggestion(for name: String, in candidates: [String]) -> String {
        EditDistance.closest(to: name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// The entries of a mapping, reporting unknown and duplicate keys. A null value (`app:`
    /// with nothing under it) reads as an empty mapping.
    mutating func mapping(_ node: Node, _ name: String, known: [String]) -> [(String, Node, Node)] {
        guard case .mapping(let map) = node else {
            if node.null == nil { report(node, "'\(name)' must be a mapping") }
            return []
        }
        var seen: Set<String> = []
        var entries: [(String, Node, Node)] = []
        for (keyNode, value) in map {
            guard let key = keyNode.string, case .scalar = keyNode else {
                report(keyNode, "keys in '\(name)' must be strings")
                continue
            }
            guard known.contains(key) else {
                report(keyNode, "unknown key '\(key)' in '\(name)'" + suggestion(for: key, in: known))
                continue
            }
            guard seen.insert(key).inserted else {
                report(keyNode, "duplicate key '\(key)' in '\(name)'")
                continue
            }
            entries.append((key, keyNode, value))
        }
        return entries
    }

    mutating func string(_ node: Node, _ name: String) -> String? {
        guard case .scalar(let scalar) = node, node.null == nil else {
            report(node, "\(name) must be a string")
            return nil
        }
        return scalar.string
    }

    mutating func url(_ node: Node, _ name: String) -> String? {
        guard let text = string(node, name) else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["https", "http"].contains(scheme.lowercased()), components.host?.isEmpty == false
        else {
            report(node, "\(name) must be an http(s) URL like 'https://example.com', not '\(text)'")
            return nil
        }
        return text
    }

    mutating func bool(_ node: Node, _ name: String) -> Bool? {
        guard case .scalar = node, let value = node.bool else {
            report(node, "\(name) must be true or false")
            return nil
        }
        return value
    }

    mutating func int(_ node: Node, _ name: String) -> Int? {
        guard case .scalar = node, let value = node.int else {
            report(node, "\(name) must be a whole number")
            return nil
        }
        return value
    }

    /// A list of strings; a single string is taken as a list of one.
    mutating func stringList(_ node: Node, _ name: String) -> [String]? {
        switch node {
        case .scalar where node.null == nil:
            return string(node, name).map { [$0] }
        case .sequence(let sequence):
            return sequence.compactMap { string($0, "each entry of \(name)") }
        default:
            report(node, "\(name) must be a list of strings")
            return nil
        }
    }
}

/// `YYYY-MM-DD` dates of waivers, in UTC.
public enum WaiverDate {
    public static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }

    /// Whether a waiver that expires on `text` still applies at `now` (the whole day counts).
    public static func isActive(expires text: String?, now: Date) -> Bool {
        guard let text, let date = parse(text) else { return true }
        return now < date.addingTimeInterval(24 * 60 * 60)
    }
}
