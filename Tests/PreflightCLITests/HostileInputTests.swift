import Foundation
import PreflightCore
import PreflightTestSupport
import Testing

/// The careless user and the hostile file: report destinations that are not regular files,
/// inputs of the wrong kind (FIFOs, folders, broken links), text that is not UTF-8, and a
/// replay run from another folder. Each is exit 2 with a located, truthful message, or a
/// finding that says what happened; nothing hangs and nothing is replaced.
@Suite struct HostileInputTests {
    static let ready = Preflight.example("ready-app")

    func check(_ arguments: [String], directory: String? = nil) throws -> ChildProcess.Result {
        try Preflight.run(["check"] + arguments, directory: directory)
    }

    @Test func reportsGoOnlyToRegularFiles() throws {
        let folder = try AppFolder([:])
        let fifo = folder.path + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        // A character device like /dev/null, made here so a regression replaces nothing that matters.
        let device = folder.path + "/null"
        #expect(mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
        try FileManager.default.createDirectory(atPath: folder.path + "/dir", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/loop", withDestinationPath: folder.path + "/loop")
        let cases: [([String], String)] = [
            (["--output", fifo], "it is a FIFO"),
            (["--output", device], "it is a character device"),
            (["--report", "sarif=\(device)"], "it is a character device"),
            (["--output", folder.path + "/dir"], "it is a directory"),
            (["--output", folder.path + "/loop"], "symbolic link to nothing (or a loop)"),
            (["--output", ""], "an empty path"),
            (["--output", folder.path + "/r.json", "--report", "json=\(folder.path)/r.json"], "are the same file"),
            (["--record", device], "it is a character device"),
        ]
        for (arguments, message) in cases {
            let result = try check([Self.ready, "--offline"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(FileKind.of(fifo, followLinks: false) == .fifo)
        #expect(FileKind.of(device, followLinks: false) == .characterDevice)
        // A link to a regular file is written through (the link stays), and `-` is standard output.
        try "old".write(toFile: folder.path + "/real.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.json", withDestinationPath: folder.path + "/real.json")
        #expect(try check([Self.ready, "--offline", "--format", "json", "--output", folder.path + "/link.json"]).status == 0)
        #expect(FileKind.of(folder.path + "/link.json", followLinks: false) == .symbolicLink)
        #expect(try String(contentsOfFile: folder.path + "/real.json", encoding: .utf8).contains("\"verdict\""))
        let stdout = try check([Self.ready, "--offline", "--format", "json", "--output", "-"])
        #expect(stdout.status == 0 && stdout.stdout.contains("\"verdict\""))
    }

    /// Files read from the app are opened without blocking and checked: a FIFO never hangs the
    /// run, and each wrong kind is named as what it is.
    @Test func inputsOfTheWrongKindAreNamedNeverWaitedOn() throws {
        let app = try AppFolder(["preflight.yml": "app:\n  domain: example.com\n  env_files: [.env.production]\nclerk:\n  instance_snapshot: snap.json\n"])
        #expect(mkfifo(app.path + "/snap.json", 0o644) == 0)
        let started = Date()
        let snapshot = try check([app.path, "--offline"])
        #expect(snapshot.status == 2)
        #expect(snapshot.stderr.contains("snap.json is a FIFO, not a regular file"), "\(snapshot.stderr)")

        try FileManager.default.removeItem(atPath: app.path + "/snap.json")
        try "app:\n  domain: example.com\n  env_files: [.env.production]\n".write(toFile: app.path + "/preflight.yml", atomically: true, encoding: .utf8)
        #expect(mkfifo(app.path + "/.env.production", 0o644) == 0)
        let env = try check([app.path, "--offline", "--format", "json"])
        #expect(env.stdout.contains(".env.production is a FIFO, not a regular file"), "\(env.stdout)")
        #expect([1, 3].contains(env.status))
        #expect(Date().timeIntervalSince(started) < 20)

        // --config naming a folder, a recording that is a FIFO.
        let folderConfig = try check([app.path, "--offline", "--config", app.path])
        #expect(folderConfig.status == 2 && folderConfig.stderr.contains("is a directory, not a regular file"), "\(folderConfig.stderr)")
        let replay = try check([app.path, "--replay", app.path + "/.env.production"])
        #expect(replay.status == 2 && replay.stderr.contains("is a FIFO, not a regular file"), "\(replay.stderr)")
        let bundle = try check([app.path, "--ca-bundle", app.path + "/.env.production"])
        #expect(bundle.status == 2 && bundle.stderr.contains("is a FIFO, not a regular file"), "\(bundle.stderr)")
        // A package.json that is a FIFO, read to find a monorepo's apps, is passed over, never waited on.
        let monorepo = try AppFolder([:])
        #expect(mkfifo(monorepo.path + "/package.json", 0o644) == 0)
        #expect(try check([monorepo.path, "--offline", "--format", "json"]).status != 2)
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// Files past their cap are refused at once, saying the cap; nothing is read whole first.
    @Test func oversizedInputsSayTheirCap() throws {
        let app = try AppFolder(["preflight.yml": "app:\n  domain: example.com\nclerk:\n  instance_snapshot: snap.json\n"])
        let big = Data(repeating: 0x20, count: (16 << 20) + 1)
        try big.write(to: URL(fileURLWithPath: app.path + "/snap.json"))
        let started = Date()
        let snapshot = try check([app.path, "--offline"])
        #expect(snapshot.status == 2)
        #expect(snapshot.stderr.contains("snap.json is larger than the 16 MiB cap"), "\(snapshot.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
        try big.write(to: URL(fileURLWithPath: app.path + "/preflight.yml"))
        let config = try check([app.path, "--offline"])
        #expect(config.status == 2 && config.stderr.contains("preflight.yml is larger than the 1 MiB cap"), "\(config.stderr)")
    }

    /// A preflight.yml that is a link to nothing, or a loop, is an error, never "no configuration".
    @Test(arguments: ["dangling", "loop"])
    func aBrokenConfigurationLinkIsExitTwo(_ kind: String) throws {
        let app = try AppFolder([".env.production": "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_live_Y2xlcmsuZXhhbXBsZS5jb20k\n"])
        let link = app.path + "/preflight.yml"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: kind == "loop" ? link : app.path + "/missing.yml")
        let result = try check([app.path, "--offline"])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stderr.contains(kind == "loop" ? "a symbolic link loop" : "a symbolic link to nothing"), "\(result.stderr)")
        // init does not replace it without --force.
        let initialized = try Preflight.run(["init", app.path])
        #expect(initialized.status == 2, "\(initialized.stdout)")
        #expect(FileKind.of(link, followLinks: false) == .symbolicLink)
    }

    /// Bytes that are not UTF-8 are named at their line and column, in the configuration, the
    /// snapshot and the env files.
    @Test func invalidUTF8IsLocated() throws {
        let app = try AppFolder(["snap.json": "{}"])
        try (Data("app:\n  domain: ex".utf8) + Data([0xFF]) + Data("ample.com\n".utf8)).write(to: URL(fileURLWithPath: app.path + "/preflight.yml"))
        let config = try check([app.path, "--offline"])
        #expect(config.status == 2)
        #expect(config.stderr.contains("preflight.yml: not UTF-8 text: invalid byte at 2:13"), "\(config.stderr)")

        try "app:\n  domain: example.com\nclerk:\n  instance_snapshot: snap.json\n".write(toFile: app.path + "/preflight.yml", atomically: true, encoding: .utf8)
        try (Data("{\n  \"a\": \"".utf8) + Data([0xC3, 0x28]) + Data("\"}".utf8)).write(to: URL(fileURLWithPath: app.path + "/snap.json"))
        let snapshot = try check([app.path, "--offline"])
        #expect(snapshot.status == 2)
        #expect(snapshot.stderr.contains("snap.json: not UTF-8 text: invalid byte at 2:9"), "\(snapshot.stderr)")

        try "app:\n  domain: example.com\n".write(toFile: app.path + "/preflight.yml", atomically: true, encoding: .utf8)
        try (Data("A=1\nNEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_".utf8) + Data([0xFE]) + Data("\n".utf8))
            .write(to: URL(fileURLWithPath: app.path + "/.env.production"))
        let env = try check([app.path, "--offline", "--format", "json"])
        #expect(env.stdout.contains(".env.production: not UTF-8 text: invalid byte at 2:38"), "\(env.stdout)")
    }

    /// A file name with an escape sequence and a line break, holding a development key: the
    /// finding names it with both shown as escapes, in text and Markdown alike.
    @Test func aHostileFileNameCannotWriteALineOfItsOwn() throws {
        let name = "dist/x\u{1B}[2J\u{7}\nFAKE PASS everything fine\u{202E}.js"
        let app = try AppFolder(MisconfigurationTests.app("example.com", extra: [
            "preflight.yml": "app:\n  domain: example.com\n  assets: [dist]\n",
            name: "var k=\"pk_test_Zm9vLWJhci0xMy5jbGVyay5hY2NvdW50cy5kZXYk\";",
        ]))
        for format in ["text", "markdown"] {
            let result = try check([app.path, "--offline", "--no-color", "--format", format, "--only", "leakage.no_development_keys"])
            #expect(result.status == 1, "\(result.stdout)")
            // Markdown escapes the backslashes once more, so its source reads \\u{1b}; both render as \u{1b}.
            let shown = "x\\u{1b}[2J\\u{7}\\nFAKE PASS everything fine\\u{202e}.js"
            #expect(result.stdout.contains(format == "text" ? shown : shown.replacingOccurrences(of: "\\", with: "\\\\")), "\(result.stdout)")
            #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" })
            #expect(!result.stdout.split(separator: "\n").contains { $0.hasPrefix("FAKE PASS") })
        }
    }

    /// Two webhook secrets that end alike mask to the same text; the recording keeps a keyed
    /// digest beside each mask, so the replay compares them exactly, as the live run did.
    @Test func aReplayComparesMaskedSecretsExactly() throws {
        let scratch = try AppFolder([:])
        let recording = scratch.path + "/rec.json"
        let live = try check([Self.ready, "--offline", "--format", "json", "--record", recording, "--only", "app.webhook_signing_secret_set"])
        #expect(live.status == 0, "\(live.stdout)")
        let text = try String(contentsOfFile: recording, encoding: .utf8)
        #expect(text.contains("value_digest"))
        #expect(!text.contains("ExampleProductionEndpointSecret") && !text.contains("ExampleDevelopmentEndpointSecret"), "a webhook secret was recorded whole")
        let replayed = try check(["--replay", recording, "--format", "json", "--only", "app.webhook_signing_secret_set"], directory: scratch.path)
        #expect(replayed.status == 0, "\(replayed.stdout)")
        #expect(replayed.stdout.contains("holds production's own webhook signing secret"), "\(replayed.stdout)")
    }

    /// What `init` prints names the folder: a name with an escape sequence shows it as text.
    @Test func initNeutralizesTheFolderName() throws {
        let scratch = try AppFolder([:])
        let app = scratch.path + "/x\u{1B}[2Jfake\u{7}"
        try FileManager.default.createDirectory(atPath: app, withIntermediateDirectories: true)
        let result = try Preflight.run(["init", app])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("x\\u{1b}[2Jfake\\u{7}"), "\(result.stdout)")
        #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" })
    }

    /// `--replay` without a path replays the recorded app with its recorded configuration,
    /// whatever folder it is run from.
    @Test func aReplayWithoutAPathIsTheRecordedApp() throws {
        let scratch = try AppFolder(["preflight.yml": "app:\n  domain: other.example.org\nchecks:\n  keys.publishable_key_live: {enabled: false}\n"])
        let app = try AppFolder(MisconfigurationTests.app("example.com", extra: [
            "preflight.yml": "app:\n  domain: example.com\n  env_files: [.env.production]\nchecks:\n  keys.publishable_key_present: {severity: warning}\n",
        ]))
        let recording = scratch.path + "/rec.json"
        let recorded = try check([app.path, "--offline", "--format", "json", "--record", recording])
        let replayed = try check(["--replay", recording, "--format", "json"], directory: scratch.path)
        #expect(replayed.status == recorded.status, "\(replayed.stderr)")
        func findings(_ json: String) throws -> [String] {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            return (report["findings"] as? [[String: Any]] ?? []).map { "\($0["check_id"] ?? "") \($0["outcome"] ?? "") \($0["message"] ?? "")" }
        }
        #expect(try findings(replayed.stdout) == findings(recorded.stdout))
    }
}
