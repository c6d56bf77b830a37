import Foundation
import PreflightCore
import Testing

@Suite struct EvidenceRecordingTests {
    static let evidence = Evidence(
        envFiles: [EnvFileEvidence(path: ".env", text: "CLERK_SECRET_KEY=sk_live_abcdefghijklmnopqrst1234\nNEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\n")],
        environment: [EnvironmentVariable(name: "DEPLOY_KEY", value: "hunter2hunter2-9876")],
        dns: [
            DNSAnswer(question: DNSQuestion("clerk.example.com", .a), outcome: .answer, chain: ["clerk.example.com", "frontend-api.clerk.services"],
                      records: [DNSRecord(name: "frontend-api.clerk.services", type: .a, ttl: 60, value: "192.0.2.1")], elapsedMs: 3),
            DNSAnswer(question: DNSQuestion("x.example.com", .txt), outcome: .failed("connection refused")),
        ],
        http: [
            HTTPExchange(probe: HTTPProbe(url: "https://example.com/", certificates: true), result: .response(HTTPResponse(
                url: "https://example.com/", status: 200, headers: [HTTPHeader(name: "Content-Type", value: "text/html")], body: "<html>",
                certificates: [CertificateFacts(subject: "CN=example.com", issuer: "CN=R11", subjectAltNames: ["example.com"],
                                                notBefore: Date(timeIntervalSince1970: 1_790_000_000), notAfter: Date(timeIntervalSince1970: 1_800_000_000))]))),
            HTTPExchange(probe: HTTPProbe(url: "https://clerk.example.com/v1/environment"),
                         result: .failure(HTTPFailure(kind: .tlsExpired, message: "certificate has expired", url: "https://clerk.example.com/v1/environment"))),
        ])

    @Test func roundTripsWithSecretsMasked() throws {
        let recording = EvidenceRecording(evidence: Self.evidence, recordedAt: Date(timeIntervalSince1970: 1_798_761_600), offline: false,
                                          secretVariables: ["DEPLOY_KEY"])
        let data = recording.encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("abcdefghijklmnopqrst"))
        #expect(!text.contains("hunter2hunter2"))
        #expect(text.contains("\"outcome\" : \"failed: connection refused\""))
        #expect(text.contains("\"failure\" : {"))
        let decoded = try EvidenceRecording.decode(data)
        #expect(decoded == recording)
        #expect(decoded.evidence.dns == Self.evidence.dns)
        #expect(decoded.evidence.http == Self.evidence.http)
        #expect(decoded.evidence.envFiles[0].entries[0].value == "sk_live_…1234")
    }

    @Test func rejectsOtherFiles() {
        #expect(throws: EvidenceRecording.DecodingError.self) { try EvidenceRecording.decode(Data("[]".utf8)) }
        #expect(throws: EvidenceRecording.DecodingError.self) {
            try EvidenceRecording.decode(Data(#"{"format": "preflight-evidence", "version": 2}"#.utf8))
        }
    }
}
