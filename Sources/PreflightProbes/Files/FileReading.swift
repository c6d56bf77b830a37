import Foundation
import PreflightCore

/// File access, behind a protocol so the composition root owns it: the engine reads every
/// configuration, snapshot, baseline and recording through it, and its in-process tests give
/// it files that exist only in memory.
public protocol FileReading: Sendable {
    /// What is at `path` (links followed unless `followLinks` is false); nil: nothing.
    func kind(of path: String, followLinks: Bool) -> FileKind?
    /// The file's bytes; throws `FileReadError` for a missing file, one that is not a regular
    /// file (never blocking on a FIFO) and one past `cap` bytes.
    func read(_ url: URL, cap: Int) throws(FileReadError) -> Data
}

extension FileReading {
    /// Whether something is at the path that is not a folder (a FIFO counts: reading it says what it is).
    public func exists(_ url: URL) -> Bool {
        guard let kind = kind(of: url.path, followLinks: false) else { return false }
        return kind != .directory && self.kind(of: url.path, followLinks: true) != .directory
    }

    public func isDirectory(_ path: String) -> Bool {
        kind(of: path, followLinks: true) == .directory
    }

    public func read(_ path: String, cap: Int) throws(FileReadError) -> Data {
        try read(URL(fileURLWithPath: path), cap: cap)
    }

    /// A text file: UTF-8, or an error naming the line and column of the first byte that is not.
    public func readText(_ path: String, cap: Int) throws(FileReadError) -> String {
        try BoundedFile.text(of: read(path, cap: cap), path: path)
    }
}

/// The disk, read through `BoundedFile`.
public struct LocalFileSystem: FileReading {
    public init() {}

    public func kind(of path: String, followLinks: Bool) -> FileKind? {
        FileKind.of(path, followLinks: followLinks)
    }

    public func read(_ url: URL, cap: Int) throws(FileReadError) -> Data {
        try BoundedFile.read(url.path, cap: cap)
    }
}
