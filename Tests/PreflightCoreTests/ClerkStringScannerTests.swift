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
}
