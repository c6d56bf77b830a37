import CPSL
import Foundation
import PreflightCore

/// The public suffix list through libpsl: the machine's list (Debian `publicsuffix`) when it is
/// newer than the copy built into the library.
public final class PublicSuffixList: Sendable {
    /// Loaded once per process; libpsl's context is read-only after loading, so threads share it.
    public static let shared = PublicSuffixList()

    private nonisolated(unsafe) let context: OpaquePointer?

    private init() {
        context = psl_latest(nil) ?? psl_builtin()
    }

    /// What the list says about `domain`.
    public func facts(for domain: String) -> DomainFacts {
        let name = ClerkHosts.normalize(domain)
        if Self.isIPAddress(name) { return DomainFacts(name: name, isAddress: true) }
        guard let context else { return DomainFacts(name: name) }
        var facts = DomainFacts(name: name)
        facts.registrableDomain = Self.registrableDomain(context, name)
        // The longest suffix by an explicit rule: walk from the name towards the TLD.
        let labels = name.split(separator: ".")
        for start in labels.indices {
            let candidate = labels[start...].joined(separator: ".")
            let icann = psl_is_public_suffix2(context, candidate, preflight_psl_icann) != 0
            let isPrivate = !icann && psl_is_public_suffix2(context, candidate, preflight_psl_private) != 0
            if icann || isPrivate {
                facts.publicSuffix = candidate
                facts.section = icann ? .icann : .private
                break
            }
        }
        return facts
    }

    /// The registrable domain of a host (`cdn.example.co.uk` -> `example.co.uk`); the host
    /// itself for IP addresses and unlisted names.
    public func site(of host: String) -> String {
        let name = ClerkHosts.normalize(host)
        guard !Self.isIPAddress(name), let context, let registrable = Self.registrableDomain(context, name) else { return name }
        return registrable
    }

    /// libpsl answers with a pointer into the name it was given, so the name's C string must
    /// outlive the copy: both happen inside one `withCString`.
    private static func registrableDomain(_ context: OpaquePointer, _ name: String) -> String? {
        name.withCString { cName in
            psl_registrable_domain(context, cName).map { String(cString: $0) }
        }
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }
}
