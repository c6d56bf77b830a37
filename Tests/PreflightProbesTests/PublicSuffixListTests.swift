import PreflightCore
import PreflightProbes
import Testing

/// libpsl with the machine's list: what a team can own, and what is shared hosting.
@Suite struct PublicSuffixListTests {
    let list = PublicSuffixList.shared

    @Test func registrySuffixes() {
        let facts = list.facts(for: "App.Example.CO.UK.")
        #expect(facts.name == "app.example.co.uk")
        #expect(facts.publicSuffix == "co.uk")
        #expect(facts.section == .icann)
        #expect(facts.registrableDomain == "example.co.uk")
    }

    @Test(arguments: ["acme.vercel.app", "acme.netlify.app", "acme.pages.dev", "acme.herokuapp.com", "acme.github.io"])
    func sharedHostingIsThePrivateSection(domain: String) {
        let facts = list.facts(for: domain)
        #expect(facts.section == .private, "\(domain): \(facts)")
        #expect(facts.publicSuffix == String(domain.dropFirst("acme.".count)))
    }

    @Test func suffixesAddressesAndUnlistedNames() {
        #expect(list.facts(for: "vercel.app").publicSuffix == "vercel.app")
        #expect(list.facts(for: "vercel.app").registrableDomain == nil)
        #expect(list.facts(for: "203.0.113.7").isAddress)
        #expect(list.facts(for: "2001:db8::1").isAddress)
        let unlisted = list.facts(for: "shop.example.test")
        #expect(unlisted.publicSuffix == nil)
        #expect(unlisted.registrableDomain == "example.test")
    }

    @Test func sites() {
        #expect(list.site(of: "cdn.example.co.uk") == "example.co.uk")
        #expect(list.site(of: "clerk.example.com") == list.site(of: "example.com"))
        #expect(list.site(of: "a.vercel.app") != list.site(of: "b.vercel.app"))
    }

    /// libpsl answers with a pointer into its argument: long names (not stored inline by
    /// Swift) once read freed memory here.
    @Test func longNamesSurviveTheCall() {
        for index in 0..<200 {
            let name = "shop-\(index).apps.an-internal-platform-\(index).example.co.uk"
            #expect(list.facts(for: name).registrableDomain == "example.co.uk")
            #expect(list.site(of: name) == "example.co.uk")
        }
    }
}
