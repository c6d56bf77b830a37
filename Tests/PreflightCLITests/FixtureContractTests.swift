import Foundation
import PreflightTestSupport
import Testing

/// The Clerk-shaped answers the fixture serves follow Clerk's published API descriptions: each
/// is validated against a JSON Schema written from clerk/openapi-specs (Tests/Fixtures/contracts),
/// in which every object the spec defines takes no other field. A fixture that invents a field
/// (as `redirect_uris` in the Platform config once did) fails here.
@Suite struct FixtureContractTests {
    /// Which schema each API path's answers follow; deliberate faults (malformed, 4xx/5xx) are not answers.
    static let script = #"""
        import json, os, re, sys, jsonschema
        root = sys.argv[1]
        fixtures = os.path.join(root, "Tests/Fixtures")
        contracts = os.path.join(fixtures, "contracts")
        schema = lambda name: json.load(open(os.path.join(contracts, name + ".schema.json")))
        by_path = [(r"^/v1/environment$", "frontend-environment"), (r"^/v1/instance$", "backend-instance"),
                   (r"^/v1/domains$", "backend-domains"), (r"^/v1/redirect_urls$", "backend-redirect-urls"),
                   (r"^/v1/users/count$", "backend-users-count"), (r"^/v1/jwt_templates$", "backend-jwt-templates"), (r"^/v1/platform/applications/[^/]+/instances/[^/]+/config$", "platform-config")]
        def render(text):
            return (text.replace("__DOMAIN__", "example.test").replace("__HOST__", "clerk.example.test")
                        .replace("__PUBLISHABLE_KEY__", "pk_live_x").replace("__VERIFIED__", "true").replace("__HINTS__", "null"))
        checked, failures = 0, []
        routes = json.load(open(os.path.join(fixtures, "routes.json")))
        answers = []
        for key, route in routes.items():
            if " " not in key or not isinstance(route, dict):
                continue  # settings of the fixture, not routes
            host, path = key.split(" ", 1)
            name = next((n for pattern, n in by_path if re.match(pattern, path)), None)
            if name is None or route.get("status", 200) != 200 or "malformed" in host:
                continue
            if "body_file" in route:
                body = render(open(os.path.join(fixtures, route["body_file"])).read())
            elif "json" in route:
                body = json.dumps(route["json"])
            else:
                body = route.get("body", "")
            answers.append((key, name, body))
        # The domain status the fixture builds from its template, in both of its forms.
        template = open(os.path.join(fixtures, "payloads/platform-domain-status.json")).read()
        for verified, hints in (("true", "null"), ("false", '[{"code": "cname_not_found", "message": "no CNAME record found yet"}]')):
            body = template.replace("__DOMAIN__", "example.test").replace("__VERIFIED__", verified).replace("__HINTS__", hints)
            answers.append(("domain status (verified: %s)" % verified, "platform-domain-status", body))
        # Clerk's proxy check the fixture builds from its template, both verdicts.
        template = open(os.path.join(fixtures, "payloads/backend-proxy-check.json")).read()
        for successful in ("true", "false"):
            body = template.replace("__DOMAIN_ID__", "dmn_1").replace("__PROXY_URL__", "https://example.test/__clerk").replace("__SUCCESSFUL__", successful)
            answers.append(("proxy check (successful: %s)" % successful, "backend-proxy-check", body))
        for key, name, body in answers:
            validator = jsonschema.Draft202012Validator(schema(name))
            for error in validator.iter_errors(json.loads(body)):
                failures.append("%s (%s): %s at %s" % (key, name, error.message, list(error.path)))
            checked += 1
        print("checked %d answers" % checked)
        for failure in failures: print(failure)
        sys.exit(1 if failures else 0)
        """#

    @Test func everyFixtureAnswerFollowsClerksPublishedShape() throws {
        let python = try #require(ChildProcess.which("python3"))
        let result = try ChildProcess.run(python, ["-c", Self.script, Golden.packageRoot.path], environment: ProcessInfo.processInfo.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("checked 20 answers"), "\(result.stdout)")
    }

    /// The schemas can fail: an invented field, a missing required one, a wrapped list.
    @Test(arguments: [
        ("platform-config", #"{"connection_oauth_google": {"enabled": true, "client_id": "x", "redirect_uris": ["https://x"]}}"#),
        ("backend-instance", #"{"object": "instance", "id": "ins_1", "environment_type": "production", "allowed_origins": []}"#),
        ("backend-redirect-urls", #"{"data": [], "total_count": 0}"#),
    ])
    func theSchemasRejectWhatTheSpecDoesNot(_ schema: String, _ body: String) throws {
        let python = try #require(ChildProcess.which("python3"))
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(sys.argv[2])))
            sys.exit(1 if errors else 0)
            """
        let path = Golden.packageRoot.appendingPathComponent("Tests/Fixtures/contracts/\(schema).schema.json").path
        let result = try ChildProcess.run(python, ["-c", script, path, body], environment: ProcessInfo.processInfo.environment)
        #expect(result.status == 1, "\(schema) accepted \(body)")
    }
}
