import Foundation

/// A robots.txt file read as RFC 9309 says: groups of user-agent lines with their rules, the
/// group of the most specific matching product token (else `*`), and the longest matching
/// rule deciding, with `allow` winning a tie. `*` and `$` in paths are supported.
public struct RobotsTxt: Sendable, Hashable {
    public struct Rule: Sendable, Hashable {
        public var allow: Bool
        public var path: String
    }

    public struct Group: Sendable, Hashable {
        /// Lowercased product tokens.
        public var userAgents: [String]
        public var rules: [Rule]
    }

    public var groups: [Group]

    public init(_ text: String) {
        var groups: [Group] = []
        var current: Group?
        var lastWasAgent = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                // Consecutive user-agent lines open one group together.
                if !lastWasAgent {
                    if let current { groups.append(current) }
                    current = Group(userAgents: [], rules: [])
                }
                current?.userAgents.append(value.lowercased())
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                guard current != nil else { continue }  // rules before any user-agent belong to no group
                // An empty disallow allows everything: it adds no rule.
                if !value.isEmpty { current?.rules.append(Rule(allow: key == "allow", path: value)) }
            default:
                // sitemap, crawl-delay and others neither open nor close a group.
                continue
            }
        }
        if let current { groups.append(current) }
        self.groups = groups
    }

    /// The rules that apply to a crawler: the groups naming its product token (merged), else
    /// the `*` groups; `nil` when no group applies (everything is allowed).
    public func rules(for userAgent: String) -> [Rule]? {
        let token = userAgent.lowercased()
        let named = groups.filter { $0.userAgents.contains(token) }
        if !named.isEmpty { return named.flatMap(\.rules) }
        let any = groups.filter { $0.userAgents.contains("*") }
        return any.isEmpty ? nil : any.flatMap(\.rules)
    }

    /// Whether `userAgent` may crawl `path` (with its query), and the rule that decided.
    public func allows(_ path: String, for userAgent: String) -> (allowed: Bool, rule: Rule?) {
        guard let rules = rules(for: userAgent) else { return (true, nil) }
        var best: Rule?
        var bestLength = -1
        for rule in rules where Self.matches(rule.path, path) {
            let length = rule.path.count
            if length > bestLength || (length == bestLength && rule.allow && best?.allow == false) {
                best = rule
                bestLength = length
            }
        }
        return (best?.allow ?? true, best)
    }

    /// RFC 9309 section 2.2.3: a rule matches a prefix of the path; `*` matches any run of
    /// characters, and a final `$` makes the rule match the whole path.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var rule = Array(pattern.unicodeScalars)
        let subject = Array(path.unicodeScalars)
        let anchored = rule.last == "$"
        if anchored { rule.removeLast() }
        var i = 0, j = 0, star = -1, mark = 0
        while i < subject.count {
            if j < rule.count, rule[j] != "*", rule[j] == subject[i] {
                i += 1
                j += 1
            } else if j < rule.count, rule[j] == "*" {
                star = j
                mark = i
                j += 1
            } else if j == rule.count, !anchored {
                return true  // the rule matched a prefix
            } else if star >= 0 {
                j = star + 1
                mark += 1
                i = mark
            } else {
                return false
            }
        }
        while j < rule.count, rule[j] == "*" { j += 1 }
        return j == rule.count
    }
}
