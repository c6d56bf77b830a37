#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import PreflightCore

/// Scans built client output for Clerk keys, development hosts and secret keys, fast: files are
/// listed with `readdir`, read into one reused buffer per worker (large ones mapped with `mmap`),
/// searched as bytes by `ClerkStringScanner` on every core, and never turned into Swift strings.
/// `node_modules` and `.git` are not entered; a symbolic link is followed only inside the app
/// folder; binary files (a NUL in the first 8 KiB, as git and ripgrep decide) are skipped,
/// unless their name says text (`.js`, `.map`, `.json`, `.html`, `.env*`, ...).
public struct AssetScanner: Sendable {
    /// Hits kept in all; a tree full of one leaked key says so a few thousand times at most.
    public static let hitLimit = 2_000
    static let skippedFolders: Set<String> = ["node_modules", ".git"]

    public var workers: Int
    /// The deployment's own secret values: found in a built file under any name, a leak.
    public var knownSecrets: [String]

    public init(workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount), knownSecrets: [String] = []) {
        self.workers = workers
        self.knownSecrets = knownSecrets
    }

    /// Scans `app.assets` (each must exist) or, when unset, the usual build folders that exist.
    public func scan(folder: URL, configured: [String]?) -> AssetScan {
        var roots: [AssetScan.Root] = []
        var files: [(absolute: String, relative: String)] = []
        let candidates = configured ?? AppSettings.defaultAssetFolders
        for path in candidates {
            let absolute = path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path
            var info = stat()
            guard stat(absolute, &info) == 0 else {
                if configured != nil { roots.append(AssetScan.Root(path: path, configured: true, readError: "no such folder: \(path)")) }
                continue
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                if configured != nil { roots.append(AssetScan.Root(path: path, configured: true, readError: "not a folder: \(path)")) }
                continue
            }
            // A root reached through a link must stay inside the app folder: `dist -> /` would
            // otherwise scan the whole machine. An absolute path in app.assets is the user's word.
            let appFolder = Self.realPath(folder.path)
            if !path.hasPrefix("/"), !Self.isInside(Self.realPath(absolute), appFolder) {
                roots.append(AssetScan.Root(path: path, configured: configured != nil,
                                            readError: "\(path) is a link to \(Self.realPath(absolute)), outside the app folder: not scanned"))
                continue
            }
            var rootFiles: [(String, String)] = []
            var linksSkipped: [String] = []
            if let error = Self.list(root: absolute, display: path, within: path.hasPrefix("/") ? nil : appFolder,
                                     linksSkipped: &linksSkipped, into: &rootFiles) {
                roots.append(AssetScan.Root(path: path, configured: configured != nil, readError: error))
                continue
            }
            roots.append(AssetScan.Root(path: path, configured: configured != nil, linksSkipped: linksSkipped))
            files += rootFiles
        }
        // One file can sit under two configured roots (dist and dist/assets): scan it once.
        var seen: Set<String> = []
        files = files.filter { seen.insert($0.absolute).inserted }
        var scan = scanFiles(files)
        scan.roots = roots
        return scan
    }

    /// Every regular file under `root`, depth first, without `node_modules` and `.git`.
    /// Returns why the root itself could not be read, if it could not.
    static func list(root: String, display: String, skipping skipped: Set<String> = skippedFolders, into files: inout [(String, String)]) -> String? {
        var linksSkipped: [String] = []
        return list(root: root, display: display, skipping: skipped, within: nil, linksSkipped: &linksSkipped, into: &files)
    }

    /// A symbolic link is followed only to what lies inside `within` (the app folder; the root
    /// itself when nil): a link to a file there is read, a link to a folder there is entered
    /// once (each real folder once, so no loop), and a link out of it is named in
    /// `linksSkipped` and not followed.
    static func list(
        root: String, display: String, skipping skipped: Set<String> = skippedFolders, within: String?,
        linksSkipped: inout [String], into files: inout [(String, String)]
    ) -> String? {
        let realRoot = realPath(root)
        let boundary = within ?? realRoot
        var entered: Set<String> = [realRoot]
        var stack: [(String, String)] = [(root, display)]
        var first = true
        while let (directory, shown) = stack.popLast() {
            guard let handle = opendir(directory) else {
                if first { return "cannot read \(display): \(String(cString: strerror(errno)))" }
                continue
            }
            first = false
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                if name == "." || name == ".." { continue }
                let path = directory + "/" + name
                let relative = shown + "/" + name
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_DIR):
                    if !skipped.contains(name) { stack.append((path, relative)) }
                case Int32(DT_REG):
                    files.append((path, relative))
                case Int32(DT_LNK):
                    guard let target = realpathIfExists(path) else { continue }  // a link to nothing
                    guard isInside(target, boundary) else {
                        linksSkipped.append("\(relative) -> \(target)")
                        continue
                    }
                    var info = stat()
                    guard stat(target, &info) == 0 else { continue }
                    if info.st_mode & S_IFMT == S_IFREG {
                        files.append((path, relative))
                    } else if info.st_mode & S_IFMT == S_IFDIR, !skipped.contains(name), entered.insert(target).inserted {
                        stack.append((path, relative))
                    }
                default:
                    // DT_UNKNOWN on some file systems: ask.
                    var info = stat()
                    guard lstat(path, &info) == 0 else { continue }
                    if info.st_mode & S_IFMT == S_IFDIR, !skipped.contains(name) { stack.append((path, relative)) }
                    if info.st_mode & S_IFMT == S_IFREG { files.append((path, relative)) }
                }
            }
        }
        return nil
    }

    static func realpathIfExists(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func realPath(_ path: String) -> String { realpathIfExists(path) ?? path }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// Scans the files on `workers` threads; each worker takes every n-th file.
    func scanFiles(_ files: [(absolute: String, relative: String)]) -> AssetScan {
        let workerCount = max(1, min(workers, files.count))
        let partials = Partials(count: workerCount)
        DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            var partial = AssetScan()
            var buffer = ReadBuffer()
            var index = worker
            while index < files.count {
                Self.scanFile(files[index].absolute, shown: files[index].relative, knownSecrets: knownSecrets, buffer: &buffer, into: &partial)
                index += workerCount
            }
            buffer.release()
            partials.set(worker, partial)
        }
        var result = AssetScan()
        for partial in partials.values {
            result.filesScanned += partial.filesScanned
            result.bytesScanned += partial.bytesScanned
            result.binaryFilesSkipped += partial.binaryFilesSkipped
            result.unreadableFiles += partial.unreadableFiles
            result.hits += partial.hits
        }
        result.unreadableFiles.sort()
        result.hits.sort { ($0.path, $0.match.line, $0.match.column) < ($1.path, $1.match.line, $1.match.column) }
        if result.hits.count > Self.hitLimit {
            result.hits.removeLast(result.hits.count - Self.hitLimit)
            result.truncated = true
        }
        return result
    }

    /// Files up to this size are read into the worker's buffer; larger ones are mapped. Mapping
    /// thousands of small files costs more in page-table work and cross-core TLB flushes on
    /// `munmap` than copying them does (ripgrep decides the same way).
    static let mapThreshold = 8 * 1024 * 1024

    static func scanFile(_ path: String, shown: String, knownSecrets: [String], buffer: inout ReadBuffer, into scan: inout AssetScan) {
        // O_NONBLOCK: a path swapped for a FIFO after listing cannot hang the scan.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            scan.unreadableFiles.append("\(shown): \(String(cString: strerror(errno)))")
            return
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            scan.unreadableFiles.append("\(shown): not a regular file")
            return
        }
        let size = Int(info.st_size)
        guard size > 0 else { scan.filesScanned += 1; return }

        if size > mapThreshold {
            guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
                scan.unreadableFiles.append("\(shown): cannot map: \(String(cString: strerror(errno)))")
                return
            }
            defer { munmap(mapped, size) }
            madvise(mapped, size, MADV_SEQUENTIAL)
            scanBytes(UnsafeRawBufferPointer(start: mapped, count: size), shown: shown, knownSecrets: knownSecrets, into: &scan)
            return
        }
        let base = buffer.reserve(size)
        var filled = 0
        while filled < size {
            let count = read(descriptor, base + filled, size - filled)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }  // the file shrank while being read: scan what is there
            filled += count
        }
        guard filled > 0 || size == 0 else {
            scan.unreadableFiles.append("\(shown): \(String(cString: strerror(errno)))")
            return
        }
        scanBytes(UnsafeRawBufferPointer(start: base, count: filled), shown: shown, knownSecrets: knownSecrets, into: &scan)
    }

    /// Files that are text by their name: scanned even with a NUL near the start (a bundler's
    /// `"\0"` literal, a source map of binary data), since a key in them ships to browsers.
    static let textExtensions: Set<String> = ["js", "mjs", "cjs", "jsx", "ts", "tsx", "map", "json", "html", "htm", "css", "txt", "xml", "svg", "vue", "svelte"]

    static func isTextByName(_ path: String) -> Bool {
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        if name.hasPrefix(".env") { return true }
        guard let dot = name.lastIndex(of: "."), name.distance(from: dot, to: name.endIndex) <= 8 else { return false }
        return textExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    static func scanBytes(_ bytes: UnsafeRawBufferPointer, shown: String, knownSecrets: [String] = [], into scan: inout AssetScan) {
        if let base = bytes.baseAddress, memchr(base, 0, min(bytes.count, 8192)) != nil, !isTextByName(shown) {
            scan.binaryFilesSkipped += 1
            return
        }
        scan.filesScanned += 1
        scan.bytesScanned += bytes.count
        for match in ClerkStringScanner.scan(bytes: bytes, knownSecrets: knownSecrets) {
            scan.hits.append(AssetScan.Hit(path: shown, match: match))
        }
    }
}

/// A worker's read buffer: grown to the largest file read, reused for every file.
struct ReadBuffer {
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0

    mutating func reserve(_ size: Int) -> UnsafeMutableRawPointer {
        if size > capacity {
            base?.deallocate()
            capacity = max(size, 256 * 1024)
            base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        }
        return base!
    }

    mutating func release() {
        base?.deallocate()
        base = nil
        capacity = 0
    }
}

/// One result slot per worker; each worker writes only its own slot, once.
private final class Partials: @unchecked Sendable {
    private var slots: [AssetScan]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: AssetScan(), count: count) }
    func set(_ index: Int, _ value: AssetScan) { lock.withLock { slots[index] = value } }
    var values: [AssetScan] { lock.withLock { slots } }
}
