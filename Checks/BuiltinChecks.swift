import PreflightCore

/// The one list of built-in checks. A test fails when a check type under `Checks/` is missing
/// here, so adding a file is not enough: register it.
public enum BuiltinChecks {
    public static let all: [any Check.Type] = [
        // Keys
        PublishableKeyPresentCheck.self,
        PublishableKeyLiveCheck.self,
        SecretKeyLiveCheck.self,
        FrontendAPIMatchesDomainCheck.self,
        NoSecretInPublicVariableCheck.self,
        LiveKeyNotOnPreviewCheck.self,
        // Domain
        ProductionDomainSetCheck.self,
        SatellitesReadyCheck.self,
        // DNS
        FrontendAPICNAMECheck.self,
        AccountsPortalCNAMECheck.self,
        MailRecordsCheck.self,
        NotProxiedCheck.self,
        CAAAllowsClerkIssuersCheck.self,
        DMARCPresentCheck.self,
        // TLS
        CertificatesValidCheck.self,
        // Instance
        InstanceProductionActiveCheck.self,
        KeysMatchCheck.self,
        TestModeOffCheck.self,
        BotProtectionOnCheck.self,
        AccountPortalOnDomainCheck.self,
        URLsOnProductionDomainCheck.self,
        DevelopmentUserCapCheck.self,
        // SSO
        OwnCredentialsCheck.self,
        RedirectURIsProductionCheck.self,
        // Templates
        NoEnvironmentPrefixCheck.self,
        // Plan
        PaidFeaturesCoveredCheck.self,
        // Web
        HTTPSEnforcedCheck.self,
        IndexableCheck.self,
        CSPAllowsClerkCheck.self,
        LivePublishableKeyCheck.self,
        ClockInSyncCheck.self,
        // Leakage
        NoDevelopmentKeysCheck.self,
        NoDevelopmentHostsCheck.self,
        NoSecretKeysInClientCheck.self,
        NoCommittedSecretKeysCheck.self,
        // App code
        AuthorizedPartiesSetCheck.self,
        WebhookSigningSecretSetCheck.self,
        // Webhooks
        EndpointRejectsUnsignedCheck.self,
        HandlerVerifiesCheck.self,
        // Routes
        ProtectedPathsEnforcedCheck.self,
        SignInRedirectPublicOriginCheck.self,
        // Proxy
        FrontendAPIProxyHealthyCheck.self,
        // Native apps
        AssociatedDomainsCheck.self,
        RedirectAllowlistedCheck.self,
        // Integrations
        IssuerIsProductionCheck.self,
        JWTTemplatesExistCheck.self,
    ]

    public static let registry = CheckRegistry(all)
}
