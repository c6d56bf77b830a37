import Foundation
import PreflightCore
import Testing

@Suite struct PublishableKeyTests {
    @Test func decodesClerksTestVectors() throws {
        let development = try PublishableKey("pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk")
        #expect(development.instance == .development)
        #expect(development.frontendAPIHost == "foo-bar-13.clerk.accounts.dev")

        let production = try PublishableKey("pk_live_ZmFrZS1jbGVyay10ZXN0LmNsZXJrLmFjY291bnRzLmRldiQ")
        #expect(production.instance == .production)
        // The instance comes from the prefix, even when the host looks like development.
        #expect(production.frontendAPIHost == "fake-clerk-test.clerk.accounts.dev")
    }

    @Test func encodesLikeClerk() {
        #expect(PublishableKey.encode(host: "foo-bar-13.clerk.accounts.dev", instance: .development)
            == "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk")
        #expect(PublishableKey.encode(host: "fake-clerk-test.clerk.accounts.dev", instance: .production)
            == "pk_live_ZmFrZS1jbGVyay10ZXN0LmNsZXJrLmFjY291bnRzLmRldiQ")
    }

    @Test func acceptsOldPaddedKeys() throws {
        // base64("clerk.example.com$") padded with '=' as older keys were.
        let key = try PublishableKey("pk_live_Y2xlcmsub3RoZXItYXBwLmNvbSQ=")
        #expect(key.frontendAPIHost == "clerk.other-app.com")
    }

    static let rejections: [(String, PublishableKey.DecodingError)] = [
        ("sk_live_Y2xlcmsuZXhhbXBsZS5jb20k", .wrongPrefix),
        ("pk_prod_Y2xlcmsuZXhhbXBsZS5jb20k", .wrongPrefix),
        ("Y2xlcmsuZXhhbXBsZS5jb20k", .wrongPrefix),
        ("pk_live", .wrongPrefix),  // two parts
        ("pk_test_Y2xlcmsuZXhhbXBsZS5jb20k_extra", .wrongPartCount(4)),
        ("pk_test_YOUR_KEY", .wrongPartCount(4)),
        ("pk_live_!!!notbase64", .invalidBase64),
        ("pk_live_Y2xlcmsuZXhhbXBsZS5jb20", .missingDollar),  // "clerk.example.co" + partial byte
        ("pk_live_" + base64("clerk.example.com"), .missingDollar),
        ("pk_live_" + base64("clerk.ex$ample.com$"), .extraDollar),
        ("pk_live_" + base64("localhost$"), .missingDot),
        ("pk_test_", .invalidBase64),
    ]

    @Test("rejects malformed keys", arguments: rejections)
    func rejects(key: String, expected: PublishableKey.DecodingError) {
        #expect(throws: expected) { try PublishableKey(key) }
    }

    @Test func errorsExplainThemselves() {
        #expect(PublishableKey.DecodingError.wrongPartCount(4).description == "it has 4 parts separated by '_' instead of 3")
    }
}

/// Raw base64 without padding, as Clerk's keys carry it.
private func base64(_ text: String) -> String {
    Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
}
