/// What the scan of the built client output found. Paths are relative to the checked folder.
public struct AssetScan: Sendable, Hashable, Codable {
    /// One folder that was scanned, or could not be.
    public struct Root: Sendable, Hashable, Codable {
        public var path: String
        /// From `app.assets` (missing is an error) rather than one of the usual folders found.
        public var configured: Bool
        /// Set when the folder could not be read at all.
        public var readError: String?
        /// Links inside it that point out of the app folder ("dist/x -> /etc"): named, not followed.
        public var linksSkipped: [String]?
        public init(path: String, configured: Bool, readError: String? = nil, linksSkipped: [String] = []) {
            self.path = path
            self.configured = configured
            self.readError = readError
            self.linksSkipped = linksSkipped.isEmpty ? nil : linksSkipped
        }
    }

    /// A match in one file.
    public struct Hit: Sendable, Hashable, Codable {
        public var path: String
        public var match: ClerkStringScanner.Match
        public init(path: String, match: ClerkStringScanner.Match) {
            self.path = path
            self.match = match
        }
    }

    public var roots: [Root]
    public var filesScanned: Int
    public var bytesScanned: Int
    /// Files with a NUL byte in their first 8 KiB (images, fonts, wasm): not text, not scanned.
    public var binaryFilesSkipped: Int
    /// Files that could not be opened or mapped, with why.
    public var unreadableFiles: [String]
    /// Sorted by path, line, column.
    public var hits: [Hit]
    /// More hits than were kept (`AssetScanner.hitLimit`).
    public var truncated: Bool

    public init(
        roots: [Root] = [], filesScanned: Int = 0, bytesScanned: Int = 0, binaryFilesSkipped: Int = 0,
        unreadableFiles: [String] = [], hits: [Hit] = [], truncated: Bool = false
    ) {
        self.roots = roots
        self.filesScanned = filesScanned
        self.bytesScanned = bytesScanned
        self.binaryFilesSkipped = binaryFilesSkipped
        self.unreadableFiles = unreadableFiles
        self.hits = hits
        self.truncated = truncated
    }

    /// Folders that could not be read: a check that needed them cannot decide.
    public var unreadableRoots: [Root] { roots.filter { $0.readError != nil } }
}
