import PreflightCore
import PreflightProbes
import Testing

@Suite struct HTMLExtractorTests {
    @Test func readsScriptsMetaAndClerkAttributes() {
        let html = """
            <!doctype html><html><head>
            <META NAME="Robots" CONTENT="noindex, nofollow">
            <script async data-clerk-publishable-key="pk_live_Y2xlcmsuZXhhbXBsZS5jb20k" data-clerk-proxy-url="/__clerk"
              src="https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js"></script>
            <script src="/static/app.js"></script><script src="chunk.js"></script>
            <script>window.env = {"mode": "production"}</script>
            </head><body><p>text <script>inline2()</script></body></html>
            """
        let facts = HTMLExtractor.extract(html: html, url: "https://example.com/shop/")
        #expect(facts.scriptSources == ["https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js",
                                        "https://example.com/static/app.js", "https://example.com/shop/chunk.js"])
        #expect(facts.robots == ["noindex, nofollow"])
        #expect(facts.clerkScriptAttributes == ["data-clerk-publishable-key": "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k",
                                                "data-clerk-proxy-url": "/__clerk"])
        #expect(facts.inlineScripts == [#"window.env = {"mode": "production"}"#, "inline2()"])
    }

    @Test func survivesBrokenAndHostileMarkup() {
        #expect(HTMLExtractor.extract(html: "", url: "https://example.com/") == HTMLFacts())
        let broken = HTMLExtractor.extract(html: "<script src=a.js><div><<>>&&<script src='b.js'", url: "https://example.com/")
        #expect(broken.scriptSources.first == "https://example.com/a.js")
        // Deep nesting neither recurses nor crashes: libxml2 stops at its depth limit (256)
        // and what came before is kept.
        let deep = "<script src=/top.js></script>" + String(repeating: "<div>", count: 20_000) + "<script src=/deep.js></script>"
        #expect(HTMLExtractor.extract(html: deep, url: "https://example.com/").scriptSources.first == "https://example.com/top.js")
    }

    @Test func scriptTextIsNotMarkup() {
        // A string that looks like a tag inside a script stays script text.
        let facts = HTMLExtractor.extract(html: #"<script>var s = "<script src='x.js'>";</script>"#, url: "https://example.com/")
        #expect(facts.scriptSources.isEmpty)
        #expect(facts.inlineScripts.count == 1)
    }
}

@Suite struct HTMLExtractorModuleTests {
    @Test func modulePreloadsAndCSPMeta() {
        let html = """
            <html><head>
            <meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src https://img.clerk.com">
            <link rel="modulepreload" href="/assets/vendor-1.js"><link rel="preload" as="script" href="chunk-2.js">
            <link rel="preload" as="style" href="/app.css"><link rel="stylesheet" href="/x.css">
            <script type="module" src="/assets/index-3.js"></script>
            </head></html>
            """
        let facts = HTMLExtractor.extract(html: html, url: "https://example.com/shop/")
        #expect(facts.scriptSources == ["https://example.com/assets/vendor-1.js", "https://example.com/shop/chunk-2.js",
                                        "https://example.com/assets/index-3.js"])
        #expect(facts.contentSecurityPolicies == ["default-src 'self'; img-src https://img.clerk.com"])
    }
}
