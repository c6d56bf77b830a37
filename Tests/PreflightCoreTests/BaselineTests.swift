import Foundation
import PreflightCore
import Testing

@Suite struct BaselineTests {
    static let problem = Finding(
        checkID: "keys.publishable_key_live", title: "t", outcome: .fail, severity: .critical, message: "m", hint: "h",
        target: .file(path: ".env.production", line: 3, column: 35, subject: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"))

    @Test func roundTripsThroughItsFile() throws {
        let skipped = Finding(checkID: "dns.frontend_api_cname", title: "t", outcome: .skipped("offline"), severity: .critical, message: "m", hint: "h", target: .application)
        let baseline = Baseline(findings: [Self.problem, Self.problem, skipped], createdAt: Date(timeIntervalSince1970: 1_798_761_600))
        #expect(baseline.entries.count == 1, "problems only, each once")
        let decoded = try Baseline.decode(baseline.encoded())
        #expect(decoded == baseline)
        #expect(String(decoding: baseline.encoded(), as: UTF8.self).contains("\"check_id\" : \"keys.publishable_key_live\""))
    }

    @Test func marksNewAndUnchangedAndCountsTheFixed() {
        var moved = Self.problem
        moved.target = .file(path: ".env.production", line: 9, column: 1, subject: "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY")  // same identity
        let other = Finding(checkID: "keys.secret_key_live", title: "t", outcome: .fail, severity: .critical, message: "m", hint: "h", target: .environment(variable: "CLERK_SECRET_KEY"))
        let gone = Finding(checkID: "dns.mail_records", title: "t", outcome: .warn, severity: .warning, message: "m", hint: "h", target: .dnsName("clkmail.example.com"))
        let baseline = Baseline(findings: [Self.problem, gone], createdAt: Date())
        let (marked, fixed) = baseline.apply(to: [moved, other])
        #expect(marked.map(\.baselineState) == [.unchanged, .new])
        #expect(fixed == 1)
        #expect(Verdict(findings: [marked[0]], failOn: .error) == .ready, "an old finding does not gate")
        #expect(Verdict(findings: marked, failOn: .error) == .notReady)
    }

    @Test func refusesOtherFiles() {
        #expect(throws: Baseline.DecodingError.self) { try Baseline.decode(Data(#"{"format": "preflight-evidence"}"#.utf8)) }
        #expect(throws: Baseline.DecodingError.self) { try Baseline.decode(Data(#"{"format": "preflight-baseline", "version": 9}"#.utf8)) }
    }
}
