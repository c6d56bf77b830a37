import Foundation
import PreflightTestSupport
import Testing

/// Runs the real `preflight` binary that `swift test` built next to the test bundle.
enum Preflight {
    static let binary: String = executable("preflight")

    static func executable(_ name: String) -> String {
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
        ].compactMap { $0 }
        for folder in candidates {
            let path = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Golden.packageRoot.appendingPathComponent(".build/debug/\(name)").path
    }

    /// A clean environment: nothing Clerk-related leaks in from the machine running the tests.
    static let baseEnvironment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> ChildProcess.Result {
        try ChildProcess.run(binary, arguments, environment: baseEnvironment.merging(environment) { $1 }, directory: directory, timeout: 60)
    }

    static func example(_ name: String) -> String {
        Golden.packageRoot.appendingPathComponent("Examples/\(name)").path
    }
}

/// A temporary app folder with the given files (paths may name subfolders).
struct AppFolder: ~Copyable {
    let url: URL
    var path: String { url.path }

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
