#!/usr/bin/env python3
"""Writes the contract schemas in this folder from Clerk's published API descriptions.

Usage: generate.py SPECS   (a checkout of clerk/openapi-specs at the commit named below)

Each schema is the spec's own for one answer, $refs resolved, OpenAPI's `nullable` made JSON
Schema's null, and every object the spec defines closed (additionalProperties: false), so a
fixture answer that invents a field fails the contract test. The Platform API's instance config
is open in the spec; its schema holds what Clerk's CLI reads (clerk/cli deploy/providers.ts).
"""
import json, os, sys
import yaml

SPEC_COMMIT = "7987d1b776258d5ddd9163e1a03d256b5ac4d64a"
FILES = {"bapi": "bapi/2026-05-12.yml", "fapi": "fapi/2026-05-12.yml", "platform": "platform/beta.yml"}
DROPPED = {"example", "examples", "description", "deprecated", "format", "title", "discriminator", "readOnly", "writeOnly",
           "externalDocs", "nullable"}


def resolve(spec, node, strict, depth=0):
    if depth > 200:
        raise SystemExit("a $ref cycle")
    if isinstance(node, list):
        return [resolve(spec, item, strict, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        resolved = resolve(spec, spec["components"]["schemas"][node["$ref"].split("/")[-1]], strict, depth + 1)
        return {"anyOf": [{"type": "null"}, resolved]} if node.get("nullable") else resolved
    out = {key: resolve(spec, value, strict, depth + 1) if key not in ("enum", "required") else value
           for key, value in node.items() if key not in DROPPED and not key.startswith("x-")}
    if "properties" in out and isinstance(out["properties"], dict):
        out["properties"] = {name: resolve(spec, value, strict, depth + 1) for name, value in node["properties"].items()}
    if strict and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        out = {"anyOf": [{"type": "null"}, out]}
    return out


def main():
    root = sys.argv[1]
    specs = {name: yaml.safe_load(open(os.path.join(root, path))) for name, path in FILES.items()}
    here = os.path.dirname(os.path.abspath(__file__))

    def write(name, spec, schema, comment):
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "$comment": f"Written by generate.py from clerk/openapi-specs {FILES[spec]} at {SPEC_COMMIT}: {comment}.", **schema}
        with open(os.path.join(here, f"{name}.schema.json"), "w") as out:
            out.write(json.dumps(schema, indent=2) + "\n")

    b, bs = specs["bapi"], specs["bapi"]["components"]["schemas"]
    write("backend-instance", "bapi", resolve(b, bs["Instance"], True), "GET /v1/instance (Instance)")
    write("backend-domains", "bapi", resolve(b, bs["Domains"], True), "GET /v1/domains (Domains)")
    write("backend-redirect-urls", "bapi", {"type": "array", "items": resolve(b, bs["RedirectURL"], True)},
          "GET /v1/redirect_urls without ?paginated=true: a bare array of RedirectURL")
    write("backend-users-count", "bapi", resolve(b, bs["TotalCount"], True), "GET /v1/users/count (TotalCount)")
    write("backend-proxy-check", "bapi", resolve(b, bs["ProxyCheck"], True), "POST /v1/proxy_checks (ProxyCheck)")
    write("backend-jwt-templates", "bapi", {"type": "array", "items": resolve(b, bs["JWTTemplate"], True)},
          "GET /v1/jwt_templates without ?paginated=true: a bare array of JWTTemplate")
    p, ps = specs["platform"], specs["platform"]["components"]["schemas"]
    write("platform-domain-status", "platform", resolve(p, ps["PlatformDomainStatusResponse"], True),
          "GET /v1/platform/applications/{app}/domains/{domain}/status (PlatformDomainStatusResponse)")
    oauth = {"type": "object", "additionalProperties": False,
             "properties": {**{key: {"type": "string"} for key in ["client_id", "client_secret", "team_id", "key_id", "bundle_id"]},
                            **{key: {"type": "boolean"} for key in ["enabled", "authenticatable", "block_email_subaddresses"]}}}
    write("platform-config", "platform", {
        "type": "object", "additionalProperties": False, "patternProperties": {"^connection_oauth_": oauth},
        "properties": {"config_version": {"type": "string"},
                       "session": {"type": "object", "additionalProperties": False, "properties": {"lifetime": {"type": "integer"}}}}},
        "GET .../instances/{env}/config (PlatformConfigResponse, open in the spec; connection_oauth_* as clerk/cli deploy/providers.ts reads them; session.lifetime)")
    f, fs = specs["fapi"], specs["fapi"]["components"]["schemas"]
    write("frontend-environment", "fapi", {
        "type": "object", "required": ["display_config", "auth_config"],
        "properties": {"display_config": resolve(f, fs["Client.DisplayConfig"], True), "auth_config": resolve(f, fs["Client.AuthConfig"], True)}},
        "GET /v1/environment (Client.Environment): display_config and auth_config as the spec defines them, whole; other parts as real payloads carry them")


if __name__ == "__main__":
    main()
