import Foundation

/// File access, behind a protocol so the composition root owns it.
public protocol FileReading: Sendable {
    func exists(_ url: URL) -> Bool
    /// The file's bytes; throws `FileReadError.tooLarge` past `cap` bytes.
    func read(_ url: URL, cap: Int) throws -> Data
}

public enum FileReadError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    case tooLarge(String, cap: Int)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .notFound(let path): "no such file: \(path)"
        case .tooLarge(let path, let cap): "\(path) is larger than \(cap) bytes"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}

public struct LocalFileSystem: FileReading {
    public init() {}

    public func exists(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    public func read(_ url: URL, cap: Int) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw FileReadError.notFound(url.path) }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FileReadError.unreadable(url.path, "permission denied or not a file")
        }
        defer { try? handle.close() }
        // Read one byte past the cap to tell "exactly at the cap" from "over it".
        let data = try handle.read(upToCount: cap + 1) ?? Data()
        if data.count > cap { throw FileReadError.tooLarge(url.path, cap: cap) }
        return data
    }
}
