import Foundation
import PreflightCore

/// File access, behind a protocol so the composition root owns it.
public protocol FileReading: Sendable {
    /// Whether something is at the path that is not a folder (a FIFO counts: reading it says what it is).
    func exists(_ url: URL) -> Bool
    /// The file's bytes; throws `FileReadError` for a missing file, one that is not a regular
    /// file (never blocking on a FIFO) and one past `cap` bytes.
    func read(_ url: URL, cap: Int) throws(FileReadError) -> Data
}

public struct LocalFileSystem: FileReading {
    public init() {}

    public func exists(_ url: URL) -> Bool {
        guard let kind = FileKind.of(url.path, followLinks: false) else { return false }
        return kind != .directory && FileKind.of(url.path) != .directory
    }

    public func read(_ url: URL, cap: Int) throws(FileReadError) -> Data {
        try BoundedFile.read(url.path, cap: cap)
    }
}
