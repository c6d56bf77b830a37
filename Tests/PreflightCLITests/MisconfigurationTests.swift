import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// The acceptance of the domain, DNS, TLS, web and leakage packs, on the real binary against
/// the local servers: a ready app with every trap of clerk-facts section 12 exits 0, and each
/// planted misconfiguration (one fixture domain, route or app file each) is reported once, at
/// the right target, by the right check.
@Suite struct MisconfigurationTests {
    let fixture: LiveFixture

    init() throws {
        fixture = try LiveFixture.shared()
    }

    /// An app on `domain` whose env file holds the live key of clerk.<domain>.
    static func app(_ domain: String, extra: [String: String] = [:]) -> [String: String] {
        [
            ".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.\(domain)", instance: .production))\n",
            "preflight.yml": "app:\n  domain: \(domain)\n  webhooks:\n    - path: /api/webhooks/clerk\n  protected_paths: [/dashboard]\n",
        ].merging(extra) { $1 }
    }

    func report(_ json: String) throws -> [[String: Any]] {
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(report["findings"] as? [[String: Any]])
    }

    /// `check id @ target` of every finding that is not a pass or a skip.
    func problems(_ json: String) throws -> [String] {
        try report(json).filter { !["pass", "skipped"].contains($0["outcome"] as? String) }.map {
            "\($0["check_id"] as! String) @ \(($0["target"] as? [String: Any])?["display"] as? String ?? "?")"
        }.sorted()
    }

    @Test func readyAppWithEveryTrapExitsZero() throws {
        let app = try AppFolder(Self.app("example.test", extra: [
            // Traps in the built output: the SDK's suffix list and key literals, Stripe keys
            // beside Clerk's, placeholders, and the live key itself.
            "dist/assets/index-4f1c.js": """
                const DEV=[".lcl.dev",".stg.dev",".dev.lclclerk.com",".stg.lclclerk.com",".accounts.lclclerk.com","accounts.dev"];\
                var e={MODE:"production",VITE_CLERK_PUBLISHABLE_KEY:"\(PublishableKey.encode(host: "clerk.example.test", instance: .production))",\
                VITE_STRIPE_KEY:"pk_test_51H8xyzExampleNotAClerkKey",STRIPE_SECRET:"sk_test_4eC39HqLyjWDarjtT1zdp7dc"};\
                function t(k){return k.startsWith("pk_test_")||k.startsWith("sk_test_")}const docs="pk_test_YOUR_KEY sk_live_xxxxxxxxxxxxxxxxxxxxxxxx";
                """,
            "dist/favicon.ico": "\u{0}\u{1}binary",
        ]))
        let result = try Preflight.run(["check", app.path, "--format", "json"] + fixture.flags())
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try problems(result.stdout) == [])
        let findings = try report(result.stdout)
        let passed = Set(findings.filter { $0["outcome"] as? String == "pass" }.map { $0["check_id"] as! String })
        for id in ["domain.production_domain_set", "dns.frontend_api_cname", "dns.accounts_portal_cname", "dns.mail_records", "dns.not_proxied",
                   "dns.caa_allows_clerk_issuers", "dns.dmarc_present", "tls.certificates_valid", "instance.production_active",
                   "web.https_enforced", "web.indexable", "web.csp_allows_clerk", "web.publishable_key_live",
                   "leakage.no_development_keys", "leakage.no_development_hosts", "leakage.no_secret_keys_in_client",
                   "webhooks.endpoint_rejects_unsigned", "routes.protected_paths_enforced", "routes.sign_in_redirect_public_origin",
                   "web.clock_in_sync"] {
            #expect(passed.contains(id), "\(id) did not pass")
        }
        // The page's scripts were followed through modulepreload, import and import().
        let leakage = try #require(findings.first { $0["check_id"] as? String == "leakage.no_development_keys" })
        let read = (leakage["evidence"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
        #expect(read.contains("https://example.test/ and 4 scripts of its site"), "\(read)")
        #expect(read.contains { $0.hasPrefix("1 built files in dist") && $0.contains("1 binary skipped") }, "\(read)")
        // One certificate finding per host.
        #expect(findings.filter { $0["check_id"] as? String == "tls.certificates_valid" }.count == 3)
    }

    /// A Frontend API proxied through the app (clerk.proxy_url): proxyok.test serves Clerk's
    /// environment at /__clerk; proxybroken.test answers with its own page there; proxydev.test
    /// proxies the development instance.
    @Test(arguments: [
        ("proxyok.test", nil),
        ("proxybroken.test", "proxy.frontend_api_proxy_healthy @ https://proxybroken.test/__clerk/v1/environment"),
        ("proxydev.test", "proxy.frontend_api_proxy_healthy @ https://proxydev.test/__clerk/v1/environment"),
    ] as [(String, String?)])
    func aProxiedFrontendAPIIsCheckedThroughTheProxy(domain: String, expected: String?) throws {
        var files = Self.app(domain)
        files["preflight.yml"]! += "clerk:\n  proxy_url: https://\(domain)/__clerk\n"
        // Each app's middleware runs only on its own pages: the likely cause when the proxy fails.
        files["middleware.ts"] = "import { clerkMiddleware } from '@clerk/nextjs/server'\nexport default clerkMiddleware({ frontendApiProxy: { enabled: true }, authorizedParties: ['https://\(domain)'] })\nexport const config = { matcher: ['/dashboard/:path*'] }\n"
        let app = try AppFolder(files)
        let result = try Preflight.run(["check", app.path, "--format", "json"] + fixture.flags())
        let problems = try problems(result.stdout)
        // A broken proxy also leaves the instance checks (which read Clerk through it) undecided;
        // the proxy check names the cause.
        if let expected {
            #expect(problems.contains(expected), "\(problems)")
        } else {
            #expect(problems == [], "\(result.stdout)")
        }
        let finding = try report(result.stdout).first { $0["check_id"] as? String == "proxy.frontend_api_proxy_healthy" }
        #expect(finding?["outcome"] as? String == (expected == nil ? "pass" : "fail"))
        if domain == "proxybroken.test" {
            #expect((finding?["hint"] as? String)?.hasPrefix("Add '/__clerk/(.*)' to config.matcher in middleware.ts") == true, "\(finding ?? [:])")
        }
    }

    /// With the secret key, Clerk's own proxy check (Backend API) is asked too: it agrees with
    /// a working proxy, and catches one that answers browsers but not Clerk.
    @Test(arguments: [("proxyok.test", "pass", "successful (domain dmn_"), ("proxyclerkfail.test", "fail", "not successful (domain dmn_")])
    func clerksOwnProxyCheckIsAskedWithTheSecretKey(domain: String, outcome: String, verdict: String) throws {
        var files = Self.app(domain)
        files["preflight.yml"]! += "clerk:\n  proxy_url: https://\(domain)/__clerk\n"
        let app = try AppFolder(files)
        let result = try Preflight.run(
            ["check", app.path, "--format", "json", "--only", "proxy.frontend_api_proxy_healthy"] + fixture.flags(),
            environment: ["CLERK_SECRET_KEY": "sk_live_ProxyCheckTestSecret000000000000wxyz", "CLERK_API_URL": "https://api.clerk.test"])
        let finding = try #require(try report(result.stdout).first)
        #expect(finding["outcome"] as? String == outcome, "\(result.stdout)")
        let evidence = (finding["evidence"] as? [[String: Any]] ?? []).map { "\($0["label"] as? String ?? ""): \($0["value"] as? String ?? "")" }
        #expect(evidence.contains { $0.hasPrefix("Clerk's proxy check: " + verdict) }, "\(evidence)")
    }

    @Test(arguments: [
        ("noaccounts.test", "dns.accounts_portal_cname @ accounts.noaccounts.test"),
        ("nomail.test", "dns.mail_records @ clk2._domainkey.nomail.test"),
        ("nodmarc.test", "dns.dmarc_present @ _dmarc.nodmarc.test"),
        ("caa.test", "dns.caa_allows_clerk_issuers @ clerk.caa.test"),
        ("proxied.test", "dns.not_proxied @ clerk.proxied.test"),
        ("plainhttp.test", "web.https_enforced @ http://plainhttp.test/"),
        ("nohsts.test", "web.https_enforced @ http://nohsts.test/"),
        ("noindex.test", "web.indexable @ https://noindex.test/robots.txt"),
        ("strictcsp.test", "web.csp_allows_clerk @ https://strictcsp.test/"),
        ("otherkey.test", "web.publishable_key_live @ https://otherkey.test/"),
        ("lazyleak.test", "leakage.no_development_keys @ https://lazyleak.test/assets/lazy-page.js:2:"),
        ("vendorleak.test", "leakage.no_development_hosts @ https://vendorleak.test/assets/vendor.js:2:"),
        ("secretleak.test", "leakage.no_secret_keys_in_client @ https://secretleak.test/assets/lazy-page.js:2:"),
        // The deployed app's own behaviour (issue 15).
        ("unverifiedhook.test", "webhooks.endpoint_rejects_unsigned @ https://unverifiedhook.test/api/webhooks/clerk"),
        ("middlewarehook.test", "webhooks.endpoint_rejects_unsigned @ https://middlewarehook.test/api/webhooks/clerk"),
        ("redirecthook.test", "webhooks.endpoint_rejects_unsigned @ https://redirecthook.test/api/webhooks/clerk"),
        ("openpage.test", "routes.protected_paths_enforced @ https://openpage.test/dashboard"),
        ("proxyloop.test", "routes.sign_in_redirect_public_origin @ https://proxyloop.test/dashboard"),
        ("clockskew.test", "web.clock_in_sync @ https://clockskew.test/"),
    ])
    func eachLiveMisconfigurationIsReportedOnce(domain: String, expected: String) throws {
        let app = try AppFolder(Self.app(domain))
        let result = try Preflight.run(["check", app.path, "--format", "json"] + fixture.flags())
        let problems = try problems(result.stdout)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix(expected) == true, "\(problems)")
        #expect([1, 0].contains(result.status), "\(result.stderr)")
    }

    @Test(arguments: [
        ("vercel", ["preflight.yml": "app:\n  domain: acme-shop.vercel.app\n",
                    ".env.production": "CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.acme-shop.vercel.app", instance: .production))\n"],
         "domain.production_domain_set @ clerk: app.domain", Int32(1)),
        ("env sign-in URL", [".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(PublishableKey.encode(host: "clerk.example.test", instance: .production))\nNEXT_PUBLIC_CLERK_SIGN_IN_URL=https://fuzzy-owl-12.accounts.dev/sign-in\n"],
         "leakage.no_development_hosts @ .env.production:2:39 (NEXT_PUBLIC_CLERK_SIGN_IN_URL)", 1),
        ("key in a built chunk", ["dist/assets/vendor-9a1b.js": "var a=1;\nvar k=process.env.KEY||\"pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\";"],
         "leakage.no_development_keys @ dist/assets/vendor-9a1b.js:2:25", 1),
        ("secret in a built chunk", ["build/static/js/main.js": "const c=createClerkClient({secretKey:\"sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9\"});"],
         "leakage.no_secret_keys_in_client @ build/static/js/main.js:1:39", 1),
        ("missing asset folder", ["preflight.yml": "app:\n  domain: example.test\n  assets: [dist]\n"],
         "leakage.no_development_hosts @ dist", 3),
        ("convex on development", ["convex/auth.config.ts": "export default { providers: [{ domain: 'https://foo-bar-13.clerk.accounts.dev', applicationID: 'convex' }] }\n"],
         "integrations.issuer_is_production @ convex/auth.config.ts:1:40 (https://foo-bar-13.clerk.accounts.dev)", 1),
        ("expo associated domain", ["app.json": #"{"expo": {"scheme": "shop", "ios": {"associatedDomains": ["webcredentials:foo-bar-13.clerk.accounts.dev"]}}}"#],
         "native.associated_domains @ app.json:1:60 (webcredentials:foo-bar-13.clerk.accounts.dev)", 1),
    ])
    func eachOfflineMisconfigurationIsReportedOnce(name: String, files: [String: String], expected: String, status: Int32) throws {
        let app = try AppFolder(Self.app("example.test").merging(files) { $1 })
        let result = try Preflight.run(["check", app.path, "--format", "json", "--offline"])
        let problems = try problems(result.stdout)
        #expect(problems.first?.hasPrefix(expected) == true, "\(name): \(problems)")
        if status == 1 { #expect(problems.count == 1, "\(name): \(problems)") }
        #expect(result.status == status, "\(name): \(result.stdout)")
    }
}
