import PreflightCore

/// Which of Clerk's paid features an instance uses, read from the facts: shared by
/// plan.paid_features_covered and the snapshot starter.
public enum PaidFeatures {
    /// Paid features in use, each with where it was seen.
    public static func inUse(_ environment: ClerkAPI.Environment?, domains: ClerkAPI.DomainList?, snapshot: InstanceSnapshot?) -> [String: [String]] {
        var used: [String: [String]] = [:]
        func add(_ feature: String, _ source: String) { used[feature, default: []].append(source) }
        if let environment {
            let fapi = ClerkSource.frontendAPI.rawValue
            if environment.displayConfig?.branded == false { add("remove_branding", "\(fapi): display_config.branded false") }
            if environment.userSettings?.restrictions?.allowlist?.enabled == true { add("allowlist", "\(fapi): restrictions.allowlist") }
            if environment.userSettings?.restrictions?.blocklist?.enabled == true { add("blocklist", "\(fapi): restrictions.blocklist") }
            if environment.userSettings?.saml?.enabled == true || environment.userSettings?.enterpriseSso?.enabled == true {
                add("enterprise_sso", "\(fapi): user_settings.saml / enterprise_sso")
            }
            if environment.userSettings?.attributes?["passkey"]?.enabled == true { add("passkeys", "\(fapi): attributes.passkey") }
            if let phone = environment.userSettings?.attributes?["phone_number"], phone.enabled == true,
               phone.usedForFirstFactor == true || (phone.firstFactors ?? []).contains("phone_code") {
                add("sms_authentication", "\(fapi): attributes.phone_number used to sign in")
            }
            if let organizations = environment.organizationSettings, organizations.enabled == true, (organizations.maxAllowedMemberships ?? 0) > 20 {
                add("large_organizations", "\(fapi): organization_settings.max_allowed_memberships \(organizations.maxAllowedMemberships ?? 0)")
            }
        }
        if let domains, domains.data.contains(where: { $0.isSatellite == true }) {
            add("satellite_domains", "\(ClerkSource.backendAPI.rawValue): a satellite domain")
        }
        if let snapshot {
            let source = ClerkSource.snapshot.rawValue
            for feature in snapshot.enabledPaidFeatures ?? [] { add(feature, "\(source): enabled_paid_features") }
            if snapshot.session?.customLifetime == true { add("custom_session_lifetime", "\(source): session.custom_lifetime") }
            if snapshot.session?.inactivityTimeoutSeconds != nil { add("inactivity_timeout", "\(source): session.inactivity_timeout_seconds") }
        }
        return used.mapValues { Array(Set($0)).sorted() }
    }
}
