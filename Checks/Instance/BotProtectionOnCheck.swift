import PreflightCore

/// Sign-up bot protection (Cloudflare Turnstile through Clerk) should be on in production.
struct BotProtectionOnCheck: Check {
    static let description = CheckDescription(
        id: "instance.bot_protection_on",
        title: "Bot protection is on",
        summary: "The instance answers user_settings.sign_up.captcha_enabled true.",
        rationale: """
            Development instances cannot use bot protection, so it is easy to launch without it. \
            Without the sign-up captcha, scripted sign-ups fill the user table, burn SMS and email \
            quota and count against plan limits.
            """,
        hint: "Turn on bot sign-up protection (Clerk Dashboard: Configure > Attack protection) and allow Cloudflare's challenge in your CSP",
        references: [
            Reference("Clerk: bot protection", "https://clerk.com/docs/security/bot-protection"),
        ],
        defaultSeverity: .warning,
        tags: ["instance", "clerk-api", "security"],
        needs: .network,
        examples: [
            LiveExample.example("captcha on", shows: #"{"user_settings": {"sign_up": {"captcha_enabled": true}}}"#, expect: .pass,
                                http: [LiveExample.environment(#"{"user_settings": {"sign_up": {"captcha_enabled": true}}}"#)]),
            LiveExample.example("captcha off", shows: #"{"user_settings": {"sign_up": {"captcha_enabled": false}}}"#, expect: .problem,
                                http: [LiveExample.environment(#"{"user_settings": {"sign_up": {"captcha_enabled": false}}}"#)]),
            LiveExample.example("malformed answer", shows: #"{"user_settings": "#, expect: .undecided,
                                http: [LiveExample.environment(#"{"user_settings": "#)]),
        ])

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] { ClerkSources.frontendProbes(context) }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let target = Target.clerkSetting("user_settings.sign_up.captcha_enabled")
        switch ClerkSources.environment(context) {
        case .failure(let unavailable): return [unavailable.result(at: target)]
        case .success(let environment):
            var evidence = [EvidenceItem("source", ClerkSource.frontendAPI.rawValue)]
            if let widget = environment.displayConfig?.captchaWidgetType { evidence.append(EvidenceItem("captcha_widget_type", widget)) }
            guard let enabled = environment.userSettings?.signUp?.captchaEnabled else {
                return [.undecided("the Frontend API answer has no user_settings.sign_up.captcha_enabled", at: target, evidence: evidence)]
            }
            return enabled
                ? [.pass("sign-up bot protection is on", at: target, evidence: evidence)]
                : [.problem("sign-up bot protection is off", at: target, evidence: evidence)]
        }
    }
}
