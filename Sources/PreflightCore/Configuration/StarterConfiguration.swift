/// What `preflight init` found in an app folder.
public struct DetectedApp: Sendable {
    public struct Key: Sendable, Hashable {
        public var file: String
        public var variable: String
        public var instance: PublishableKey.Instance
        public var host: String

        public init(file: String, variable: String, instance: PublishableKey.Instance, host: String) {
            self.file = file
            self.variable = variable
            self.instance = instance
            self.host = host
        }
    }

    /// As given on the command line, or relative to the monorepo's root.
    public var path: String
    public var hasPackageJSON = false
    public var frameworks: [String] = []
    /// `@clerk/nextjs ^6.9.0`
    public var clerkPackages: [String] = []
    public var envFiles: [String] = []
    /// The env files a production build reads, of those that exist.
    public var productionEnvFiles: [String] = []
    /// Build output folders that exist.
    public var buildOutput: [String] = []
    /// Where the framework puts its client build, when it has one.
    public var expectedOutput: String?
    public var keys: [Key] = []
    public var proxyURL: String?
    /// Routes that handle Clerk's webhook events (`/api/webhooks`), with the file each is in.
    public var webhookRoutes: [(path: String, file: String)] = []
    /// Files that handle Clerk's events whose route could not be told from the file's place.
    public var webhookFilesWithoutRoute: [String] = []
    /// Paths a route matcher protects (`createRouteMatcher(['/dashboard(.*)'])` named as
    /// protected), and the file that says so.
    public var protectedPaths: [String] = []
    public var protectedPathsFile: String?

    public init(path: String) {
        self.path = path
    }

    /// The production domain a live key names: `clerk.example.com` -> `example.com`.
    public var domain: (value: String, from: Key)? {
        guard let key = keys.first(where: { $0.instance == .production }) else { return nil }
        let host = ClerkHosts.normalize(key.host)
        guard ClerkHosts.developmentSuffix(of: host) == nil else { return nil }
        return (host.hasPrefix("clerk.") ? String(host.dropFirst("clerk.".count)) : host, key)
    }

    /// One line of what was found, for `init`'s output.
    public var summary: String {
        var parts: [String] = []
        parts.append(frameworks.isEmpty ? "no known framework" : frameworks.joined(separator: ", "))
        if !clerkPackages.isEmpty { parts.append(clerkPackages.joined(separator: ", ")) }
        parts.append(envFiles.isEmpty ? "no env file" : "env: " + envFiles.joined(separator: ", "))
        if !buildOutput.isEmpty { parts.append("build output: " + buildOutput.joined(separator: ", ")) }
        if let domain { parts.append("domain \(domain.value) (from \(domain.from.variable) in \(domain.from.file))") }
        return parts.joined(separator: "; ")
    }
}

/// The commented `preflight.yml` `preflight init` writes: what was found, set; what could not
/// be decided, left as a commented TODO, so the file always loads and `preflight check` runs.
public enum StarterConfiguration {
    public static func render(_ app: DetectedApp) -> String {
        var lines = [
            "# preflight.yml for \(app.path), written by `preflight init`.",
            "# Found: \(app.summary).",
            "# Lines marked TODO could not be decided from the files; check them, then run:",
            "#   preflight check \(app.path)",
            "# Reference: docs/checks.md and the README's configuration section.",
            "app:",
        ]
        if let (domain, key) = app.domain {
            lines.append("  domain: \(domain)   # from the pk_live_ key in \(key.file) (\(key.host))")
        } else {
            let why = app.keys.isEmpty ? "no publishable key found" : "only development keys (pk_test_) found"
            lines.append("  # domain: example.com   # TODO: the production domain (\(why)); the DNS, TLS and web checks need it")
        }
        lines.append("  # url: https://<domain>/   # the deployed app, when it is not https://<domain>/")
        if app.productionEnvFiles.isEmpty {
            lines.append("  # env_files: [.env.production]   # TODO: no production env file found; the keys may come from the deployment's environment")
        } else {
            lines.append("  env_files: [\(app.productionEnvFiles.joined(separator: ", "))]   # the files a production build reads")
        }
        if !app.buildOutput.isEmpty {
            lines.append("  assets: [\(app.buildOutput.joined(separator: ", "))]   # built client output, scanned for leaked keys")
        } else if let expected = app.expectedOutput {
            lines.append("  # assets: [\(expected)]   # TODO: build the app first (\(app.frameworks.first ?? "its framework") writes here), or name its output")
        } else {
            lines.append("  # assets: [dist]   # TODO: the built client output, if the app has one")
        }
        if app.webhookRoutes.isEmpty {
            let why = app.webhookFilesWithoutRoute.first.map { "\($0) handles Clerk's events; give its URL" } ?? "no route that handles Clerk's events was found"
            lines.append("  # webhooks:   # TODO: \(why) (Preflight POSTs each one unsigned test event)")
            lines.append("  #   - path: /api/webhooks/clerk")
        } else if app.domain == nil {
            // A path is resolved on app.domain: without one the entry would not load.
            lines.append("  # webhooks:   # TODO: set app.domain, then uncomment (Preflight POSTs each one unsigned test event)")
            for route in app.webhookRoutes { lines.append("  #   - path: \(route.path)   # \(route.file)") }
        } else {
            lines.append("  webhooks:   # Preflight POSTs each one unsigned test event, which it must refuse")
            for route in app.webhookRoutes { lines.append("    - path: \(route.path)   # \(route.file)") }
        }
        if let file = app.protectedPathsFile, !app.protectedPaths.isEmpty {
            lines.append("  protected_paths: [\(app.protectedPaths.joined(separator: ", "))]   # from the route matcher in \(file); fetched signed out")
        } else {
            lines.append("  # protected_paths: [/dashboard]   # TODO: pages only signed-in users may see (fetched signed out: they must redirect to sign-in)")
        }
        lines.append("clerk:")
        lines.append("  # plan: pro   # TODO: free | pro | business | enterprise (plan.paid_features_covered)")
        lines.append("  # instance_snapshot: clerk-instance.json   # what no key can read; `preflight snapshot` writes a starter")
        lines.append("  secret_key_env: CLERK_SECRET_KEY   # the variable holding the secret key, read from the environment; never the key itself")
        if let proxy = app.proxyURL {
            if proxy.hasPrefix("https://") || proxy.hasPrefix("http://") {
                lines.append("  proxy_url: \(proxy)   # from the env files: the Frontend API is proxied through the app")
            } else {
                lines.append("  # proxy_url: https://<domain>\(proxy.hasPrefix("/") ? proxy : "/" + proxy)   # TODO: the env files proxy the Frontend API at '\(proxy)'; give the full URL")
            }
        }
        lines.append("# checks:")
        lines.append("#   web.indexable: { enabled: false }   # e.g. for an app that must stay out of search engines")
        return lines.joined(separator: "\n") + "\n"
    }
}
