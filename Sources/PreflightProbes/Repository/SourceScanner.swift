import CGit2
import Dispatch
import Foundation
import PreflightCore

/// Reads the app's own source code for what Clerk's production checklist asks of it: the
/// middleware or `authenticateRequest` calls (with `authorizedParties`?) and webhook
/// verification (which signing secret?). Files are listed like the asset scan's, without
/// `node_modules`, build output and whatever git ignores, and read on every core. A call is
/// found as text (`clerkMiddleware(`), and its arguments are the balanced text between its
/// parentheses, strings and template literals respected; this reads code, it does not run it.
public struct SourceScanner: Sendable {
    public static let extensions: Set<String> = ["js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts", "vue", "svelte", "astro"]
    /// Dependencies, build output and caches: not the app's source.
    public static let skippedFolders: Set<String> = [
        "node_modules", ".git", ".next", ".nuxt", ".output", ".svelte-kit", ".vercel", ".turbo", ".cache", ".expo",
        "dist", "build", "out", "coverage", "web-build", ".history",
    ]
    /// Source files larger than this are generated, not written: not read.
    static let maxFileBytes = 2 * 1024 * 1024
    static let maxArgumentCharacters = 8_000

    public init() {}

    public func scan(folder: URL) -> SourceScan {
        var files: [(String, String)] = []
        _ = AssetScanner.list(root: folder.path, display: "", skipping: Self.skippedFolders, into: &files)
        let ignored = GitIgnore(folder: folder)
        let sources = files.compactMap { absolute, shown -> (String, String)? in
            let relative = String(shown.drop(while: { $0 == "/" }))
            guard Self.extensions.contains((relative as NSString).pathExtension.lowercased()), !ignored.contains(absolute) else { return nil }
            return (absolute, relative)
        }
        let results = Results()
        // Native app configurations (iOS entitlements, Expo's app.json / app.config.*) and the
        // issuer settings of integrations (Convex, Supabase).
        for (absolute, shown) in files {
            let relative = String(shown.drop(while: { $0 == "/" }))
            let native = NativeConfigReader.kind(of: relative)
            guard native != nil || IssuerSettingReader.isCandidate(relative), !ignored.contains(absolute) else { continue }
            do {
                let data = try BoundedFile.read(absolute, cap: BoundedFile.configurationCap)
                if let kind = native, let config = NativeConfigReader.read(data, path: relative, kind: kind) { results.add(config) }
                if IssuerSettingReader.isCandidate(relative) {
                    for setting in IssuerSettingReader.read(String(decoding: data, as: UTF8.self), path: relative) { results.add(setting) }
                }
            } catch {
                results.notRead("\(relative): \(error)")
            }
        }
        DispatchQueue.concurrentPerform(iterations: max(1, min(ProcessInfo.processInfo.activeProcessorCount, sources.count))) { worker in
            var index = worker
            let stride = max(1, min(ProcessInfo.processInfo.activeProcessorCount, sources.count))
            while index < sources.count {
                let (absolute, relative) = sources[index]
                do {
                    let data = try BoundedFile.read(absolute, cap: Self.maxFileBytes)
                    let text = String(decoding: data, as: UTF8.self)
                    let calls = Self.calls(in: text, path: relative)
                    results.add(calls)
                    if let handler = Self.webhookHandler(in: text, path: relative, calls: calls) { results.add(handler) }
                    for origin in Self.allowedRedirectOrigins(in: text) { results.add(origin: origin) }
                    if calls.contains(where: { $0.kind == .clerkMiddleware || $0.kind == .authMiddleware }),
                       let matcher = Self.middlewareMatcher(in: text, path: relative) {
                        results.add(matcher)
                    }
                } catch FileReadError.tooLarge {
                    // Generated, not written (a bundle checked in as source): not the app's own code.
                } catch {
                    results.notRead("\(relative): \(error)")
                }
                index += stride
            }
        }
        let environmentFiles = EnvFileProbe(folder: folder)
        let development = [".env.development", ".env.development.local"].compactMap { name -> EnvFileEvidence? in
            guard environmentFiles.fileSystem.exists(folder.appendingPathComponent(name)) else { return nil }
            return environmentFiles.readOne(name)
        }
        // Env files of preview and staging deployments, at the top and in .vercel/ (Vercel's
        // `vercel env pull --environment=preview`).
        let preview = Self.previewEnvFileNames(in: folder).map { environmentFiles.readOne($0) }
        return SourceScan(
            filesScanned: sources.count,
            calls: results.calls.sorted { ($0.path, $0.line, $0.column) < ($1.path, $1.line, $1.column) },
            developmentEnvFiles: development, filesNotRead: results.unread.sorted(),
            webhookHandlers: results.handlers.sorted { $0.path < $1.path },
            middlewareMatchers: results.matchers.sorted { $0.path < $1.path },
            nativeConfigs: results.natives.sorted { $0.path < $1.path },
            issuerSettings: results.issuers.sorted { ($0.path, $0.line) < ($1.path, $1.line) },
            previewEnvFiles: preview, allowedRedirectOrigins: results.origins.sorted())
    }

