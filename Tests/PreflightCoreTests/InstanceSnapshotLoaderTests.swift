import PreflightCore
import Testing

/// The snapshot is read as strictly as preflight.yml: every mistake at once, each with its
/// line, column and JSON path.
@Suite struct InstanceSnapshotLoaderTests {
    let loader = InstanceSnapshotLoader()

    func issues(_ json: String) -> [String] {
        do {
            _ = try loader.load(text: json, path: "s.json")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func readsTheWholeFormat() throws {
        let snapshot = try loader.load(text: """
            {
              "schema_version": 1, "comment": "c", "exported_at": "2026-11-20T09:30:00Z",
              "application": {"id": "app_1", "name": "Shop"},
              "instance": {"id": "ins_1", "environment_type": "production", "domain": "example.com",
                           "frontend_api_url": "https://clerk.example.com", "accounts_portal_url": null, "allowed_origins": ["https://example.com"]},
              "plan": "pro",
              "social_providers": {
                "oauth_google": {"enabled": true, "has_own_credentials": null, "client_id": "1.apps.googleusercontent.com", "client_secret_set": true,
                                 "redirect_uris": ["https://clerk.example.com/v1/oauth_callback"], "publishing_status": "in_production"},
                "oauth_apple": {"enabled": true, "client_id": "com.example", "client_secret_set": true, "team_id": "T", "key_id": "K"}
              },
              "redirect_urls": ["myapp://cb"], "email": {"from_address": "n@example.com", "reply_to": null},
              "email_templates": [{"slug": "verification_code", "subject": "{{otp_code}}"}], "sms_templates": [{"slug": "x", "message": "m"}],
              "session": {"lifetime_seconds": 604800, "inactivity_timeout_seconds": null, "custom_lifetime": false},
              "enabled_paid_features": ["passkeys"]
            }
            """, path: "s.json")
        #expect(snapshot.plan == "pro")
        #expect(snapshot.instance?.accountsPortalUrl == nil, "null is 'not known'")
        #expect(snapshot.socialProviders?["oauth_google"]?.ownCredentials(provider: "oauth_google") == true)
        #expect(snapshot.socialProviders?["oauth_apple"]?.ownCredentials(provider: "oauth_apple") == true)
        #expect(snapshot.emailTemplates?.first?.subject == "{{otp_code}}")
        #expect(snapshot.session?.lifetimeSeconds == 604800)
        #expect(snapshot.enabledPaidFeatures == ["passkeys"])
    }

    @Test func everyMistakeIsLocated() {
        let found = issues("""
            {
              "schema_version": 2,
              "exported_at": "last tuesday",
              "instance": {"environment_type": "prod", "allowed_origins": "https://example.com"},
              "social_providers": {"google": {}, "oauth_github": {"enabled": "yes"}},
              "email_templates": [{"subject": "no slug"}],
              "enabled_paid_features": ["passkey"],
              "plan": "gold",
              "extra": 1
            }
            """)
        #expect(found == [
            "s.json:2:21: $.schema_version: version 2 is not supported (this Preflight reads version 1)",
            "s.json:3:18: $.exported_at: must be an RFC 3339 time like 2026-11-20T09:30:00Z, not 'last tuesday'",
            "s.json:4:36: $.instance.environment_type: must be one of production, development, staging, not 'prod'",
            "s.json:4:63: $.instance.allowed_origins: must be a list of strings",
            "s.json:5:24: $.social_providers: 'google' is not a social provider strategy (oauth_google, oauth_github, ...)",
            "s.json:5:66: $.social_providers.oauth_github.enabled: must be true or false",
            "s.json:6:23: $.email_templates[0]: slug is required",
            "s.json:7:28: $.enabled_paid_features: unknown paid feature 'passkey' (did you mean 'passkeys'?)",
            "s.json:8:11: $.plan: must be one of free, pro, business, enterprise, not 'gold'",
            "s.json:9:3: $: unknown field 'extra'",
        ], "\\(found)")
    }

    @Test func brokenJSONAndOtherShapes() {
        // A missing value is not JSON, though YAML would take it as an empty string.
        #expect(issues("{\n  \"schema_version\": 1,\n  \"plan\": \n}") == ["s.json:4:1: invalid JSON: invalid value"])
        #expect(issues("{\"schema_version\": 1, \"plan\": [\"pro\"}").first?.hasPrefix("s.json:1:") == true)
        #expect(issues("[1, 2]") == ["s.json:1:1: an instance snapshot is a JSON object"])
        #expect(issues("{\n  \"plan\": \"p\u{1B}ro\"}") == ["s.json:2:13: invalid JSON: control character U+001B must be escaped"])
        #expect(issues("{\n  \"plan\": \"\u{0}\"}") == ["s.json:2:12: invalid JSON: control character U+0000 must be escaped"])
        #expect(issues("{}") == ["s.json:1:1: $: schema_version is required"])
        #expect(issues("{\"schema_version\": 1}") == [])
    }
}
