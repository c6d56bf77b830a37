/// Host names that belong to Clerk's development and staging infrastructure.
///
/// From clerk/javascript `packages/shared/src/constants.ts` (`DEV_OR_STAGING_SUFFIXES`,
/// `LEGACY_DEV_INSTANCE_SUFFIXES`).
public enum ClerkHosts {
    public static let developmentSuffixes = [
        ".accounts.dev", ".accountsstage.dev", ".accounts.lclclerk.com",
        ".lcl.dev", ".lclstage.dev", ".lclclerk.com", ".stg.dev", ".stgstage.dev",
        ".dev.lclclerk.com", ".stg.lclclerk.com",
    ]

    /// The development or staging suffix that `host` ends with, if any.
    public static func developmentSuffix(of host: String) -> String? {
        let host = normalize(host)
        return developmentSuffixes.first { host.hasSuffix($0) }
    }

    /// Lowercased, without a trailing dot.
    public static func normalize(_ host: String) -> String {
        var host = host.lowercased()
        while host.hasSuffix(".") { host.removeLast() }
        return host
    }

    /// The Frontend API hosts a production key may point at for an app served on `domain`:
    /// `clerk.<domain>`, and `clerk.<apex>` when the app lives on `www.`.
    public static func expectedFrontendAPIHosts(forDomain domain: String) -> [String] {
        let domain = normalize(domain)
        var hosts = ["clerk.\(domain)"]
        if domain.hasPrefix("www.") { hosts.append("clerk.\(domain.dropFirst(4))") }
        return hosts
    }
}
