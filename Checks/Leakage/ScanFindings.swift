import PreflightCore

/// What the leakage checks share: the places a production build can carry a development key,
/// host or secret — env files, the built client output (app.assets), and the live page with
/// the scripts it loads — and their matches of one kind as results.
enum ScanFindings {
    /// Which places a check reads.
    struct Sources: OptionSet {
        let rawValue: Int
        static let envFiles = Sources(rawValue: 1)
        static let assets = Sources(rawValue: 2)
        static let page = Sources(rawValue: 4)
        /// The files git tracks (source and config), through the repository scan.
        static let repository = Sources(rawValue: 8)
        static let all: Sources = [.envFiles, .assets, .page, .repository]
    }

    static func probes(_ context: ProbePlanningContext) -> [ProbeRequest] {
        context.configuration.app.url.map { [.page($0)] } ?? []
    }

    static func probes(_ context: ProbePlanningContext, sources: Sources) -> [ProbeRequest] {
        (sources.contains(.assets) ? [.assetScan] : []) + (sources.contains(.page) ? probes(context) : [])
            + (sources.contains(.repository) ? [.repositoryScan] : [])
    }

    /// One problem per match of `kind`, `undecided` for each place that could not be read, and
    /// one pass naming what was read when nothing was found. `skipVariable` leaves variables
    /// another check owns (the keys.* checks own Clerk's key variables).
    static func results(
        _ context: CheckContext, kind: ClerkStringScanner.Match.Kind, sources: Sources = .all,
        skipVariable: (ConfiguredVariable) -> Bool = { _ in false },
        describe: (ClerkStringScanner.Match) -> String, clean: String
    ) -> [CheckResult] {
        var results: [CheckResult] = []
        var read: [String] = []
        // Whether any place was read at all: a check that read nothing passes nothing.
        var readAnything = false
        let evidence = context.evidence

        if sources.contains(.envFiles) {
            for file in evidence.unreadableEnvFiles {
                results.append(.undecided("could not read \(file.path): \(file.readError ?? "")", at: .file(path: file.path, line: nil, column: nil, subject: nil)))
            }
            let variables = evidence.configuredVariables.filter { !skipVariable($0) }
            for variable in variables {
                for match in ClerkStringScanner.scan(variable.value) where match.kind == kind {
                    let target: Target
                    if case .file(let path, let line?, let column?, _) = variable.target {
                        // The match's place in the file: the value starts at (line, column).
                        target = .file(path: path, line: line + match.line - 1, column: match.line == 1 ? column + match.column - 1 : match.column,
                                       subject: variable.name)
                    } else {
                        target = variable.target
                    }
                    results.append(.problem("\(describe(match)) in \(variable.name)", at: target,
                                            evidence: [EvidenceItem("found", match.value), EvidenceItem("variable", variable.name)]))
                }
            }
            let files = evidence.envFiles.filter { $0.readError == nil }.map(\.path)
            read.append(files.isEmpty ? "no env file" : "env files \(files.joined(separator: ", "))")
            readAnything = readAnything || !files.isEmpty || !evidence.environment.isEmpty
        }

        if sources.contains(.assets), let assets = evidence.assets {
            for root in assets.unreadableRoots {
                results.append(.undecided("could not read asset folder \(root.path): \(root.readError ?? "")",
                                          at: .file(path: root.path, line: nil, column: nil, subject: nil)))
            }
            for hit in assets.hits where hit.match.kind == kind {
                var itemEvidence = [EvidenceItem("found", hit.match.value)]
                if let excerpt = hit.match.excerpt { itemEvidence.append(EvidenceItem("excerpt", excerpt)) }
                results.append(.problem("\(describe(hit.match)) in built file \(hit.path)",
                                        at: .file(path: hit.path, line: hit.match.line, column: hit.match.column, subject: hit.match.value),
                                        evidence: itemEvidence))
            }
            // A file listed but not read may be the one that leaks.
            for file in assets.unreadableFiles {
                results.append(.undecided("could not read built file \(file)", at: .file(path: String(file.prefix { $0 != ":" }), line: nil, column: nil, subject: nil)))
            }
            for link in assets.roots.flatMap({ $0.linksSkipped ?? [] }) { read.append("link out of the app folder not followed: \(link)") }
            let roots = assets.roots.filter { $0.readError == nil }.map(\.path)
            readAnything = readAnything || !roots.isEmpty
            if !roots.isEmpty {
                read.append("\(assets.filesScanned) built files in \(roots.joined(separator: ", "))"
                    + (assets.binaryFilesSkipped > 0 ? " (\(assets.binaryFilesSkipped) binary skipped)" : ""))
            }
            if assets.truncated { read.append("asset hits truncated at \(assets.hits.count)") }
        }

        if sources.contains(.repository), let repository = evidence.repository, repository.repositoryRoot != nil || repository.readError != nil {
            if let error = repository.readError {
                results.append(.undecided("could not read the git repository: \(error)", at: .application))
            } else {
                // Built output is the asset scan's; env files and docs hold development values by
                // design; the instance snapshot and preflight.yml describe the instance, and what
                // they say is the Clerk checks' to judge (one problem, one finding).
                let builtOutput = (context.configuration.app.assets ?? AppSettings.defaultAssetFolders).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
                let described = Set([context.configuration.clerk.instanceSnapshot].compactMap { $0 } + Configuration.fileNames)
                for hit in repository.hits where hit.tracked && hit.match.kind == kind && !described.contains(hit.path)
                    && !builtOutput.contains(where: { hit.path.hasPrefix($0) }) && !Self.holdsDevelopmentValuesByDesign(hit.path)
                    && !(kind == .developmentHost && Self.hostsJudgedElsewhere(hit.path)) {
                    var itemEvidence = [EvidenceItem("found", hit.match.value)]
                    if let excerpt = hit.match.excerpt { itemEvidence.append(EvidenceItem("excerpt", excerpt)) }
                    results.append(.problem("\(describe(hit.match)) in committed file \(hit.path)",
                                            at: .file(path: hit.path, line: hit.match.line, column: hit.match.column, subject: hit.match.value),
                                            evidence: itemEvidence))
                }
                read.append("\(repository.trackedFilesScanned) committed file(s)")
                readAnything = true
            }
        }

        if sources.contains(.page), let url = context.configuration.app.url {
            if evidence.offline {
                read.append("not the live page (--offline)")
            } else if let scan = evidence.page(url) {
                if let failure = scan.failure {
                    results.append(.undecided("could not read \(url): \(failure)", at: .url(url)))
                } else {
                    for (source, match) in scan.allMatches where match.kind == kind {
                        var itemEvidence = [EvidenceItem("found", match.value), EvidenceItem("page", url)]
                        if let excerpt = match.excerpt { itemEvidence.append(EvidenceItem("excerpt", excerpt)) }
                        results.append(.problem(
                            "\(describe(match)) in \(source == url ? "the page" : "a script the page loads")",
                            at: .file(path: source, line: match.line, column: match.column, subject: match.value), evidence: itemEvidence))
                    }
                    let scripts = scan.scripts.filter { $0.failure == nil }.count
                    read.append("\(url) and \(scripts) script\(scripts == 1 ? "" : "s") of its site")
                    readAnything = true
                    // A script the page loads that was not read whole may be the one that leaks.
                    for script in scan.scripts {
                        if let failure = script.failure {
                            results.append(.undecided("could not read \(script.url), a script the page loads: \(failure)", at: .url(script.url)))
                        }
                    }
                    if let first = scan.scriptsNotRead.first {
                        results.append(.undecided(
                            "\(scan.scriptsNotRead.count) script\(scan.scriptsNotRead.count == 1 ? "" : "s") the page loads went past the read bounds of one page (scripts or bytes) and were not read, first \(first)",
                            at: .url(url), evidence: scan.scriptsNotRead.prefix(20).map { EvidenceItem("not read", $0) }))
                    }
                }
            } else {
                results.append(.undecided("\(url) was not scanned", at: .url(url)))
            }
        }

        guard results.isEmpty else { return results }
        guard readAnything else {
            let offline = sources.contains(.page) && evidence.offline ? " (the live page is not read with --offline)" : ""
            return [.notApplicable("nothing was read\(offline): no built output was found; build the app, or list its output folder in app.assets")]
        }
        return [.pass(clean, at: .application, evidence: read.map { EvidenceItem("read", $0) })]
    }

    /// Committed files where development keys and hosts belong: env files (read as env files
    /// where configured), documentation, and examples or templates.
    /// Files whose Clerk hosts a more specific check judges, at the same place: a native app's
    /// associated domains (native.associated_domains) and an integration's issuer
    /// (integrations.issuer_is_production). One problem, one finding.
    static func hostsJudgedElsewhere(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        let name = parts.last ?? path
        let folder = parts.count > 1 ? parts[parts.count - 2] : ""
        return name.hasSuffix(".entitlements") || name == "app.json" || name.hasPrefix("app.config.")
            || (folder == "convex" && name.hasPrefix("auth.config.")) || (folder == "supabase" && name == "config.toml")
    }

    static func holdsDevelopmentValuesByDesign(_ path: String) -> Bool {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        if name.hasPrefix(".env") || name.hasSuffix(".md") || name.hasSuffix(".mdx") || name.hasSuffix(".txt") { return true }
        return ["example", "sample", "template"].contains { name.contains($0) }
    }

    /// A page scan example for the leakage and web checks.
    static func example(_ title: String, shows input: String, expect: CheckExample.Expectation, scan: PageScan) -> CheckExample {
        LiveExample.example(title, shows: input, expect: expect, pages: [scan])
    }
}
