import Foundation
import PreflightCore
import PreflightProbes
import Testing

/// The asset scan on a real folder: what it reads, skips, locates and reports as unreadable.
@Suite struct AssetScannerTests {
    let root: URL
    let developmentKey = "pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk"

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-assets-\(UUID().uuidString)")
        let outside = root.appendingPathComponent("outside")
        for (path, text) in [
            "app/dist/assets/index.js": "var a=1;\nvar k=\"\(developmentKey)\";",
            "app/dist/assets/sdk.js": #"const s=[".accounts.dev",".accounts.lclclerk.com"];const p="pk_test_";"#,
            "app/dist/node_modules/dep/index.js": "var k=\"\(developmentKey)\";",
            "app/dist/.git/config": "url = https://fuzzy-owl-12.accounts.dev",
            "outside/secret.js": "const c=createClerkClient({secretKey:\"sk_live_Fx7pQ2mZ9vK4tR8wL1nB6yH3cJ5dG0aE2sU7iO9\"});",
        ] {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        // A binary file that happens to hold a key, and links in and out of the tree.
        try (Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00]) + Data(developmentKey.utf8))
            .write(to: root.appendingPathComponent("app/dist/logo.png"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("app/dist/leak.js"), withDestinationURL: outside.appendingPathComponent("secret.js"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("app/dist/again.js"), withDestinationURL: root.appendingPathComponent("app/dist/assets/index.js"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("app/dist/loop"), withDestinationURL: root.appendingPathComponent("app/dist"))
    }

    @Test func scansWhatShipsAndSkipsTheRest() {
        defer { try? FileManager.default.removeItem(at: root) }
        let scan = AssetScanner(workers: 2).scan(folder: root.appendingPathComponent("app"), configured: ["dist"])
        #expect(scan.roots == [AssetScan.Root(path: "dist", configured: true,
                                              linksSkipped: ["dist/leak.js -> \(AssetScannerTests.real(root))/outside/secret.js"])])
        // index.js, sdk.js and the in-tree link; not node_modules, .git, the binary or the link out.
        #expect(scan.filesScanned == 3, "\(scan)")
        #expect(scan.binaryFilesSkipped == 1)
        let places = scan.hits.map { "\($0.path):\($0.match.line):\($0.match.column) \($0.match.kind.rawValue)" }
        #expect(places == ["dist/again.js:2:8 development_key", "dist/assets/index.js:2:8 development_key"])
    }

    static func real(_ url: URL) -> String {
        guard let resolved = realpath(url.path, nil) else { return url.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A link to a folder inside the app is entered (once, whatever the loops); a root that is a
    /// link out of the app folder is named and not scanned (a link to / would scan the machine).
    @Test func linksAreFollowedOnlyInsideTheAppFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let app = root.appendingPathComponent("app")
        try FileManager.default.createDirectory(at: app.appendingPathComponent("lib/chunks"), withIntermediateDirectories: true)
        try "var k=\"\(developmentKey)\";".write(to: app.appendingPathComponent("lib/chunks/lazy.js"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: app.appendingPathComponent("dist/shared"), withDestinationURL: app.appendingPathComponent("lib"))
        try FileManager.default.createSymbolicLink(at: app.appendingPathComponent("lib/back"), withDestinationURL: app.appendingPathComponent("lib"))
        let scan = AssetScanner(workers: 2).scan(folder: app, configured: ["dist"])
        let places = scan.hits.map(\.path)
        #expect(places.contains("dist/shared/chunks/lazy.js"), "\(places)")
        #expect(places.filter { $0.hasSuffix("lazy.js") }.count == 1, "a folder reached twice through links was read twice: \(places)")

        try FileManager.default.createSymbolicLink(at: app.appendingPathComponent("everything"), withDestinationURL: URL(fileURLWithPath: "/"))
        let outside = AssetScanner().scan(folder: app, configured: ["everything"])
        #expect(outside.roots.first?.readError == "everything is a link to /, outside the app folder: not scanned")
        #expect(outside.filesScanned == 0)
    }

    /// A NUL near the start hides a binary file, never a file whose name says it ships as text;
    /// a FIFO among the files is reported, never waited on.
    @Test func textFilesAreScannedWhateverTheirBytesAndFIFOsNeverHang() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let app = root.appendingPathComponent("app")
        for name in ["dist/nul.js", "dist/nul.js.map", "dist/.env.production"] {
            try (Data("var z=\"\0\";".utf8) + Data([0]) + Data("var k=\"\(developmentKey)\";".utf8)).write(to: app.appendingPathComponent(name))
        }
        #expect(mkfifo(app.appendingPathComponent("dist/pipe.js").path, 0o644) == 0)
        let scan = AssetScanner(workers: 2).scan(folder: app, configured: ["dist"])
        let files = Set(scan.hits.map(\.path))
        #expect(files.isSuperset(of: ["dist/nul.js", "dist/nul.js.map", "dist/.env.production"]), "\(files)")
        #expect(scan.binaryFilesSkipped == 1, "only logo.png is binary")
    }

    @Test func defaultsAndMissingFolders() {
        defer { try? FileManager.default.removeItem(at: root) }
        let defaults = AssetScanner().scan(folder: root.appendingPathComponent("app"), configured: nil)
        #expect(defaults.roots.map(\.path) == ["dist"], "only the usual folders that exist")
        let missing = AssetScanner().scan(folder: root.appendingPathComponent("app"), configured: ["build", "dist/assets/index.js"])
        #expect(missing.roots.map(\.readError) == ["no such folder: build", "not a folder: dist/assets/index.js"])
        #expect(missing.unreadableRoots.count == 2)
    }
}
