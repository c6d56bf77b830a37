import Foundation
import PreflightCore

/// Turns libcurl's CERTINFO text fields into `CertificateFacts`.
enum CertificateParsing {
    static func facts(from fields: [String: String]) -> CertificateFacts {
        let sans = subjectAltNames(fields["X509v3 Subject Alternative Name"] ?? "")
        return CertificateFacts(
            subject: fields["Subject"]?.trimmingCharacters(in: .whitespaces) ?? "",
            issuer: fields["Issuer"]?.trimmingCharacters(in: .whitespaces) ?? "",
            subjectAltNames: sans,
            notBefore: fields["Start date"].flatMap(date),
            notAfter: fields["Expire date"].flatMap(date))
    }

    /// The names of a certificate's SAN field. A CDN's certificate (hundreds of names) comes
    /// back for every app it serves, so the last few lists are kept as they were parsed.
    static func subjectAltNames(_ field: String) -> [String] {
        if let known = recent.lock.withLock({ recent.lists[field] }) { return known }
        // Plain Substring work: a shared certificate can list hundreds of names.
        let names = field.split(separator: ",").compactMap { field -> String? in
            let entry = trimmed(field)
            guard entry.hasPrefix("DNS:") || entry.hasPrefix("IP Address:"), let colon = entry.firstIndex(of: ":") else { return nil }
            return String(trimmed(entry[entry.index(after: colon)...]))
        }
        recent.lock.withLock {
            if recent.lists.count >= 64 { recent.lists.removeAll(keepingCapacity: true) }
            recent.lists[field] = names
        }
        return names
    }

    private static let recent = RecentLists()

    /// Guarded by `lock`.
    private final class RecentLists: @unchecked Sendable {
        let lock = NSLock()
        var lists: [String: [String]] = [:]
    }

    static func trimmed(_ text: Substring) -> Substring {
        var slice = text.drop { $0 == " " || $0 == "\t" }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// OpenSSL's `Dec  9 00:49:55 2026 GMT` (strptime is not visible from Swift, and
    /// DateFormatter would pull in ICU for one fixed format).
    static func date(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count >= 4, let month = months.firstIndex(of: String(parts[0])),
              let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let time = parts[2].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
