import PreflightCore
import Testing

/// CSP Level 3 source matching, RFC 9309 robots.txt, RFC 8659 CAA properties.
@Suite struct WebPolicyTests {
    let page = "https://example.com/account"

    func allows(_ policy: String, _ url: String, _ directive: String) -> Bool {
        ContentSecurityPolicy(policy).allows(url, directive: directive, pageURL: page)
    }

    @Test func hostWildcardsCoverSubdomainsOnly() {
        #expect(allows("script-src https://*.example.com", "https://clerk.example.com/x.js", "script-src"))
        #expect(allows("script-src https://*.example.com", "https://a.b.example.com/x.js", "script-src"))
        #expect(!allows("script-src https://*.example.com", "https://example.com/x.js", "script-src"))
        #expect(!allows("script-src https://*.example.com", "https://evilexample.com/x.js", "script-src"))
    }

    @Test func schemesPortsAndPaths() {
        #expect(allows("connect-src https:", "https://api.clerk.com/v1", "connect-src"))
        #expect(allows("connect-src http:", "https://api.clerk.com/v1", "connect-src"), "http: allows the secure upgrade")
        #expect(!allows("connect-src https:", "http://api.clerk.com/v1", "connect-src"))
        #expect(allows("connect-src clerk.example.com", "https://clerk.example.com/v1/client", "connect-src"), "no scheme: the page's")
        #expect(!allows("connect-src https://x.protect.clerk.com", "https://x.protect.clerk.com:8443/", "connect-src"))
        #expect(allows("connect-src https://*.protect.clerk.com:*", "https://x.protect.clerk.com:8443/", "connect-src"))
        #expect(allows("script-src https://cdn.example.com/npm/", "https://cdn.example.com/npm/clerk.js", "script-src"))
        #expect(!allows("script-src https://cdn.example.com/npm/clerk.js", "https://cdn.example.com/npm/other.js", "script-src"))
    }

    @Test func selfStarAndKeywords() {
        #expect(allows("worker-src 'self'", "https://example.com/worker.js", "worker-src"))
        #expect(!allows("worker-src 'self'", "blob:https://example.com/1f2e", "worker-src"), "'self' does not cover blob:")
        #expect(allows("worker-src 'self' blob:", "blob:https://example.com/1f2e", "worker-src"))
        #expect(!allows("img-src *", "data:image/png;base64,AAAA", "img-src"), "* never covers data:")
        #expect(allows("img-src *", "https://img.clerk.com/a.png", "img-src"))
        #expect(!allows("script-src 'none'", "https://example.com/a.js", "script-src"))
        #expect(!allows("script-src 'unsafe-inline' 'nonce-abc'", "https://example.com/a.js", "script-src"))
    }

    @Test func fallbacksFollowCSP3() {
        // worker-src -> child-src -> script-src -> default-src
        #expect(!allows("default-src 'self'; script-src 'self' https://cdn.test", "blob:https://example.com/w", "worker-src"))
        #expect(allows("default-src 'none'; child-src blob: 'self'", "blob:https://example.com/w", "worker-src"))
        // frame-src -> child-src -> default-src
        #expect(allows("default-src 'self'; child-src https://challenges.cloudflare.com", "https://challenges.cloudflare.com/", "frame-src"))
        #expect(allows("script-src 'self'", "https://img.clerk.com/a.png", "img-src"), "no img-src and no default-src: allowed")
        // The first of a repeated directive wins.
        #expect(!allows("img-src 'self'; img-src https://img.clerk.com", "https://img.clerk.com/a.png", "img-src"))
    }

    @Test func unsafeInlineIsSwitchedOffByANonceOrHash() {
        #expect(ContentSecurityPolicy("style-src 'self' 'unsafe-inline'").allowsUnsafeInline("style-src"))
        #expect(!ContentSecurityPolicy("style-src 'unsafe-inline' 'sha256-abc='").allowsUnsafeInline("style-src"))
        #expect(!ContentSecurityPolicy("default-src 'self'").allowsUnsafeInline("style-src"))
        #expect(ContentSecurityPolicy("script-src 'self'").allowsUnsafeInline("style-src"))
    }

    @Test func aHeaderMayHoldSeveralPolicies() {
        let policies = ContentSecurityPolicy.policies(header: "default-src *, img-src 'self'")
        #expect(policies.count == 2)
        #expect(policies.contains { !$0.allows("https://img.clerk.com/a.png", directive: "img-src", pageURL: page) })
    }

    // MARK: robots.txt

    @Test func groupsAndUserAgents() {
        let robots = RobotsTxt("""
            # staging leftovers
            User-agent: *
            Disallow: /

            User-agent: Googlebot
            User-agent: bingbot
            Allow: /$
            Disallow: /
            Sitemap: https://example.com/sitemap.xml
            """)
        #expect(robots.allows("/", for: "Googlebot").allowed)
        #expect(robots.allows("/", for: "BINGBOT").allowed, "product tokens match case-insensitively")
        #expect(!robots.allows("/pricing", for: "Googlebot").allowed)
        #expect(!robots.allows("/", for: "DuckDuckBot").allowed, "falls back to the * group")
    }

    @Test func longestMatchWinsAndAllowWinsTies() {
        let robots = RobotsTxt("User-agent: *\nDisallow: /shop\nAllow: /shop/\nDisallow: /*.pdf$\nAllow: /page\nDisallow: /page\n")
        #expect(!robots.allows("/shop", for: "x").allowed)
        #expect(robots.allows("/shop/cart", for: "x").allowed)
        #expect(!robots.allows("/docs/terms.pdf", for: "x").allowed)
        #expect(robots.allows("/docs/terms.pdf?download=1", for: "x").allowed, "$ anchors the end")
        #expect(robots.allows("/page", for: "x").allowed, "equal length: allow wins")
        #expect(robots.allows("/", for: "x").allowed)
    }

    @Test func emptyDisallowAndNoGroupAllowEverything() {
        #expect(RobotsTxt("User-agent: *\nDisallow:\n").allows("/", for: "Googlebot").allowed)
        #expect(RobotsTxt("").allows("/", for: "Googlebot").allowed)
        #expect(RobotsTxt("User-agent: otherbot\nDisallow: /\n").allows("/", for: "Googlebot").allowed)
    }

    // MARK: CAA

    @Test func caaPropertiesAreReadAsRFC8659Says() throws {
        let property = try #require(CAAProperty(record: #"0 issue "LetsEncrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1; validationmethods=dns-01""#))
        #expect(property.tag == "issue")
        #expect(property.issuer == "letsencrypt.org")
        #expect(property.parameters["accounturi"] == "https://acme-v02.api.letsencrypt.org/acme/acct/1")
        #expect(property.parameters["validationmethods"] == "dns-01")
        #expect(!property.isCritical)
        let deny = try #require(CAAProperty(record: #"0 issue ";""#))
        #expect(deny.issuer == "")
        let critical = try #require(CAAProperty(record: #"128 tbs "x""#))
        #expect(critical.isCritical)
        #expect(CAAProperty(record: "garbage") == nil)
    }
}
