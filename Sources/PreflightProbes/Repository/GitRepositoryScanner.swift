import CGit2
import Foundation
import PreflightCore

/// Finds Clerk secret keys in what a git repository tracks, through libgit2 (no `git` process):
/// every index entry under the checked folder, read as the working tree has it (or from the
/// index when the file is gone from disk), so ignored and untracked files are never read; and,
/// with `history`, every blob reachable from HEAD, once per blob, oldest commit first, so each
/// key is reported with the commit that introduced it. Keys are found by `ClerkStringScanner`
/// (a Clerk assignment, not a placeholder, not Stripe's).
public struct GitRepositoryScanner: Sendable {
    /// Blobs larger than this are not read from history (built bundles, media).
    public var maxBlobBytes = 8 * 1024 * 1024
    /// History walks stop after this many commits (the report says so).
    public var maxCommits = 20_000

    public init() {}

    private static let initialized: Bool = {
        git_libgit2_init()
        return true
    }()

    /// Scans within `deadline`: libgit2 can spin forever on a truncated object, and no call of
    /// it can be interrupted, so the work runs on a thread of its own that is abandoned (and
    /// told to stop at its next object) when the deadline passes; the result then says so.
    public func scan(folder: URL, history: Bool, acceptShallow: Bool = false, deadline: Date) -> RepositoryScan {
        let outcome = ScanOutcome()
        let thread = Thread { [self] in
            outcome.finish(scan(folder: folder, history: history, acceptShallow: acceptShallow, stop: outcome))
        }
        thread.stackSize = 8 << 20
        thread.start()
        if let scan = outcome.wait(until: deadline) { return scan }
        outcome.abandon()
        return RepositoryScan(readError: "libgit2 did not finish reading the repository before the run's deadline (a truncated or corrupt object makes it spin); nothing it read is used")
    }

    /// The scan on the calling thread; `stop` is asked between objects.
    public func scan(folder: URL, history: Bool, acceptShallow: Bool = false, stop: ScanOutcome? = nil) -> RepositoryScan {
        _ = Self.initialized
        var repository: OpaquePointer?
        let opened = git_repository_open_ext(&repository, folder.path, 0, nil)
        if opened == GIT_ENOTFOUND.rawValue { return RepositoryScan() }
        guard opened == 0, let repository else { return RepositoryScan(readError: Self.lastError("cannot open the repository")) }
        defer { git_repository_free(repository) }
        guard let workdirPointer = git_repository_workdir(repository) else {
            return RepositoryScan(readError: "a bare repository has no working tree to check")
        }
        let workdir = Self.realPath(String(cString: workdirPointer))
        let app = Self.realPath(folder.path)
        // The app folder as a path inside the repository ("" when it is the repository's root).
        let prefix = app.hasPrefix(workdir) ? String(app.dropFirst(workdir.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")) : ""
        func shown(_ repositoryPath: String) -> String {
            prefix.isEmpty ? repositoryPath : String(repositoryPath.dropFirst(prefix.count + 1))
        }
        func underApp(_ repositoryPath: String) -> Bool { prefix.isEmpty || repositoryPath.hasPrefix(prefix + "/") }

        var scan = RepositoryScan(repositoryRoot: workdir)
        var index: OpaquePointer?
        guard git_repository_index(&index, repository) == 0, let index else {
            return RepositoryScan(repositoryRoot: workdir, readError: Self.lastError("cannot read the index"))
        }
        defer { git_index_free(index) }

        // Tracked files: as on disk, through the asset scanner's byte reader on every core.
        var onDisk: [(absolute: String, relative: String)] = []
        var gone: [(path: String, id: git_oid)] = []
        for position in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, position) else { continue }
            let path = String(cString: entry.pointee.path)
            guard underApp(path) else { continue }
            let absolute = workdir + "/" + path
            if FileManager.default.fileExists(atPath: absolute) {
                onDisk.append((absolute, shown(path)))
            } else {
                gone.append((path, entry.pointee.id))
            }
        }
        let tracked = AssetScanner().scanFiles(onDisk)
        scan.trackedFilesScanned = tracked.filesScanned + gone.count
        // Every kind in tracked files (development keys and hosts in committed source are
        // leakage.no_development_*'s); history is read for secret keys alone.
        var hits = tracked.hits.map { RepositoryScan.Hit(path: $0.path, match: $0.match, tracked: true) }
        for (path, id) in gone {
            var id = id
            switch blobMatches(repository, &id, path: path) {
            case .success(let matches):
                for match in matches { hits.append(RepositoryScan.Hit(path: shown(path), match: match, tracked: true)) }
            case .failure(let error):
                return RepositoryScan(repositoryRoot: workdir, readError: "cannot read \(path), tracked but gone from disk, from the index: \(error.reason)")
            }
        }
        if let unreadable = tracked.unreadableFiles.first {
            return RepositoryScan(repositoryRoot: workdir, readError: "cannot read the tracked file \(unreadable)")
        }

        if history {
            scan.historyScanned = true
            scan.shallow = git_repository_is_shallow(repository) == 1
            let introduced = walkHistory(repository, prefix: prefix, underApp: underApp, shown: shown, scan: &scan, stop: stop)
            if scan.shallow == true, scan.historyIncomplete == nil, !acceptShallow {
                scan.historyIncomplete = "the repository is a shallow clone: commits before the \(scan.commitsScanned) it holds are not here "
                    + "(fetch the whole history, e.g. actions/checkout with fetch-depth: 0, or pass --history=available to accept what is here)"
            }
            // A key still tracked gets the commit that brought it; one only in history is its own finding.
            for index in hits.indices {
                if let origin = introduced[hits[index].match.value] {
                    hits[index].commit = origin.commit
                    hits[index].commitSummary = origin.commitSummary
                    hits[index].commitDate = origin.commitDate
                }
            }
            let trackedValues = Set(hits.filter { $0.match.kind == .secretKey }.map(\.match.value))
            hits += introduced.values.filter { !trackedValues.contains($0.match.value) }
        }
        scan.hits = hits.sorted { ($0.path, $0.match.line, $0.match.column) < ($1.path, $1.match.line, $1.match.column) }
        return scan
    }

