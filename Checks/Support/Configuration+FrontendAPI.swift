import PreflightCore

extension Configuration {
    /// The Frontend API host of the production domain: `clerk.<app.domain>`.
    var frontendAPIHost: String? { app.domain.map { "clerk.\($0)" } }
}
