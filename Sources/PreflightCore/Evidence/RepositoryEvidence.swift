/// What the app's git repository holds, read through libgit2: Clerk keys and development hosts
/// in tracked files (the index, read as the working tree has them) and, with `--history`,
/// secret keys in every blob reachable from HEAD.
public struct RepositoryScan: Sendable, Hashable, Codable {
    /// One key found.
    public struct Hit: Sendable, Hashable, Codable {
        /// Relative to the checked folder (`../` when the file sits above it in the repository).
        public var path: String
        public var match: ClerkStringScanner.Match
        /// Still in a tracked file today (`false`: only in history).
        public var tracked: Bool
        /// The commit that first brought this key into the repository (history scans only).
        public var commit: String?
        public var commitSummary: String?
        /// ISO 8601.
        public var commitDate: String?

        public init(path: String, match: ClerkStringScanner.Match, tracked: Bool, commit: String? = nil, commitSummary: String? = nil, commitDate: String? = nil) {
            self.path = path
            self.match = match
            self.tracked = tracked
            self.commit = commit
            self.commitSummary = commitSummary
            self.commitDate = commitDate
        }
    }

    /// `nil` when the folder is not inside a git repository.
    public var repositoryRoot: String?
    /// Set when the repository could not be read.
    public var readError: String?
    public var trackedFilesScanned: Int
    public var historyScanned: Bool
    public var commitsScanned: Int
    public var blobsScanned: Int
    public var hits: [Hit]
    /// Why the history read is not the whole history (a shallow clone, a corrupt object, HEAD on
    /// a missing branch, the commit cap or the deadline); nil when it is, or was not asked.
    public var historyIncomplete: String?
    /// The repository is a shallow clone (what `actions/checkout` makes by default).
    public var shallow: Bool?

    public init(
        repositoryRoot: String? = nil, readError: String? = nil, trackedFilesScanned: Int = 0, historyScanned: Bool = false,
        commitsScanned: Int = 0, blobsScanned: Int = 0, hits: [Hit] = []
    ) {
        self.repositoryRoot = repositoryRoot
        self.readError = readError
        self.trackedFilesScanned = trackedFilesScanned
        self.historyScanned = historyScanned
        self.commitsScanned = commitsScanned
        self.blobsScanned = blobsScanned
        self.hits = hits
    }
}
