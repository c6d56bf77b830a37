/// Text that came from outside (file names, DNS answers, HTTP headers and bodies, config
/// values) made safe to show on one line in any format: every control character (C0, DEL,
/// C1), every bidirectional override or isolate and the Unicode line separators become a
/// visible escape (`\n`, `\u{1b}`, `\u{202e}`). A terminal then runs no escape sequence, a
/// finding cannot start a line of its own ("FAKE PASS"), XML can hold it, and reordering
/// tricks show as what they are. Backslashes are left alone, so applying it twice changes
/// nothing more.
public enum OutsideText {
    public static func neutralized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        // Bidirectional marks, embeddings, overrides and isolates; the line and paragraph separators.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }
}
