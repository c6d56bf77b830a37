#!/usr/bin/env python3
"""Prints, one per line, the flags that point `preflight` at a running fixture (the same set as
LiveFixture.flags() in Tests/PreflightTestSupport): its CA, its DNS zone, every app's hosts
(apex, clerk., accounts., api.) and the other test hosts at the trusted HTTPS server, and the
apps' port 80 at the plain HTTP server. Usage: flags.py DIR/fixture.json"""
import json, sys

OTHER_HOSTS = ["api.clerk.test", "api-ratelimited.clerk.test", "api-limited.clerk.test", "foo-bar-13.clerk.accounts.dev"]

info = json.load(open(sys.argv[1]))
flags = ["--ca-bundle", info["ca"], "--dns-server", f"127.0.0.1:{info['dns']['zone']}"]
hosts = [h for app in info["apps"] for h in (app, f"clerk.{app}", f"accounts.{app}", f"api.{app}")] + OTHER_HOSTS
for host in sorted(hosts):
    flags += ["--connect-to", f"{host}:443:127.0.0.1:{info['https']['good']}"]
for app in sorted(info["apps"]):
    flags += ["--connect-to", f"{app}:80:127.0.0.1:{info['http']}"]
print("\n".join(flags))
