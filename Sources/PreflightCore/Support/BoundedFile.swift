import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a path names, as `stat`/`lstat` tell it, in the words a message uses.
public enum FileKind: String, Sendable, Hashable {
    case regular = "a regular file"
    case directory = "a directory"
    case fifo = "a FIFO"
    case socket = "a socket"
    case characterDevice = "a character device"
    case blockDevice = "a block device"
    case symbolicLink = "a symbolic link"
    case other = "not a regular file"

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }

    /// The kind of `path`; links followed unless `followLinks` is false. `nil`: nothing there
    /// (or a link to nothing, when following).
    public static func of(_ path: String, followLinks: Bool = true) -> FileKind? {
        var info = stat()
        guard (followLinks ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }
}

/// Why a file could not be read. Every message names the path and the cause.
public enum FileReadError: Error, CustomStringConvertible, Equatable, Sendable {
    case notFound(String)
    case tooLarge(String, cap: Int)
    case unreadable(String, String)
    /// The path names something that is not a regular file (a directory, a FIFO, a device).
    case wrongKind(String, FileKind)

    public var description: String {
        switch self {
        case .notFound(let path): "no such file: \(path)"
        case .tooLarge(let path, let cap): "\(path) is larger than the \(BoundedFile.describe(bytes: cap)) cap"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .wrongKind(let path, let kind): "\(path) is \(kind.rawValue), not a regular file"
        }
    }
}

/// Reads a file whole, but only a regular file and only up to a cap. The file is opened with
/// `O_NONBLOCK`, so a FIFO with no writer or a device can never hang the run, and checked with
/// `fstat` on the open descriptor (no race with a swapped path) before a byte is read. Every
/// file Preflight reads from the user's disk goes through here or `AssetScanner`'s reader.
public enum BoundedFile {
    /// The caps, stated in the docs and in the messages.
    public static let configurationCap = 1 << 20
    public static let envFileCap = 1 << 20
    public static let snapshotCap = 16 << 20
    public static let recordingCap = 256 << 20
    public static let baselineCap = 64 << 20

    public static func read(_ path: String, cap: Int) throws(FileReadError) -> Data {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw openError(path, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else { throw .wrongKind(path, kind) }
        guard Int(info.st_size) <= cap else { throw .tooLarge(path, cap: cap) }
        // Read one byte past the cap: a file that grew since fstat is still cut.
        var data = Data(count: min(Int(info.st_size), cap) + 1)
        var filled = 0
        while filled < data.count {
            let count = data.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path, String(cString: strerror(errno)))
            }
            if count == 0 { break }
            filled += count
            if filled == data.count, filled <= cap { data.count += min(1 << 16, cap + 1 - filled) }
        }
        if filled > cap { throw .tooLarge(path, cap: cap) }
        data.count = filled
        return data
    }

    /// Reads a text file: UTF-8, or an error naming the line and column of the first byte that is not.
    public static func readText(_ path: String, cap: Int) throws(FileReadError) -> String {
        try text(of: read(path, cap: cap), path: path)
    }

    /// `data` as UTF-8 text, or an error naming the line and column of the first byte that is not.
    public static func text(of data: Data, path: String) throws(FileReadError) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        let place = TextPosition.ofFirstInvalidUTF8(in: data)
        throw .unreadable(path, "not UTF-8 text: invalid byte at \(place.map { "\($0.line):\($0.column)" } ?? "?")")
    }

    static func openError(_ path: String, _ code: Int32) -> FileReadError {
        switch code {
        case ENOENT:
            // A link whose target is missing is not "no such file": the link is there.
            if FileKind.of(path, followLinks: false) == .symbolicLink { return .unreadable(path, "a symbolic link to nothing") }
            return .notFound(path)
        case ELOOP: return .unreadable(path, "a symbolic link loop")
        case EACCES: return .unreadable(path, "permission denied")
        case EISDIR: return .wrongKind(path, .directory)
        case ENXIO: return .wrongKind(path, FileKind.of(path) ?? .other)
        default: return .unreadable(path, String(cString: strerror(code)))
        }
    }

    /// "1 MiB", "16 MiB", "512 bytes".
    public static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? "\(bytes >> 10) KiB" : "\(bytes)-byte"
    }
}

/// A place in a text, 1-based, the column counted in Unicode scalars.
public struct TextPosition: Sendable, Hashable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The line and column (in Unicode scalars) of `index` in `text`: where the source readers
    /// say a value is written.
    public static func of(_ index: String.Index, in text: String) -> TextPosition {
        let lineStart = text[..<index].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let line = text[..<index].reduce(into: 1) { if $1 == "\n" { $0 += 1 } }
        return TextPosition(line: line, column: text.unicodeScalars[lineStart..<index].count + 1)
    }

    /// The first character YAML does not allow in a stream (C0 controls but tab, LF and CR;
    /// DEL; C1 controls but NEL; U+FFFE and U+FFFF), or, with `json`, the first C0 control but
    /// tab, LF and CR (unescaped, JSON allows none in strings and none outside them). Parsers
    /// say only "control characters are not allowed": this says where.
    public static func ofFirstDisallowedControl(in text: String, json: Bool = false) -> (position: TextPosition, scalar: Unicode.Scalar)? {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let allowed = value == 0x09 || value == 0x0A || value == 0x0D
            let disallowed = json ? value < 0x20 && !allowed
                : (value < 0x20 && !allowed) || value == 0x7F || ((0x80...0x9F).contains(value) && value != 0x85) || value == 0xFFFE || value == 0xFFFF
            if disallowed { return (TextPosition(line: line, column: column), scalar) }
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    /// The byte offset of the first byte that does not belong to valid UTF-8; nil when all do.
    public static func firstInvalidUTF8Offset(in data: Data) -> Int? {
        guard String(validating: data, as: UTF8.self) == nil else { return nil }
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The line and column of the first byte that does not belong to valid UTF-8; nil when all do.
    public static func ofFirstInvalidUTF8(in data: Data) -> TextPosition? {
        let bytes = [UInt8](data)
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return TextPosition(line: line, column: column)
            }
            guard index + length <= bytes.count,
                  String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil else {
                return TextPosition(line: line, column: column)
            }
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += length
        }
        return nil
    }
}