    /// The string literals of every `allowedRedirectOrigins` list (`={['https://a']}`, `: [...]`).
    static func allowedRedirectOrigins(in text: String) -> [String] {
        guard text.contains("allowedRedirectOrigins") else { return [] }
        var origins: [String] = []
        let characters = Array(text.unicodeScalars)
        var start = text.startIndex
        while let range = text.range(of: "allowedRedirectOrigins", range: start..<text.endIndex) {
            start = range.upperBound
            guard let open = text[range.upperBound...].prefix(8).firstIndex(of: "[") else { continue }
            let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: open)
            if let inside = arguments(characters, openingAt: offset) { origins += AppDetector.stringLiterals(in: inside) }
        }
        return origins
    }

    /// `.env.*` files named for a preview or staging deployment, in the folder and in `.vercel/`.
    static func previewEnvFileNames(in folder: URL) -> [String] {
        var names: [String] = []
        for sub in ["", ".vercel/"] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)) ?? []
            for name in entries.sorted() where name.hasPrefix(".env.") && FileKind.of(folder.appendingPathComponent(sub + name).path) == .regular {
                let parts = name.lowercased().split(separator: ".")
                guard parts.contains(where: { ["preview", "staging", "stage"].contains($0) }),
                      !parts.contains(where: { ["example", "sample", "template"].contains($0) }) else { continue }
                names.append(sub + name)
            }
        }
        return names
    }

    /// The Clerk calls in one file.
    static func calls(in text: String, path: String) -> [SourceScan.Call] {
        let needles: [(String, SourceScan.Call.Kind)] = [
            ("clerkMiddleware(", .clerkMiddleware), ("authMiddleware(", .authMiddleware), (".authenticateRequest(", .authenticateRequest),
            ("verifyWebhook(", .verifyWebhook), ("new Webhook(", .svixWebhook), ("getToken(", .getTokenTemplate),
        ]
        guard needles.contains(where: { text.contains($0.0) }) else { return [] }
        let importsClerkWebhooks = text.contains("@clerk/") && text.contains("/webhooks")
        let importsSvix = text.contains("\"svix\"") || text.contains("'svix'")
        let variables = environmentVariables(in: text)
        let characters = Array(text.unicodeScalars)
        var calls: [SourceScan.Call] = []
        for (needle, kind) in needles {
            if kind == .verifyWebhook && !importsClerkWebhooks { continue }
            if kind == .svixWebhook && !importsSvix { continue }
            var searchStart = text.startIndex
            while let range = text.range(of: needle, range: searchStart..<text.endIndex) {
                searchStart = range.upperBound
                let lineStart = text[..<range.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
                let before = text[lineStart..<range.lowerBound]
                let trimmed = before.trimmingCharacters(in: .whitespaces)
                // A definition, a comment, or a longer name is not a call.
                if trimmed.hasPrefix("//") || trimmed.hasPrefix("*") || trimmed.hasSuffix("function")
                    || (kind != .authenticateRequest && kind != .svixWebhook && before.last.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" } == true) {
                    continue
                }
                let open = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.upperBound) - 1
                let argumentText = arguments(characters, openingAt: open)
                // getToken( is everywhere (NextAuth has one too): only a call that names a template counts.
                if kind == .getTokenTemplate, argumentText?.contains("template") != true { continue }
                let place = TextPosition.of(range.lowerBound, in: text)
                calls.append(SourceScan.Call(
                    kind: kind, path: path, line: place.line, column: place.column, arguments: argumentText,
                    fileEnvironmentVariables: variables))
            }
        }
        return calls
    }

    /// Clerk's webhook event types, as @clerk/backend lists them (packages/backend/src/api/
    /// resources/Webhooks.ts): a file that compares or switches on one handles Clerk's events.
    static let clerkEventTypes = [
        "email.created", "organization.created", "organization.deleted", "organization.updated", "organizationDomain.created",
        "organizationDomain.deleted", "organizationDomain.updated", "organizationInvitation.accepted", "organizationInvitation.created",
        "organizationInvitation.revoked", "organizationMembership.created", "organizationMembership.deleted", "organizationMembership.updated",
        "paymentAttempt.created", "paymentAttempt.updated", "permission.created", "permission.deleted", "permission.updated", "role.created",
        "role.deleted", "role.updated", "session.created", "session.ended", "session.removed", "session.revoked", "sms.created",
        "subscription.active", "subscription.created", "subscription.pastDue", "subscription.updated", "subscriptionItem.abandoned",
        "subscriptionItem.active", "subscriptionItem.canceled", "subscriptionItem.created", "subscriptionItem.ended",
        "subscriptionItem.freeTrialEnding", "subscriptionItem.incomplete", "subscriptionItem.pastDue", "subscriptionItem.upcoming",
        "subscriptionItem.updated", "user.created", "user.deleted", "user.updated", "waitlistEntry.created", "waitlistEntry.updated",
    ]

    /// The webhook handler in one file, if it is one: an event type read as a string, in a file
    /// that speaks of webhooks or Svix (a string like 'user.created' elsewhere is not a handler).
    static func webhookHandler(in text: String, path: String, calls: [SourceScan.Call]) -> SourceScan.WebhookHandler? {
        let lowered = text.lowercased()
        guard lowered.contains("webhook") || lowered.contains("svix") else { return nil }
        var first: (index: String.Index, type: String)?
        for type in clerkEventTypes {
            for quote in ["'", "\"", "`"] {
                if let range = text.range(of: quote + type + quote), first.map({ range.lowerBound < $0.index }) ?? true {
                    first = (range.lowerBound, type)
                }
            }
        }
        guard let first else { return nil }
        // The type, after its quote.
        let place = TextPosition.of(text.index(after: first.index), in: text)
        let clerkVerifies = calls.contains { $0.kind == .verifyWebhook }
        let svix = calls.filter { $0.kind == .svixWebhook }
        var verifies = clerkVerifies
        var reserializedAt: Int?
        if !svix.isEmpty, text.contains(".verify(") {
            verifies = true
            // svix must be given the body as the bytes it was sent: a parsed and re-serialised
            // body never matches the signature.
            let characters = Array(text.unicodeScalars)
            var searchStart = text.startIndex
            while let range = text.range(of: ".verify(", range: searchStart..<text.endIndex) {
                searchStart = range.upperBound
                let open = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.upperBound) - 1
                if let arguments = arguments(characters, openingAt: open), arguments.contains("JSON.stringify(") {
                    reserializedAt = TextPosition.of(range.lowerBound, in: text).line
                    break
                }
            }
        }
        return SourceScan.WebhookHandler(path: path, line: place.line, column: place.column, eventType: first.type, verifies: verifies, reserializedAt: reserializedAt)
    }

    /// The patterns of `matcher: [...]` (or `matcher: '...'`) in a middleware file.
    static func middlewareMatcher(in text: String, path: String) -> SourceScan.MiddlewareMatcher? {
        guard let range = text.range(of: "matcher:") ?? text.range(of: "matcher :") else { return nil }
        let line = TextPosition.of(range.lowerBound, in: text).line
        let rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard let first = rest.first else { return nil }
        let patterns: [String]
        if first == "[" {
            let characters = Array(text.unicodeScalars)
            let open = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: rest.startIndex)
            guard let inside = arguments(characters, openingAt: open) else { return nil }
            patterns = AppDetector.stringLiterals(in: inside)
        } else if "'\"`".contains(first) {
            patterns = AppDetector.stringLiterals(in: String(rest.prefix { $0 != "\n" })).prefix(1).map { $0 }
        } else {
            return nil
        }
        // Source text escapes a backslash: '\\.' in the file is the pattern \. .
        return SourceScan.MiddlewareMatcher(path: path, line: line, patterns: patterns.map { $0.replacingOccurrences(of: "\\\\", with: "\\") })
    }

    /// The text between the parenthesis at `open` and its match, strings, template literals
    /// and comments respected; `nil` when it does not close within the bound.
    static func arguments(_ characters: [Unicode.Scalar], openingAt open: Int) -> String? {
        var depth = 0
        var index = open
        var quote: Unicode.Scalar?
        while index < characters.count, index - open < maxArgumentCharacters {
            let character = characters[index]
            if let current = quote {
                if character == "\\" { index += 2; continue }
                if character == current { quote = nil }
            } else if character == "\"" || character == "'" || character == "`" {
                quote = character
            } else if character == "/", index + 1 < characters.count, characters[index + 1] == "/" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            } else if character == "(" || character == "[" || character == "{" {
                depth += 1
            } else if character == ")" || character == "]" || character == "}" {
                depth -= 1
                if depth == 0 {
                    var text = ""
                    text.unicodeScalars.append(contentsOf: characters[(open + 1)..<index])
                    return text
                }
            }
            index += 1
        }
        return nil
    }

    /// `process.env.NAME`, `process.env["NAME"]`, `import.meta.env.NAME`, `env.NAME`.
    static func environmentVariables(in text: String) -> [String] {
        var names: [String] = []
        for prefix in ["process.env.", "import.meta.env.", "process.env[\"", "process.env['", "context.env.", "c.env."] {
            var start = text.startIndex
            while let range = text.range(of: prefix, range: start..<text.endIndex) {
                start = range.upperBound
                let name = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !name.isEmpty, !names.contains(String(name)) { names.append(String(name)) }
            }
        }
        return names.sorted()
    }

    /// Collects each worker's calls.
    final class Results: @unchecked Sendable {
        private var all: [SourceScan.Call] = []
        private var notReadFiles: [String] = []
        private var webhookHandlers: [SourceScan.WebhookHandler] = []
        private var middlewareMatchers: [SourceScan.MiddlewareMatcher] = []
        private var nativeConfigs: [SourceScan.NativeConfig] = []
        private var issuerSettings: [SourceScan.IssuerSetting] = []
        private var redirectOrigins: Set<String> = []
        func add(origin: String) { lock.withLock { _ = redirectOrigins.insert(origin) } }
        var origins: [String] { lock.withLock { Array(redirectOrigins) } }
        func add(_ setting: SourceScan.IssuerSetting) { lock.withLock { issuerSettings.append(setting) } }
        var issuers: [SourceScan.IssuerSetting] { lock.withLock { issuerSettings } }
        func add(_ config: SourceScan.NativeConfig) { lock.withLock { nativeConfigs.append(config) } }
        var natives: [SourceScan.NativeConfig] { lock.withLock { nativeConfigs } }
        func add(_ matcher: SourceScan.MiddlewareMatcher) { lock.withLock { middlewareMatchers.append(matcher) } }
        var matchers: [SourceScan.MiddlewareMatcher] { lock.withLock { middlewareMatchers } }
        private let lock = NSLock()
        func add(_ calls: [SourceScan.Call]) { lock.withLock { all += calls } }
        func add(_ handler: SourceScan.WebhookHandler) { lock.withLock { webhookHandlers.append(handler) } }
        var handlers: [SourceScan.WebhookHandler] { lock.withLock { webhookHandlers } }
        func notRead(_ file: String) { lock.withLock { notReadFiles.append(file) } }
        var calls: [SourceScan.Call] { lock.withLock { all } }
        var unread: [String] { lock.withLock { notReadFiles } }
    }
}

/// What git ignores in the app's repository (libgit2 reads .gitignore, info/exclude and the
/// global excludes as git does); nothing outside a repository.
final class GitIgnore: @unchecked Sendable {
    private var repository: OpaquePointer?
    private var workdir = ""

    init(folder: URL) {
        git_libgit2_init()
        guard git_repository_open_ext(&repository, folder.path, 0, nil) == 0, let repository,
              let workdir = git_repository_workdir(repository) else { return }
        self.workdir = GitRepositoryScanner.realPath(String(cString: workdir))
    }

    deinit {
        if let repository { git_repository_free(repository) }
        git_libgit2_shutdown()
    }

    func contains(_ absolute: String) -> Bool {
        guard let repository else { return false }
        let real = GitRepositoryScanner.realPath(absolute)
        guard real.hasPrefix(workdir + "/") else { return false }
        var ignored: Int32 = 0
        guard git_ignore_path_is_ignored(&ignored, repository, String(real.dropFirst(workdir.count + 1))) == 0 else { return false }
        return ignored == 1
    }
}
