import Foundation
import PreflightCore
import PreflightReports

/// The last stage: reports (and recordings) written redacted, piece by piece as a reporter
/// hands them over, so a fleet's report is never held whole; files are written atomically and
/// only as regular files.
public struct ReportWriter: Sendable {
    public var redactor: SharedRedactor

    public init(redactor: SharedRedactor) {
        self.redactor = redactor
    }

    /// Report files can be written, checked before anything is probed: each path is not empty,
    /// names a regular file or nothing yet (never a folder, a FIFO or a device: as root,
    /// `--output /dev/null` must not replace /dev/null), its folder exists and is writable, and
    /// no file is named twice (one would overwrite the other).
    public static func checkWritable(_ files: [String]) throws(EngineError) {
        var seen: [String: String] = [:]
        for file in files {
            guard !file.isEmpty else { throw .usage("an empty path was given for a report file") }
            let target = try ReportDestination.resolve(file)
            let parent = URL(fileURLWithPath: target).deletingLastPathComponent().path
            guard FileKind.of(parent) == .directory else { throw .usage("cannot write \(file): no such folder \(parent)") }
            guard access(parent, W_OK) == 0 else { throw .usage("cannot write \(file): \(parent) is not writable") }
            if let earlier = seen[target] { throw .usage("\(earlier) and \(file) are the same file: give each report its own") }
            seen[target] = file
        }
    }

    /// Renders `report` in `format` to `path`, atomically and redacted.
    public func write(_ report: Report, as reporter: any Reporter, toFile path: String) throws {
        try write(toFile: path) { sink in try reporter.render(report, into: sink) }
    }

    /// Redacts each piece and gathers them into large writes: a fleet's JSON is 40,000 pieces.
    /// Each piece is redacted on its own; a secret never spans two (pieces are whole findings).
    public func write(to handle: FileHandle, _ produce: ((String) throws -> Void) throws -> Void) throws {
        var buffer = Data()
        try produce { piece in
            buffer.append(contentsOf: redactor.redact(piece).utf8)
            if buffer.count >= 1 << 18 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }

    /// Writes a file atomically (a temporary file beside it, renamed into place), redacted.
    public func write(toFile path: String, _ produce: ((String) throws -> Void) throws -> Void) throws {
        let target = URL(fileURLWithPath: try ReportDestination.resolve(path))
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try write(to: handle, produce)
            try handle.synchronize()
            // Checked again at the last moment: what is there may have changed since the run began.
            _ = try ReportDestination.resolve(target.path)
            // rename(2): atomic, and replaces what is there (FileManager's calls either refuse an
            // existing file or a missing one).
            guard rename(temporary.path, target.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes a text file atomically, redacted.
    public func write(_ text: String, toFile path: String) throws {
        try write(toFile: path) { sink in try sink(text) }
    }
}

/// Where a report file really goes: the path itself, or the regular file a link at it names.
/// Anything else there (a folder, a FIFO, a device, a link to nothing or to a loop) is refused,
/// before any probe and again just before the file is put in place.
public enum ReportDestination {
    public static func resolve(_ path: String) throws(EngineError) -> String {
        switch FileKind.of(path, followLinks: false) {
        case nil, .regular?:
            return path
        case .symbolicLink?:
            guard let kind = FileKind.of(path), let resolved = realpath(path, nil) else {
                throw .usage("cannot write \(path): it is a symbolic link to nothing (or a loop)")
            }
            defer { free(resolved) }
            guard kind == .regular else { throw .usage("cannot write \(path): it is a link to \(kind.rawValue); reports are written only to regular files") }
            return String(cString: resolved)
        case let kind?:
            throw .usage("cannot write \(path): it is \(kind.rawValue); reports are written only to regular files")
        }
    }
}
