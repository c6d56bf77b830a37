import PreflightCore
import Testing

@Suite struct ClerkStringScannerTests {
    @Test func findsKeysThatDecodeAndIgnoresLookAlikes() {
        let text = #"""
            var p={"pk_test_":"development"};var s="pk_test_51H8xyzStripeKey";var c="pk_test_YOUR_KEY";
            cfg={k:"pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk",l:'pk_live_Y2xlcmsuZXhhbXBsZS5jb20k'}
            """#
        let matches = ClerkStringScanner.scan(text)
        #expect(matches.map(\.kind) == [.developmentKey, .productionKey])
        #expect(matches.map(\.value) == ["pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk", "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k"])
        #expect(matches.map(\.line) == [2, 2])
        #expect(matches[0].column == 9)
    }

    @Test func findsWholeDevelopmentHostsOnly() {
        let text = #"d=[".accounts.dev","accounts.dev",".lcl.dev"];u="https://fuzzy-owl-12.accounts.dev/sign-in";"#
            + #"v="https://clerk.happy-cat-3.lcl.dev";w="x.accounts.dev.example.com";e="webcredentials:good-dog-1.clerk.accounts.dev""#
        let hosts = ClerkStringScanner.scan(text).filter { $0.kind == .developmentHost }.map(\.value)
        #expect(hosts == ["fuzzy-owl-12.accounts.dev", "clerk.happy-cat-3.lcl.dev", "good-dog-1.clerk.accounts.dev"])
    }

    @Test func reportsEachValueOnceAndStopsAtTheLimit() {
        let key = "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk"
        #expect(ClerkStringScanner.scan(String(repeating: "\"\(key)\",", count: 1000)).count == 1)
        let many = (0..<200).map { "h\($0).accounts.dev" }.joined(separator: " ")
        #expect(ClerkStringScanner.scan(many).count == ClerkStringScanner.matchLimit)
    }

    /// The proxied clerk-js bundle carries @clerk/shared's suffix list; none of it is a host.
    @Test func suffixListsAreNotHosts() {
        let text = #"const DEV_OR_STAGING_SUFFIXES=[".lcl.dev",".stg.dev",".lclstage.dev",".stgstage.dev",".dev.lclclerk.com",".stg.lclclerk.com",".accounts.lclclerk.com","accountsstage.dev","accounts.dev"];"#
            + #"const LEGACY=["lcl.dev","lclstage.dev","stg.dev","stgstage.dev","accounts.lclclerk.com","dev.lclclerk.com"];"#
        #expect(ClerkStringScanner.scan(text) == [])
    }

    @Test func theLongestSuffixDecides() {
        #expect(ClerkStringScanner.developmentHost(in: "accounts.lclclerk.com") == nil)
        #expect(ClerkStringScanner.developmentHost(in: "dev.lclclerk.com") == nil)
        #expect(ClerkStringScanner.developmentHost(in: ".accounts.dev") == nil)
        // Every *.lclclerk.com is Clerk's own local environment (LOCAL_API_URL = https://api.lclclerk.com
        // in @clerk/shared, in every SDK's server build): never an app's host.
        #expect(ClerkStringScanner.developmentHost(in: "x.dev.lclclerk.com") == nil)
        #expect(ClerkStringScanner.developmentHost(in: "happy-cat-1.accounts.lclclerk.com") == nil)
        #expect(ClerkStringScanner.developmentHost(in: "api.lclclerk.com") == nil)
        #expect(ClerkStringScanner.scan(#"const LOCAL_API_URL="https://api.lclclerk.com";"#) == [])
        #expect(ClerkStringScanner.developmentHost(in: "example.com") == nil)
        #expect(ClerkStringScanner.developmentHost(in: "web.dev") == nil)
    }

    @Test func hostsAtTheEndOfASentenceAndInUppercaseRuns() {
        let matches = ClerkStringScanner.scan("Sign in at fuzzy-owl-12.accounts.dev.\nthen")
        #expect(matches.map(\.value) == ["fuzzy-owl-12.accounts.dev"])
        #expect(matches.first?.line == 1)
        #expect(matches.first?.column == 12)
    }

    /// Stripe's keys sit beside Clerk's in the same env object; only the assignment that names
    /// Clerk makes a secret key Clerk's.
    @Test func secretKeysNeedTheirOwnClerkAssignment() {
        let clerk = "sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9"
        let text = #"var e={VITE_CLERK_PUBLISHABLE_KEY:"pk_live_Y2xlcmsuZXhhbXBsZS5jb20k",STRIPE_SECRET:"sk_test_4eC39HqLyjWDarjtT1zdp7dc","#
            + #"STRIPE_LIVE:"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",VITE_CLERK_SECRET_KEY:""#
            + clerk + #"",docs:"CLERK_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"};const c=createClerkClient({secretKey:"sk_test_Qm9nd3NTZWNyZXRLZXlEZW1vMDEyMzQ1Njc"});"#
        let secrets = ClerkStringScanner.scan(text).filter { $0.kind == .secretKey }
        #expect(secrets.map(\.value) == [Redactor.mask(clerk), Redactor.mask("sk_test_Qm9nd3NTZWNyZXRLZXlEZW1vMDEyMzQ1Njc")])
        // The excerpt shows the place with the key masked.
        #expect(secrets.allSatisfy { !($0.excerpt ?? "").contains("Fx7pQ2mZ9vK4tR8w") })
        #expect(secrets.first?.excerpt?.contains("VITE_CLERK_SECRET_KEY") == true)
    }

    @Test func scansBytesWithLinesAndColumns() {
        let text = "line one\nline two\n  \"pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\"\n"
        var bytes = Array(text.utf8)
        let matches = bytes.withUnsafeMutableBytes { ClerkStringScanner.scan(bytes: UnsafeRawBufferPointer($0)) }
        #expect(matches.map { "\($0.line):\($0.column)" } == ["3:4"])
        #expect(matches.first?.excerpt == #"  "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk""#)
    }

    /// A value the deployment holds as a secret is found under any name, in any file; each
    /// distinct secret is one match, masked; the same text without it has no match.
    @Test func knownSecretsAreFoundWhateverTheirName() {
        let secret = "sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9"
        let webhook = "whsec_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE"
        let text = #"let s="\#(secret)";const h="\#(webhook)";var again="\#(secret)";"#
        // Without the known values, the key is still Clerk's by its shape; the webhook secret is not found.
        #expect(ClerkStringScanner.scan(text).map(\.value) == [Redactor.mask(secret)])
        let matches = ClerkStringScanner.scan(text, knownSecrets: [secret, webhook])
        #expect(matches.map(\.kind) == [.secretKey, .secretKey])
        #expect(matches.map(\.value) == [Redactor.mask(secret), Redactor.mask(webhook)])
        #expect(matches.allSatisfy { !($0.excerpt ?? "").contains("Fx7pQ2mZ9vK4") }, "\(matches)")
    }

    /// Clerk's secret keys are told from Stripe's and Paystack's by shape, whatever they are called.
    @Test func secretKeysAreToldApartByShape() {
        let clerk = "sk_live_BnlV1DDGPLqFSbRzDFs4d2AN4CSHrdv1T2EmH5LTTg"
        let others = ["sk_live_4eC39HqLyjWDarjtT1zdp7dc",  // Stripe, older: 24 characters
                      "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",  // Stripe, newer
                      "sk_live_0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"]  // Paystack: lower-case hex
        let text = ([clerk] + others).map { #"const k="\#($0)";"# }.joined(separator: "\n")
        #expect(ClerkStringScanner.scan(text).map(\.value) == [Redactor.mask(clerk)])
    }

    /// Anchors straddling the SIMD blocks and the end of the input are all found.
    @Test func anchorsAtEveryOffset() {
        let key = "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk"
        for padding in 0..<40 {
            let text = String(repeating: "a", count: padding) + " " + key + " x.stg.dev"
            let kinds = ClerkStringScanner.scan(text).map(\.kind)
            #expect(kinds == [.developmentKey, .developmentHost], "padding \(padding)")
        }
        #expect(ClerkStringScanner.scan("h.lcl.dev").map(\.value) == ["h.lcl.dev"])
        #expect(ClerkStringScanner.scan("") == [])
    }

    /// `KEY=value` is how keys sit in env-style files; `=` is a key character but starts a token.
    @Test func keysAfterAnEqualsSign() {
        let text = "CLERK_SECRET_KEY=sk_test_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9\nPUBLISHABLE=pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\nxsk_test_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9"
        #expect(ClerkStringScanner.scan(text).map(\.kind) == [.secretKey, .developmentKey])
    }
}
