import Foundation
import PreflightCore

/// Whether a middleware's `config.matcher` runs on a path. Next.js patterns are
/// path-to-regexp: named parameters (`:path*`) and, in parentheses, regular expressions. They
/// are turned into one regular expression each, anchored; a pattern that does not compile says
/// nothing (nil), so no verdict rests on a guess.
enum MatcherPatterns {
    static func runs(on path: String, patterns: [String]) -> Bool? {
        var decided = false
        for pattern in patterns {
            guard let regex = regex(pattern) else { continue }
            decided = true
            if regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil { return true }
        }
        return decided ? false : nil
    }

    /// `^<pattern>$` with path-to-regexp's named parameters as regular expressions.
    static func regex(_ pattern: String) -> NSRegularExpression? {
        var converted = ""
        var index = pattern.startIndex
        while index < pattern.endIndex {
            let character = pattern[index]
            // A parameter follows a slash (`/:path*`); `(?:` is a regular expression's group.
            if character == ":", index > pattern.startIndex, pattern[pattern.index(before: index)] == "/",
               pattern.index(after: index) < pattern.endIndex, pattern[pattern.index(after: index)].isLetter {
                var end = pattern.index(after: index)
                while end < pattern.endIndex, pattern[end].isLetter || pattern[end].isNumber || pattern[end] == "_" { end = pattern.index(after: end) }
                let modifier = end < pattern.endIndex ? pattern[end] : nil
                switch modifier {
                case "*": converted += ".*"; end = pattern.index(after: end)
                case "+": converted += ".+"; end = pattern.index(after: end)
                case "?": converted += "[^/]*"; end = pattern.index(after: end)
                default: converted += "[^/]+"
                }
                index = end
                continue
            }
            converted.append(character)
            index = pattern.index(after: index)
        }
        return try? NSRegularExpression(pattern: "^" + converted + "/?$")
    }
}
