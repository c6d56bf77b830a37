#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import PreflightCore

/// Scans built client output for Clerk keys, development hosts and secret keys, fast: files are
/// listed with `readdir`, read into one reused buffer per worker (large ones mapped with `mmap`),
/// searched as bytes by `ClerkStringScanner` on every core, and never turned into Swift strings. `node_modules` and `.git` are not entered; a
/// symbolic link is followed only to a file inside the scanned folder; binary files (a NUL in
/// the first 8 KiB, as git and ripgrep decide) are skipped.
public struct AssetScanner: Sendable {
    /// Hits kept in all; a tree full of one leaked key says so a few thousand times at most.
    public static let hitLimit = 2_000
    static let skippedFolders: Set<String> = ["node_modules", ".git"]

    public var workers: Int

    public init(workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        self.workers = workers
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
            var rootFiles: [(String, String)] = []
            if let error = Self.list(root: absolute, display: path, into: &rootFiles) {
                roots.append(AssetScan.Root(path: path, configured: configured != nil, readError: error))
                continue
            }
            roots.append(AssetScan.Root(path: path, configured: configured != nil))
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
        let realRoot = realpath(root, nil).map { pointer -> String in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? root
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
                    // Only to a regular file inside the scanned folder: never out of the tree,
                    // never into a loop.
                    guard let resolved = realpath(path, nil) else { continue }
                    let target = String(cString: resolved)
                    free(resolved)
                    var info = stat()
                    if target.hasPrefix(realRoot + "/"), stat(target, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                        files.append((path, relative))
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

    /// Scans the files on `workers` threads; each worker takes every n-th file.
    func scanFiles(_ files: [(absolute: String, relative: String)]) -> AssetScan {
        let workerCount = max(1, min(workers, files.count))
        let partials = Partials(count: workerCount)
        DispatchQueue.concurrentPerform(iterations: workerCount) { worker in
            var partial = AssetScan()
            var buffer = ReadBuffer()
            var index = worker
            while index < files.count {
                Self.scanFile(files[index].absolute, shown: files[index].relative, buffer: &buffer, into: &partial)
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

    static func scanFile(_ path: String, shown: String, buffer: inout ReadBuffer, into scan: inout AssetScan) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            scan.unreadableFiles.append("\(shown): \(String(cString: strerror(errno)))")
            return
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return }
        let size = Int(info.st_size)
        guard size > 0 else { scan.filesScanned += 1; return }

        if size > mapThreshold {
            guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
                scan.unreadableFiles.append("\(shown): cannot map: \(String(cString: strerror(errno)))")
                return
            }
            defer { munmap(mapped, size) }
            madvise(mapped, size, MADV_SEQUENTIAL)
            scanBytes(UnsafeRawBufferPointer(start: mapped, count: size), shown: shown, into: &scan)
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
        scanBytes(UnsafeRawBufferPointer(start: base, count: filled), shown: shown, into: &scan)
    }

    static func scanBytes(_ bytes: UnsafeRawBufferPointer, shown: String, into scan: inout AssetScan) {
        if let base = bytes.baseAddress, memchr(base, 0, min(bytes.count, 8192)) != nil {
            scan.binaryFilesSkipped += 1
            return
        }
        scan.filesScanned += 1
        scan.bytesScanned += bytes.count
        for match in ClerkStringScanner.scan(bytes: bytes) {
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
