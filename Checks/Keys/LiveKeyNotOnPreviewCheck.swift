import Foundation
import PreflightCore

/// Preview deployments must not carry the production key: Clerk refuses it off the domain.
struct LiveKeyNotOnPreviewCheck: Check {
    static let description = CheckDescription(
        id: "keys.live_key_not_on_preview",
        title: "Preview deployments do not carry the live key",
        summary: "No env file scoped to preview or staging deployments (.env.preview, .env.staging, .vercel/.env.preview.local) sets a pk_live_ key, and no app.preview_urls page outside app.domain ships one.",
        rationale: """
            A production instance answers only on its own domain: on a preview host \
            (*.vercel.app, *.pages.dev) Clerk refuses the live key ("Production Keys are only \
            allowed for domain …") and the preview renders blank or cannot sign in. Teams copy \
            the production variables to every environment at launch and find out on the next \
            pull request. Previews need the development instance's keys, or a satellite domain \
            of production. Preview-scoped env files are read as the deployment would (the file \
            names say the scope); each preview URL is fetched and its page and the scripts of \
            its site are scanned for publishable keys.
            """,
        hint: "Give preview deployments the development instance's keys (Vercel: scope the production keys to Production only), or serve previews on a satellite domain of production",
        references: [
            Reference("Clerk: deploy to production (preview environments)", "https://clerk.com/docs/guides/development/deployment/production"),
            Reference("Vercel: environment variables per environment", "https://vercel.com/docs/environment-variables"),
        ],
        defaultSeverity: .error,
        tags: ["keys", "previews"],
        // The env files are read offline too; the preview pages need the network.
        needs: .offline,
        examples: [
            files("previews use the development key", ".env.preview", "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.developmentKey)", expect: .pass),
            files("the live key copied to previews", ".vercel/.env.preview.local", "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=\(ExampleInput.liveKey)", expect: .problem),
            page("a preview page shipping the live key", matches: [.init(kind: .productionKey, value: ExampleInput.liveKey, line: 1, column: 90)], expect: .problem),
            page("a preview page on the development key", matches: [.init(kind: .developmentKey, value: ExampleInput.developmentKey, line: 1, column: 90)], expect: .pass),
            CheckExample("no previews", input: "# no .env.preview / .env.staging, no app.preview_urls", expect: .notApplicable) {
                CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], sources: SourceScan(filesScanned: 12)),
                             configuration: LiveExample.configuration, now: LiveExample.now)
            },
        ])

    static let previewURL = "https://shop-git-main-acme.vercel.app/"

    static func files(_ title: String, _ path: String, _ text: String, expect: CheckExample.Expectation) -> CheckExample {
        CheckExample(title, input: "# \(path)\n\(text)", expect: expect) {
            CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile],
                                            sources: SourceScan(filesScanned: 12, previewEnvFiles: [EnvFileEvidence(path: path, text: text + "\n")])),
                         configuration: LiveExample.configuration, now: LiveExample.now)
        }
    }

    static func page(_ title: String, matches: [ClerkStringScanner.Match], expect: CheckExample.Expectation) -> CheckExample {
        CheckExample(title, input: "# preflight.yml\napp:\n  preview_urls: [\(previewURL)]\nGET \(previewURL) ships \(matches.map(\.value).joined(separator: ", "))",
                     expect: expect) {
            var configuration = LiveExample.configuration
            configuration.app.previewURLs = [previewURL]
            let page = PageScan(url: previewURL, status: 200, matches: matches)
            return CheckContext(evidence: Evidence(envFiles: [LiveExample.keyFile], pages: [page], sources: SourceScan(filesScanned: 12)),
                                configuration: configuration, now: LiveExample.now)
        }
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        [.sourceScan] + context.configuration.app.previewURLs.map { .page($0) }
    }

    func evaluate(_ context: CheckContext) -> [CheckResult] {
        guard let sources = context.evidence.sources else { return [.undecided("the source code was not read", at: .application)] }
        guard let files = sources.previewEnvFiles else {
            return [.undecided("the source scan did not look for preview env files (a recording made before it did)", at: .application)]
        }
        let urls = context.configuration.app.previewURLs
        guard !files.isEmpty || !urls.isEmpty else {
            return [.notApplicable("no env file is scoped to previews or staging, and no app.preview_urls is configured")]
        }
        return files.flatMap { judge($0) } + urls.map { judge(url: $0, context) }
    }

    func judge(_ file: EnvFileEvidence) -> [CheckResult] {
        if let error = file.readError {
            return [.undecided("could not read \(file.path): \(error)", at: .file(path: file.path, line: nil, column: nil, subject: nil))]
        }
        var results: [CheckResult] = []
        for entry in file.effectiveEntries where ClerkVariable(name: entry.key)?.kind == .publishableKey {
            let target = Target.file(path: file.path, line: entry.line, column: entry.column, subject: entry.key)
            guard let key = try? PublishableKey(entry.value) else { continue }
            if key.instance == .production {
                results.append(.problem("\(file.path) gives preview deployments the live key (\(entry.key), for \(key.frontendAPIHost)): Clerk refuses it off the production domain, and previews go blank",
                                        at: target, evidence: [EvidenceItem("key", "pk_live_ for \(key.frontendAPIHost)")]))
            } else {
                results.append(.pass("\(file.path) gives previews a development key (\(key.frontendAPIHost))", at: target))
            }
        }
        return results.isEmpty ? [.notApplicable("\(file.path) sets no publishable key", at: .file(path: file.path, line: nil, column: nil, subject: nil))] : results
    }

    func judge(url: String, _ context: CheckContext) -> CheckResult {
        let target = Target.url(url)
        if context.evidence.offline { return .needs("needs the network (not --offline) to fetch the preview \(url)", at: target) }
        guard let page = context.evidence.page(url) else { return .undecided("\(url) was not fetched", at: target) }
        if let failure = page.failure { return .undecided("could not fetch \(url): \(failure)", at: target) }
        let host = ClerkHosts.normalize(URLComponents(string: url)?.host ?? "")
        if let domain = context.configuration.app.domain, host == domain || host.hasSuffix("." + domain) {
            return .notApplicable("\(url) is on the production domain: the live key belongs there", at: target)
        }
        let live = page.allMatches.filter { $0.match.kind == .productionKey }
        let evidence = [EvidenceItem("read", "\(url) and \(page.scripts.count) script(s) of its site")]
        guard let first = live.first else {
            // What was not read may hold the key: no pass then.
            let unread = page.scriptsNotRead + page.scripts.filter { $0.failure != nil }.map(\.url)
            if let script = unread.first {
                return .undecided("\(unread.count) script(s) of \(url) could not be read (\(script)): the key may be in one", at: target, evidence: evidence)
            }
            return .pass("\(url) ships no live key", at: target, evidence: evidence)
        }
        return .problem("\(url) ships the live key (\(first.match.value.prefix(16))… in \(first.source)): Clerk refuses it on \(host)",
                        at: target, evidence: evidence + [EvidenceItem("found in", "\(first.source):\(first.match.line):\(first.match.column)")])
    }
}
