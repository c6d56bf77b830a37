import Foundation
import PreflightCore

/// Emails and text messages must not carry a development marker or host, and must come from the domain.
struct NoEnvironmentPrefixCheck: Check {
    /// Leading markers of a non-production environment; "development" inside a sentence is not one.
    static let markers = ["[development]", "[dev]", "[test]", "[staging]", "(development)", "(dev)", "(test)", "(staging)",
                          "development:", "dev:", "test:", "staging:"]

    static let description = CheckDescription(
        id: "templates.no_environment_prefix",
        title: "Email and SMS templates are production ones",
        summary: "Email subjects and SMS messages carry no environment prefix ([Development], [DEV], Development:, (test)) or development host, and the sender address is on the production domain (from the instance snapshot).",
        rationale: """
            Development instances prefix every email subject and text message with the \
            environment, and send from Clerk's domains. Templates edited in development do not \
            copy to production by themselves, and a template copied by hand often keeps the \
            prefix or a development link; users then get "[Development] Your verification code".
            """,
        hint: "Edit the production instance's templates (Clerk Dashboard: Customization > Emails and SMS): remove the prefix and development links, and send from an address on your domain",
        references: [
            Reference("Clerk: email and SMS templates", "https://clerk.com/docs/customization/email-sms-templates"),
        ],
        defaultSeverity: .error,
        tags: ["templates", "email"],
        needs: .offline,
        examples: [
            example("clean templates from the domain", subject: "{{otp_code}} is your verification code", sms: "{{otp_code}} is your code for {{app.name}}",
                    from: "notifications@example.com", expect: .pass),
            example("a development prefix", subject: "[Development] {{otp_code}} is your verification code", sms: "{{otp_code}} is your code",
                    from: "notifications@example.com", expect: .problem),
            example("the word inside a sentence is fine, the sender is not", subject: "Follow our development blog: {{otp_code}}", sms: "(test) {{otp_code}}",
                    from: "notifications@accounts.dev", expect: .problem),
            CheckExample("no snapshot", input: "# preflight.yml has no clerk.instance_snapshot", expect: .notApplicable) {
                CheckContext(evidence: Evidence(), configuration: LiveExample.configuration)
            },
        ])

    static func example(_ title: String, subject: String, sms: String, from: String, expect: CheckExample.Expectation) -> CheckExample {
        var snapshot = InstanceSnapshot()
        snapshot.emailTemplates = [InstanceSnapshot.EmailTemplate(slug: "verification_code", subject: subject)]
        snapshot.smsTemplates = [InstanceSnapshot.SMSTemplate(slug: "verification_code", message: sms)]
        var email = InstanceSnapshot.Email()
        email.fromAddress = from
        snapshot.email = email
        let evidence = Evidence(snapshot: snapshot)
        return CheckExample(title, input: "email subject: \(subject)\nSMS: \(sms)\nfrom: \(from)", expect: expect) {
            CheckContext(evidence: evidence, configuration: LiveExample.configuration)
        }
    }

    /// Why `text` is not production text, or `nil`.
    static func problem(in text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let marker = markers.first(where: { trimmed.hasPrefix($0) }) { return "starts with the environment marker '\(marker)'" }
        if let host = ClerkStringScanner.scan(text).first(where: { $0.kind == .developmentHost })?.value { return "names development host \(host)" }
        return nil
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        let snapshot: InstanceSnapshot
        switch ClerkSources.snapshot(context) {
        case .failure(let unavailable): return [unavailable.result(at: .clerkSetting("templates"))]
        case .success(let value): snapshot = value
        }
        var results: [CheckResult] = []
        var read = 0
        let source = EvidenceItem("source", ClerkSource.snapshot.rawValue)
        for template in snapshot.emailTemplates ?? [] {
            for (field, text) in [("subject", template.subject), ("body", template.bodyExcerpt)] {
                guard let text else { continue }
                read += 1
                if let problem = Self.problem(in: text) {
                    results.append(.problem("email template \(template.slug) \(field) \(problem)", at: .clerkSetting("email_templates.\(template.slug).\(field)"),
                                            evidence: [EvidenceItem(field, text), source]))
                }
            }
        }
        for template in snapshot.smsTemplates ?? [] {
            guard let message = template.message else { continue }
            read += 1
            if let problem = Self.problem(in: message) {
                results.append(.problem("SMS template \(template.slug) \(problem)", at: .clerkSetting("sms_templates.\(template.slug)"),
                                        evidence: [EvidenceItem("message", message), source]))
            }
        }
        if let from = snapshot.email?.fromAddress, let domain = context.configuration.app.domain {
            read += 1
            let senderDomain = ClerkHosts.normalize(String(from.split(separator: "@").last ?? ""))
            if senderDomain != domain && !senderDomain.hasSuffix(".\(domain)") {
                results.append(.problem("emails are sent from \(from), not from an address on \(domain)", at: .clerkSetting("email.from_address"),
                                        evidence: [EvidenceItem("from_address", from), source]))
            }
        }
        if !results.isEmpty { return results }
        guard read > 0 else {
            return [.notApplicable("the instance snapshot has no email_templates, sms_templates or email.from_address", at: .clerkSetting("templates"))]
        }
        return [.pass("\(read) template texts and the sender are production ones", at: .clerkSetting("templates"), evidence: [source])]
    }
}