    /// Every blob reachable from HEAD, oldest commit first; returns, per key, the first commit
    /// and path it appeared in.
    func walkHistory(
        _ repository: OpaquePointer, prefix: String, underApp: (String) -> Bool, shown: (String) -> String, scan: inout RepositoryScan,
        stop: ScanOutcome?
    ) -> [String: RepositoryScan.Hit] {
        // Only folders above the app's or inside it can hold its files.
        func mayHoldApp(_ folder: String) -> Bool {
            prefix.isEmpty || folder == prefix || prefix.hasPrefix(folder + "/") || folder.hasPrefix(prefix + "/")
        }
        var walk: OpaquePointer?
        guard git_revwalk_new(&walk, repository) == 0, let walk else {
            scan.historyIncomplete = Self.lastError("cannot walk the history")
            return [:]
        }
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, UInt32(preflight_git_sort_oldest_first))
        let pushed = git_revwalk_push_head(walk)
        guard pushed == 0 else {
            // No commit yet is an empty history, read whole; HEAD on a branch that is missing
            // while other branches exist, or a HEAD that cannot be read, is not.
            if git_repository_head_unborn(repository) == 1 {
                var references: git_strarray = git_strarray()
                defer { git_strarray_dispose(&references) }
                if git_reference_list(&references, repository) == 0, references.count == 0 { return [:] }
                scan.historyIncomplete = "HEAD names a branch that does not exist, while the repository has other references: its history cannot be told"
            } else {
                scan.historyIncomplete = Self.lastError("cannot read HEAD")
            }
            return [:]
        }

