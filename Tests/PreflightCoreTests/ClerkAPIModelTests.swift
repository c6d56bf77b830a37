import Foundation
import PreflightCore
import Testing

/// Clerk's answers as its published specs define them: a field the spec requires that is
/// missing is named, never decoded as "unknown" and never a pass.
@Suite struct ClerkAPIModelTests {
    static let cname = #"{"from": "clk._domainkey.example.com", "to": "dkim1.x.clerk.services", "actual": [], "verified": true, "required": true, "failure_hints": null, "clerk_subdomain": "clk._domainkey"}"#

    static func status(cnames: String, ssl: String = #"{"status": "complete", "required": true, "failure_hints": null}"#) -> String {
        #"{"status": "complete", "dns": {"status": "complete", "cnames": \#(cnames)}, "ssl": \#(ssl)}"#
    }

    /// The Backend API's models require what its spec requires, and say which field is missing.
    @Test func aBackendAnswerWithoutARequiredFieldIsNamed() {
        let bare = ClerkAPI.decodeReporting(ClerkAPI.Instance.self, from: #"{"object": "instance", "id": "ins_1", "allowed_origins": null}"#)
        guard case .failure(let problem) = bare else { Issue.record("decoded an instance without environment_type"); return }
        #expect(problem.description == "missing field environment_type")
        let domains = ClerkAPI.decodeReporting(ClerkAPI.DomainList.self, from: #"{"data": [{"object": "domain", "id": "d", "name": "x.com", "is_satellite": false, "development_origin": ""}], "total_count": 1}"#)
        guard case .failure(let missing) = domains else { Issue.record("decoded a domain without frontend_api_url"); return }
        #expect(missing.description == "missing field data[0].frontend_api_url")
    }

    @Test func aDomainStatusShapedAsPublishedDecodes() throws {
        let decoded = try ClerkAPI.decodeReporting(ClerkAPI.PlatformDomainStatus.self, from: Self.status(cnames: #"{"clk._domainkey": \#(Self.cname)}"#)).get()
        #expect(decoded.cname(for: "CLK._domainkey.example.com.")?.verified == true)
        #expect(decoded.mail == nil)
    }

    @Test(arguments: [
        (status(cnames: #"{"clk._domainkey": {"from": "a", "to": "b", "required": true, "failure_hints": null, "clerk_subdomain": "clk._domainkey"}}"#),
         "missing field dns.cnames.clk._domainkey.verified"),
        (#"{"status": "complete", "ssl": {"status": "complete"}}"#, "missing field dns"),
        (status(cnames: "{}", ssl: #"{"required": true}"#), "missing field ssl.status"),
        (status(cnames: #"{"clerk": {"from": "a", "to": "b", "verified": "yes", "required": true, "failure_hints": null, "clerk_subdomain": "clerk"}}"#),
         "dns.cnames.clerk.verified is not Bool"),
        ("<html>", "not JSON"),
    ])
    func aMissingOrWrongFieldIsNamed(_ body: String, _ expected: String) {
        switch ClerkAPI.decodeReporting(ClerkAPI.PlatformDomainStatus.self, from: body) {
        case .success: Issue.record("decoded what the spec does not allow: \(body)")
        case .failure(let problem): #expect(problem.description == expected)
        }
    }
}
