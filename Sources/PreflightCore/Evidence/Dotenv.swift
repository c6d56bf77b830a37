import Foundation

/// One `KEY=value` assignment in an env file.
public struct DotenvEntry: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    /// 1-based line and column where the value starts (after `=` and an opening quote).
    public var line: Int
    public var column: Int
    /// Set in a recording when `value` was masked: its keyed digest (`SecretDigest`).
    public var valueDigest: String?

    public init(key: String, value: String, line: Int, column: Int, valueDigest: String? = nil) {
        self.key = key
        self.value = value
        self.line = line
        self.column = column
        self.valueDigest = valueDigest
    }
}

/// A line the parser could not read; parsing goes on with the next line.
public struct DotenvProblem: Sendable, Hashable, Codable {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
}

/// A parser for the dotenv dialect that Next.js, Vite and the `dotenv` package read:
/// comments, `export`, single and double quotes, backticks, escapes in double quotes, quoted
/// values over several lines, inline comments after unquoted values. Variable expansion
/// (`${OTHER}`) is left as written.
public enum Dotenv {
    public struct Result: Sendable, Hashable {
        /// Every assignment in file order, duplicates included.
        public var entries: [DotenvEntry]
        public var problems: [DotenvProblem]

        /// The value each key ends up with: the last assignment wins.
        public var effective: [DotenvEntry] {
            var lastIndex: [String: Int] = [:]
            for (index, entry) in entries.enumerated() { lastIndex[entry.key] = index }
            return entries.enumerated().filter { lastIndex[$0.element.key] == $0.offset }.map(\.element)
        }
    }

    public static func parse(_ text: String) -> Result {
        var scanner = Scanner(Array(text.replacingOccurrences(of: "\r\n", with: "\n")))
        var entries: [DotenvEntry] = []
        var problems: [DotenvProblem] = []
        var previousLineEndsWithBackslash = false

        while !scanner.atEnd {
            scanner.skip { $0 == " " || $0 == "\t" }
            let lineStart = scanner.line
            if scanner.peek == "\n" { scanner.advance(); continue }
            if scanner.peek == "#" { scanner.skipLine(); continue }

            var key = scanner.take { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
            if key == "export", scanner.peek == " " || scanner.peek == "\t" {
                scanner.skip { $0 == " " || $0 == "\t" }
                key = scanner.take { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
            }
            scanner.skip { $0 == " " || $0 == "\t" }
            guard !key.isEmpty, scanner.peek == "=" || scanner.peek == ":" else {
                // The text of a line that does not parse is never quoted: it is often the rest
                // of a secret (a value continued with a backslash, a key pasted across lines).
                let rest = scanner.restOfLine().trimmingCharacters(in: .whitespaces)
                let continued = previousLineEndsWithBackslash
                var message = key.isEmpty || !Self.isShowableName(key)
                    ? "expected KEY=VALUE, found a line of \(key.count + rest.count) character\(key.count + rest.count == 1 ? "" : "s") that is not an assignment (not shown: it may hold a secret)"
                    : "expected '=' after '\(key)'"
                if continued { message += "; the line before ends with a backslash, but dotenv values do not continue on the next line: quote the value" }
                problems.append(DotenvProblem(line: lineStart, message: message))
                previousLineEndsWithBackslash = rest.hasSuffix("\\")
                continue
            }
            scanner.advance()  // '=' (or ':', which dotenv also accepts)
            scanner.skip { $0 == " " || $0 == "\t" }

            if let quote = scanner.peek, quote == "\"" || quote == "'" || quote == "`" {
                scanner.advance()
                let (line, column) = (scanner.line, scanner.column)
                var value = ""
                var closed = false
                while let char = scanner.peek {
                    scanner.advance()
                    if char == quote { closed = true; break }
                    if char == "\\", quote == "\"", let next = scanner.peek {
                        scanner.advance()
                        switch next {
                        case "n": value.append("\n")
                        case "r": value.append("\r")
                        case "t": value.append("\t")
                        case "\"", "\\", "$": value.append(next)
                        default: value.append("\\"); value.append(next)
                        }
                        continue
                    }
                    value.append(char)
                }
                if !closed {
                    problems.append(DotenvProblem(line: line, message: "unterminated \(quote) quote for '\(key)'"))
                }
                entries.append(DotenvEntry(key: key, value: value, line: line, column: column))
                previousLineEndsWithBackslash = false
                // Whatever follows the closing quote on the line is a comment or junk.
                let closingLine = scanner.line
                let trailing = scanner.restOfLine().trimmingCharacters(in: .whitespaces)
                if closed, !trailing.isEmpty, !trailing.hasPrefix("#") {
                    problems.append(DotenvProblem(line: closingLine, message: "unexpected text after the quoted value of '\(key)'"))
                }
            } else {
                let (line, column) = (scanner.line, scanner.column)
                var value = scanner.restOfLine()
                previousLineEndsWithBackslash = value.trimmingCharacters(in: .whitespaces).hasSuffix("\\")
                // An unquoted value ends at " #" (an inline comment).
                if let hash = value.range(of: " #") ?? value.range(of: "\t#") {
                    value = String(value[..<hash.lowerBound])
                }
                entries.append(DotenvEntry(
                    key: key, value: value.trimmingCharacters(in: .whitespaces), line: line, column: column))
            }
        }
        return Result(entries: entries, problems: problems)
    }

    /// A name safe to quote in a message: shaped like a variable name (one case of letters,
    /// short), not like the base64 run of a key that spilled onto a line of its own.
    static func isShowableName(_ name: String) -> Bool {
        let letters = name.filter(\.isLetter)
        return name.count <= 64 && (letters.allSatisfy(\.isUppercase) || letters.allSatisfy(\.isLowercase))
            && !SecretKey.looksLikeSecretKey(name)
    }

    /// Character cursor that keeps 1-based line and column.
    private struct Scanner {
        let chars: [Character]
        var index = 0
        var line = 1
        var column = 1

        init(_ chars: [Character]) { self.chars = chars }

        var atEnd: Bool { index >= chars.count }
        var peek: Character? { atEnd ? nil : chars[index] }

        mutating func advance() {
            guard !atEnd else { return }
            if chars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }

        mutating func skip(while predicate: (Character) -> Bool) {
            while let char = peek, predicate(char) { advance() }
        }

        mutating func take(while predicate: (Character) -> Bool) -> String {
            var text = ""
            while let char = peek, predicate(char) { text.append(char); advance() }
            return text
        }

        /// The rest of the line, consuming the newline.
        mutating func restOfLine() -> String {
            let text = take { $0 != "\n" }
            advance()
            return text
        }

        mutating func skipLine() { _ = restOfLine() }
    }
}
