import PreflightCore
import Testing

@Suite struct RedactorTests {
    @Test func masksSecretKeysToPrefixAndLastFour() {
        #expect(Redactor.mask("sk_live_abcdefghijklmnop1234") == "sk_live_…1234")
        #expect(Redactor().redact("key=sk_test_abcdefghijklmnopWXYZ end") == "key=sk_test_…WXYZ end")
        #expect(Redactor().redact("\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"") == "\"whsec_…LaSw\"")
    }

    @Test func leavesPublishableKeysAndBarePrefixesAlone() {
        let text = "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k and the SDK literal \"sk_live_\" and sk_test_short"
        #expect(Redactor().redact(text) == text)
    }

    @Test func onlyAtTokenBoundaries() {
        // Part of a longer identifier is not a key.
        let text = "my_sk_live_abcdefghijklmnop"
        #expect(Redactor().redact(text) == text)
    }

    @Test func masksKnownSecretsOfAnyShape() {
        let redactor = Redactor(knownSecrets: ["hunter2-but-longer", "short"])
        #expect(redactor.redact("password hunter2-but-longer and short") == "password …nger and short")
    }

    @Test func masksEveryOccurrence() {
        let key = "sk_live_abcdefghijklmnop9876"
        let redacted = Redactor().redact("\(key)\n\(key) \(key)")
        #expect(!redacted.contains("abcdefghijklmnop"))
        #expect(redacted == "sk_live_…9876\nsk_live_…9876 sk_live_…9876")
    }

    /// The byte scan passes over every byte that cannot start a prefix: a new prefix must
    /// start with one of the letters it looks for, or it would never be found.
    @Test func everySecretPrefixStartsWithALetterTheScanLooksFor() {
        #expect(Redactor.secretPrefixes.allSatisfy { $0.hasPrefix("s") || $0.hasPrefix("w") })
        #expect(Redactor().redact("a=whsec_abcdefghijklmnop b=sk_live_abcdefghijklmnop") == "a=whsec_…mnop b=sk_live_…mnop")
    }
}
