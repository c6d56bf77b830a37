import PreflightCore
import Testing

@Suite struct DotenvTests {
    @Test func readsTheCommonForms() {
        let text = """
            # a comment
            PLAIN=value
            SPACED = spaced value   
            export EXPORTED=yes
            SINGLE='it''s $HOME \\n'
            DOUBLE="line\\nbreak \\"quoted\\" \\\\ end"
            BACKTICK=`raw "both" 'kinds'`
            INLINE=value # a comment
            HASH=pass#word
            EMPTY=
            EMPTY_QUOTED=""
            """
        let result = Dotenv.parse(text)
        let values = Dictionary(result.entries.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        #expect(values["PLAIN"] == "value")
        #expect(values["SPACED"] == "spaced value")
        #expect(values["EXPORTED"] == "yes")
        #expect(values["DOUBLE"] == "line\nbreak \"quoted\" \\ end")
        #expect(values["BACKTICK"] == "raw \"both\" 'kinds'")
        #expect(values["INLINE"] == "value")
        #expect(values["HASH"] == "pass#word")
        #expect(values["EMPTY"] == "")
        #expect(values["EMPTY_QUOTED"] == "")
        // Single quotes are literal: no escapes, and the second quote pair is trailing junk.
        #expect(values["SINGLE"] == "it")
        #expect(result.problems.map(\.line) == [5])
    }

    @Test func keepsLinesAndColumnsOfValues() throws {
        let result = Dotenv.parse("\n\nA=1\n  export B=\"two\"\n")
        let a = try #require(result.entries.first { $0.key == "A" })
        let b = try #require(result.entries.first { $0.key == "B" })
        #expect((a.line, a.column) == (3, 3))
        #expect((b.line, b.column) == (4, 13))
    }

    @Test func multiLineQuotedValues() throws {
        let text = "KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=after\n"
        let result = Dotenv.parse(text)
        #expect(result.entries.map(\.key) == ["KEY", "NEXT"])
        #expect(result.entries[0].value == "-----BEGIN-----\nabc\n-----END-----")
        #expect(result.entries[1].line == 4)
        #expect(result.problems.isEmpty)
    }

    /// Every kind of parse error, each on a file where a secret spills where it should not: no
    /// message quotes any run of 6 of its characters, whatever line it sits on.
    @Test(arguments: [
        ("backslash continuation", "CLERK_SECRET_KEY=sk_live_Fx7pQ2mZ9vK4\\\ntR8wL1nB6yH3cJ5dG0aE2sU7iO9\n"),
        ("continuation that looks like a name", "CLERK_SECRET_KEY=sk_live_\\\nFx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9 x\n"),
        ("continuation with an equals sign", "A=1\nFx7pQ2mZ9vK4tR8wL1nB6yH3c J5dG0aE2sU7iO9=\n"),
        ("unterminated quote", "CLERK_SECRET_KEY=\"sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9\nNEXT=1\n"),
        ("text after the quote", "CLERK_SECRET_KEY=\"sk_live_Fx7pQ2mZ9\"vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9\n"),
        ("key pasted alone", "sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9\n"),
        ("webhook secret alone", "whsec_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9\n"),
    ])
    func parseErrorsNeverQuoteASecret(_ kind: String, _ text: String) {
        let result = Dotenv.parse(text)
        #expect(!result.problems.isEmpty, "\(kind): no problem reported")
        let secret = "Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9"
        let runs = (0...(secret.count - 6)).map { String(secret.dropFirst($0).prefix(6)) }
        for problem in result.problems {
            #expect(!runs.contains { problem.message.contains($0) }, "\(kind): \(problem.message)")
        }
        if kind == "backslash continuation" {
            #expect(result.problems.first?.message.contains("dotenv values do not continue on the next line") == true, "\(result.problems)")
        }
    }

    @Test func namesAreStillQuoted() {
        #expect(Dotenv.parse("CLERK_SECRET_KEY sk\n").problems.first?.message == "expected '=' after 'CLERK_SECRET_KEY'")
    }

    @Test func duplicateKeysLastWinsButEveryLineIsKept() {
        let result = Dotenv.parse("K=first\nOTHER=x\nK=second\n")
        #expect(result.entries.filter { $0.key == "K" }.map(\.line) == [1, 3])
        #expect(result.effective.map(\.key) == ["OTHER", "K"])
        #expect(result.effective.first { $0.key == "K" }?.value == "second")
    }

    @Test func junkAfterAClosingQuoteIsLocatedEvenOnTheLastLine() {
        #expect(Dotenv.parse("A=1\nB=\"two\" junk").problems.map(\.line) == [2])
        #expect(Dotenv.parse("A=1\nB=\"two\" junk\n").problems.map(\.line) == [2])
    }

    @Test func windowsLineEndings() {
        let result = Dotenv.parse("A=1\r\nB=\"2\"\r\n")
        #expect(result.entries.map(\.value) == ["1", "2"])
        #expect(result.entries.map(\.line) == [1, 2])
    }

    @Test func reportsMalformedLinesAndGoesOn() {
        let result = Dotenv.parse("just words\nGOOD=1\nBROKEN\nQ=\"never closed\n")
        #expect(result.entries.map(\.key) == ["GOOD", "Q"])
        #expect(result.problems.map(\.line) == [1, 3, 4])
        #expect(result.problems[2].message.contains("unterminated"))
    }
}