        // libgit2 1.5's walk does not know shallow clones: it fails on the first missing parent.
        // There the commits are listed by hand, stopping at the shallow boundary.
        var shallowOrder: [git_oid]?
        var shallowIndex = 0
        if scan.shallow == true {
            switch Self.shallowCommitsOldestFirst(repository) {
            case .success(let commits): shallowOrder = commits
            case .failure(let error):
                scan.historyIncomplete = error.reason
                return [:]
            }
        }
        var seenBlobs: Set<String> = []
        var introduced: [String: RepositoryScan.Hit] = [:]
        var commitID = git_oid()
        while true {
            if stop?.stopped == true { scan.historyIncomplete = "stopped at the run's deadline"; break }
            if scan.commitsScanned >= maxCommits {
                scan.historyIncomplete = "stopped after \(maxCommits) commits"
                break
            }
            let next: Int32
            if let order = shallowOrder {
                guard shallowIndex < order.count else { break }
                commitID = order[shallowIndex]
                shallowIndex += 1
                next = 0
            } else {
                next = git_revwalk_next(&commitID, walk)
            }
            if next == GIT_ITEROVER.rawValue { break }
            guard next == 0 else {
                scan.historyIncomplete = Self.lastError("cannot walk the history past \(scan.commitsScanned) commits")
                break
            }
            var commit: OpaquePointer?
            let hex = String(cString: git_oid_tostr_s(&commitID))
            guard git_commit_lookup(&commit, repository, &commitID) == 0, let commit else {
                scan.historyIncomplete = Self.lastError("cannot read commit \(hex)")
                break
            }
            defer { git_commit_free(commit) }
            scan.commitsScanned += 1
            var tree: OpaquePointer?
            guard git_commit_tree(&tree, commit) == 0, let root = tree else {
                scan.historyIncomplete = Self.lastError("cannot read the tree of commit \(hex)")
                break
            }
            let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
            let date = Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit))).formatted(.iso8601)

            // Depth first through the tree, without recursion.
            var stack: [(tree: OpaquePointer, path: String)] = [(root, "")]
            while let (current, base) = stack.popLast() {
                defer { git_tree_free(current) }
                for position in 0..<git_tree_entrycount(current) {
                    guard let entry = git_tree_entry_byindex(current, position) else { continue }
                    let name = String(cString: git_tree_entry_name(entry))
                    let path = base.isEmpty ? name : base + "/" + name
                    var id = git_tree_entry_id(entry).pointee
                    switch git_tree_entry_type(entry) {
                    case GIT_OBJECT_TREE:
                        guard name != "node_modules", mayHoldApp(path) else { continue }
                        var subtree: OpaquePointer?
                        guard git_tree_lookup(&subtree, repository, &id) == 0, let subtree else {
                            scan.historyIncomplete = scan.historyIncomplete ?? Self.lastError("cannot read the tree \(path) of commit \(hex)")
                            continue
                        }
                        stack.append((subtree, path))
                    case GIT_OBJECT_BLOB:
                        guard underApp(path), seenBlobs.insert(String(cString: git_oid_tostr_s(&id))).inserted else { continue }
                        if stop?.stopped == true { continue }
                        scan.blobsScanned += 1
                        guard case .success(let matches) = blobMatches(repository, &id, path: path) else {
                            scan.historyIncomplete = scan.historyIncomplete ?? Self.lastError("cannot read \(path) (blob \(String(cString: git_oid_tostr_s(&id)))) of commit \(hex)")
                            continue
                        }
                        for match in matches where introduced[match.value] == nil {
                            introduced[match.value] = RepositoryScan.Hit(
                                path: shown(path), match: match, tracked: false, commit: String(hex.prefix(12)), commitSummary: summary, commitDate: date)
                        }
                    default:
                        continue
                    }
                }
            }
        }
        return introduced
    }

    /// The commits reachable from HEAD in a shallow clone, oldest first (by commit time), not
    /// going past the commits `.git/shallow` lists (their parents are not in the clone).
    static func shallowCommitsOldestFirst(_ repository: OpaquePointer) -> Result<[git_oid], GitReadError> {
        let gitFolder = String(cString: git_repository_path(repository))
        let boundary = Set(((try? BoundedFile.readText(gitFolder + "shallow", cap: 1 << 20)) ?? "")
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
        var head = git_oid()
        guard git_reference_name_to_id(&head, repository, "HEAD") == 0 else { return .failure(GitReadError(reason: lastError("cannot read HEAD"))) }
        var stack = [head]
        var seen: Set<String> = []
        var commits: [(id: git_oid, time: Int64)] = []
        while var id = stack.popLast() {
            let hex = String(cString: git_oid_tostr_s(&id))
            guard seen.insert(hex).inserted else { continue }
            var commit: OpaquePointer?
            guard git_commit_lookup(&commit, repository, &id) == 0, let commit else { return .failure(GitReadError(reason: lastError("cannot read commit \(hex)"))) }
            defer { git_commit_free(commit) }
            commits.append((id, Int64(git_commit_time(commit))))
            guard !boundary.contains(hex) else { continue }
            for index in 0..<git_commit_parentcount(commit) {
                if let parent = git_commit_parent_id(commit, index) { stack.append(parent.pointee) }
            }
        }
        return .success(commits.sorted { $0.time < $1.time }.map(\.id))
    }

    struct GitReadError: Error { var reason: String }

    /// Clerk secret keys in one blob (text, not too large) at `path`; a blob that cannot be read (a
    /// corrupt or missing object) is an error, never "no key".
    func blobMatches(_ repository: OpaquePointer, _ id: inout git_oid, path: String) -> Result<[ClerkStringScanner.Match], GitReadError> {
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, repository, &id) == 0, let blob else {
            return .failure(GitReadError(reason: Self.lastError("cannot read blob \(String(cString: git_oid_tostr_s(&id)))")))
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, size <= maxBlobBytes, let raw = git_blob_rawcontent(blob) else { return .success([]) }
        // Binary by its bytes, unless its name says text (a .env with a NUL is still read).
        guard AssetScanner.isTextByName(path) || memchr(raw, 0, min(size, 8192)) == nil else { return .success([]) }
        return .success(ClerkStringScanner.scan(bytes: UnsafeRawBufferPointer(start: raw, count: size)).filter { $0.kind == .secretKey })
    }

    static func lastError(_ what: String) -> String {
        guard let error = git_error_last(), let message = error.pointee.message else { return what }
        return "\(what): \(String(cString: message))"
    }

    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path.hasSuffix("/") ? String(path.dropLast()) : path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A repository scan running on its own thread: its result, once; whether the caller gave up
/// on it (then the scan stops at its next object, if libgit2 ever returns).
public final class ScanOutcome: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: RepositoryScan?
    private var abandoned = false

    public init() {}

    func finish(_ scan: RepositoryScan) {
        condition.withLock {
            result = scan
            condition.broadcast()
        }
    }

    func wait(until deadline: Date) -> RepositoryScan? {
        condition.withLock {
            while result == nil, condition.wait(until: deadline) {}
            return result
        }
    }

    func abandon() { condition.withLock { abandoned = true } }

    var stopped: Bool { condition.withLock { abandoned } }
}
