import Foundation

/// What a page says about itself, read with libxml2's HTML parser (which recovers from
/// broken markup as browsers do).
public struct HTMLFacts: Sendable, Hashable, Codable {
    /// `src` of every `<script>`, resolved against the page URL, in document order.
    public var scriptSources: [String]
    /// The text of inline scripts (not recorded: the scanner's matches are).
    public var inlineScripts: [String]
    /// `content` of `<meta name="robots">` (and `googlebot`).
    public var robots: [String]
    /// `data-clerk-*` attributes of the script tag that loads clerk-js.
    public var clerkScriptAttributes: [String: String]

    enum CodingKeys: String, CodingKey { case scriptSources, robots, clerkScriptAttributes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scriptSources = try container.decode([String].self, forKey: .scriptSources)
        inlineScripts = []
        robots = try container.decode([String].self, forKey: .robots)
        clerkScriptAttributes = try container.decode([String: String].self, forKey: .clerkScriptAttributes)
    }

    public init(scriptSources: [String] = [], inlineScripts: [String] = [], robots: [String] = [], clerkScriptAttributes: [String: String] = [:]) {
        self.scriptSources = scriptSources
        self.inlineScripts = inlineScripts
        self.robots = robots
        self.clerkScriptAttributes = clerkScriptAttributes
    }
}

/// A fetched page, the same-origin scripts it loads, and what the Clerk string scanner found
/// in them. Bodies are not kept: only what checks read.
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
    public var facts: HTMLFacts
    /// Matches in the page's own HTML.
    public var matches: [ClerkStringScanner.Match]
    public var scripts: [Script]
    /// Same-origin scripts left unread because of the bounds (count or bytes).
    public var scriptsNotRead: [String]

    public init(
        url: String, failure: HTTPFailure? = nil, status: Int? = nil, facts: HTMLFacts = HTMLFacts(),
        matches: [ClerkStringScanner.Match] = [], scripts: [Script] = [], scriptsNotRead: [String] = []
    ) {
        self.url = url
        self.failure = failure
        self.status = status
        self.facts = facts
        self.matches = matches
        self.scripts = scripts
        self.scriptsNotRead = scriptsNotRead
    }
}
