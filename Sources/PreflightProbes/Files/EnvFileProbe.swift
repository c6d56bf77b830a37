import Foundation
import PreflightCore

/// Reads env files from the checked folder.
public struct EnvFileProbe: Sendable {
    /// Env files are small; anything larger is not an env file.
    public static let sizeCap = BoundedFile.envFileCap

    public var folder: URL
    public var fileSystem: any FileReading

    public init(folder: URL, fileSystem: any FileReading = LocalFileSystem()) {
        self.folder = folder
        self.fileSystem = fileSystem
    }

    /// The configured files (a missing one is evidence of a problem), or the default names
    /// that exist.
    public func read(configured: [String]?) -> [EnvFileEvidence] {
        if let configured {
            return configured.map { readOne($0) }
        }
        return AppSettings.defaultEnvFiles
            .filter { fileSystem.exists(folder.appendingPathComponent($0)) }
            .map { readOne($0) }
    }

    func readOne(_ path: String) -> EnvFileEvidence {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
        do {
            let data = try fileSystem.read(url, cap: Self.sizeCap)
            guard let text = String(validating: data, as: UTF8.self) else {
                let place = TextPosition.ofFirstInvalidUTF8(in: data).map { "\($0.line):\($0.column)" } ?? "?"
                return EnvFileEvidence(path: path, readError: "\(path): not UTF-8 text: invalid byte at \(place)")
            }
            return EnvFileEvidence(path: path, text: text)
        } catch {
            return EnvFileEvidence(path: path, readError: "\(error)")
        }
    }
}
