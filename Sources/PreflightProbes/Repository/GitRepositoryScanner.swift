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

    public func scan(folder: URL, history: Bool) -> RepositoryScan {
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
        var hits = tracked.hits.filter { $0.match.kind == .secretKey }.map { RepositoryScan.Hit(path: $0.path, match: $0.match, tracked: true) }
        for (path, id) in gone {
            var id = id
            for match in blobMatches(repository, &id) {
                hits.append(RepositoryScan.Hit(path: shown(path), match: match, tracked: true))
            }
        }

        if history {
            scan.historyScanned = true
            let introduced = walkHistory(repository, prefix: prefix, underApp: underApp, shown: shown, scan: &scan)
            // A key still tracked gets the commit that brought it; one only in history is its own finding.
            for index in hits.indices {
                if let origin = introduced[hits[index].match.value] {
                    hits[index].commit = origin.commit
                    hits[index].commitSummary = origin.commitSummary
                    hits[index].commitDate = origin.commitDate
                }
            }
            let trackedValues = Set(hits.map(\.match.value))
            hits += introduced.values.filter { !trackedValues.contains($0.match.value) }
        }
        scan.hits = hits.sorted { ($0.path, $0.match.line, $0.match.column) < ($1.path, $1.match.line, $1.match.column) }
        return scan
    }

    /// Every blob reachable from HEAD, oldest commit first; returns, per key, the first commit
    /// and path it appeared in.
    func walkHistory(
        _ repository: OpaquePointer, prefix: String, underApp: (String) -> Bool, shown: (String) -> String, scan: inout RepositoryScan
    ) -> [String: RepositoryScan.Hit] {
        // Only folders above the app's or inside it can hold its files.
        func mayHoldApp(_ folder: String) -> Bool {
            prefix.isEmpty || folder == prefix || prefix.hasPrefix(folder + "/") || folder.hasPrefix(prefix + "/")
        }
        var walk: OpaquePointer?
        guard git_revwalk_new(&walk, repository) == 0, let walk else { return [:] }
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, UInt32(preflight_git_sort_oldest_first))
        guard git_revwalk_push_head(walk) == 0 else { return [:] }  // no commit yet

        var seenBlobs: Set<String> = []
        var introduced: [String: RepositoryScan.Hit] = [:]
        var commitID = git_oid()
        while git_revwalk_next(&commitID, walk) == 0, scan.commitsScanned < maxCommits {
            var commit: OpaquePointer?
            guard git_commit_lookup(&commit, repository, &commitID) == 0, let commit else { continue }
            defer { git_commit_free(commit) }
            scan.commitsScanned += 1
            var tree: OpaquePointer?
            guard git_commit_tree(&tree, commit) == 0, let root = tree else { continue }
            let hex = String(cString: git_oid_tostr_s(&commitID))
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
                        if git_tree_lookup(&subtree, repository, &id) == 0, let subtree { stack.append((subtree, path)) }
                    case GIT_OBJECT_BLOB:
                        guard underApp(path), seenBlobs.insert(String(cString: git_oid_tostr_s(&id))).inserted else { continue }
                        scan.blobsScanned += 1
                        for match in blobMatches(repository, &id) where introduced[match.value] == nil {
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

    /// Clerk secret keys in one blob (text, not too large).
    func blobMatches(_ repository: OpaquePointer, _ id: inout git_oid) -> [ClerkStringScanner.Match] {
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, repository, &id) == 0, let blob else { return [] }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, size <= maxBlobBytes, let raw = git_blob_rawcontent(blob) else { return [] }
        guard memchr(raw, 0, min(size, 8192)) == nil else { return [] }
        return ClerkStringScanner.scan(bytes: UnsafeRawBufferPointer(start: raw, count: size)).filter { $0.kind == .secretKey }
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
