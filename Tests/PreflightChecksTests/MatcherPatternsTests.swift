@testable import PreflightChecks
import Testing

/// Next.js middleware matchers, read as the proxy check reads them.
@Suite struct MatcherPatternsTests {
    /// Clerk's quickstart matcher and the common shapes.
    static let quickstart = ["/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)", "/(api|trpc)(.*)"]

    @Test func theQuickstartMatcherRunsOnTheProxyPath() {
        #expect(MatcherPatterns.runs(on: "/__clerk/v1/environment", patterns: Self.quickstart) == true)
        #expect(MatcherPatterns.runs(on: "/api/items", patterns: Self.quickstart) == true)
        #expect(MatcherPatterns.runs(on: "/_next/static/a.js", patterns: Self.quickstart) == false)
    }

    @Test func namedParametersAndNarrowMatchers() {
        #expect(MatcherPatterns.runs(on: "/dashboard/orders/1", patterns: ["/dashboard/:path*"]) == true)
        #expect(MatcherPatterns.runs(on: "/__clerk/v1/environment", patterns: ["/dashboard/:path*", "/(api|trpc)(.*)"]) == false)
        #expect(MatcherPatterns.runs(on: "/__clerk/v1/environment", patterns: ["/__clerk/(.*)"]) == true)
        #expect(MatcherPatterns.runs(on: "/users/42", patterns: ["/users/:id"]) == true)
    }

    @Test func aPatternThatDoesNotCompileDecidesNothing() {
        #expect(MatcherPatterns.runs(on: "/x", patterns: ["/((?!unclosed"]) == nil)
        #expect(MatcherPatterns.runs(on: "/x", patterns: []) == nil)
    }
}
