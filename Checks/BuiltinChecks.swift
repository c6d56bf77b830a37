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
        // DNS
        FrontendAPICNAMECheck.self,
        // TLS
        CertificatesValidCheck.self,
        // Instance
        InstanceProductionActiveCheck.self,
        // Leakage
        NoDevelopmentKeysCheck.self,
        NoDevelopmentHostsCheck.self,
    ]

    public static let registry = CheckRegistry(all)
}
