import Foundation

/// What a page says about itself, read with libxml2's HTML parser (which recovers from
/// broken markup as browsers do).
public struct HTMLFacts: Sendable, Hashable, Codable {
    /// `src` of every `<script>` and `href` of every `<link rel="modulepreload">` (or
    /// `rel="preload" as="script"`), resolved against the page URL, in document order.
    public var scriptSources: [String]
    /// The text of inline scripts (not recorded: the scanner's matches are).
    public var inlineScripts: [String]
    /// `content` of `<meta name="robots">` (and `googlebot`).
    public var robots: [String]
    /// `data-clerk-*` attributes of the script tag that loads clerk-js.
    public var clerkScriptAttributes: [String: String]
    /// `content` of `<meta http-equiv="Content-Security-Policy">`.
    public var contentSecurityPolicies: [String]
    /// The text of the first `<title>`, whitespace collapsed, at most 200 characters.
    public var title: String?

    enum CodingKeys: String, CodingKey { case scriptSources, robots, clerkScriptAttributes, contentSecurityPolicies, title }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scriptSources = try container.decode([String].self, forKey: .scriptSources)
        inlineScripts = []
        robots = try container.decode([String].self, forKey: .robots)
        clerkScriptAttributes = try container.decode([String: String].self, forKey: .clerkScriptAttributes)
        contentSecurityPolicies = try container.decodeIfPresent([String].self, forKey: .contentSecurityPolicies) ?? []
        title = try container.decodeIfPresent(String.self, forKey: .title)
    }

    public init(
        scriptSources: [String] = [], inlineScripts: [String] = [], robots: [String] = [], clerkScriptAttributes: [String: String] = [:],
        contentSecurityPolicies: [String] = [], title: String? = nil
    ) {
        self.title = title
        self.scriptSources = scriptSources
        self.inlineScripts = inlineScripts
        self.robots = robots
        self.clerkScriptAttributes = clerkScriptAttributes
        self.contentSecurityPolicies = contentSecurityPolicies
    }
}

/// A fetched page, the scripts of its own site it loads (and those they import), and what the
/// Clerk string scanner found in them. Bodies are not kept: only what checks read.
public struct PageScan: Sendable, Hashable, Codable {
    public struct Script: Sendable, Hashable, Codable {
        public var url: String
        public var bytes: Int
        public var matches: [ClerkStringScanner.Match]
        /// Why the script could not be read.
        public var failure: HTTPFailure?

        public init(url: String, bytes: Int = 0, matches: [ClerkStringScanner.Match] = [], failure: HTTPFailure? = nil) {
            self.url = url
            self.bytes = bytes
            self.matches = matches
            self.failure = failure
        }
    }

    public var url: String
    /// The page could not be fetched (or was not 2xx): nothing below is known.
    public var failure: HTTPFailure?
    public var status: Int?
    /// The response headers of the page (after redirects).
    public var headers: [HTTPHeader]
    public var facts: HTMLFacts
    /// Matches in the page's own HTML.
    public var matches: [ClerkStringScanner.Match]
    public var scripts: [Script]
    /// Scripts of the site left unread because of the bounds (count or bytes).
    public var scriptsNotRead: [String]

    public init(
        url: String, failure: HTTPFailure? = nil, status: Int? = nil, headers: [HTTPHeader] = [], facts: HTMLFacts = HTMLFacts(),
        matches: [ClerkStringScanner.Match] = [], scripts: [Script] = [], scriptsNotRead: [String] = []
    ) {
        self.url = url
        self.failure = failure
        self.status = status
        self.headers = headers
        self.facts = facts
        self.matches = matches
        self.scripts = scripts
        self.scriptsNotRead = scriptsNotRead
    }
}

extension PageScan {
    enum CodingKeys: String, CodingKey { case url, failure, status, headers, facts, matches, scripts, scriptsNotRead }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decode(String.self, forKey: .url)
        failure = try container.decodeIfPresent(HTTPFailure.self, forKey: .failure)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        headers = try container.decodeIfPresent([HTTPHeader].self, forKey: .headers) ?? []
        facts = try container.decode(HTMLFacts.self, forKey: .facts)
        matches = try container.decode([ClerkStringScanner.Match].self, forKey: .matches)
        scripts = try container.decode([Script].self, forKey: .scripts)
        scriptsNotRead = try container.decode([String].self, forKey: .scriptsNotRead)
    }

    /// The last value of a response header.
    public func header(_ name: String) -> String? {
        headers.last { $0.name == name.lowercased() }?.value
    }

    /// Every match of the page and its scripts, with the URL it was found in.
    public var allMatches: [(source: String, match: ClerkStringScanner.Match)] {
        matches.map { (url, $0) } + scripts.flatMap { script in script.matches.map { (script.url, $0) } }
    }
}
