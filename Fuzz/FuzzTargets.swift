import Foundation
import PreflightChecks
import PreflightCore
import PreflightProbes

/// libFuzzer targets over every parser of outside input. `bench/fuzz` builds this target with
/// `-sanitize=fuzzer,address -D FUZZING` and runs each target for a while; built normally it is
/// a replayer: `preflight-fuzz TARGET FILE...` runs each file through the target once, which is
/// how a crash found by the fuzzer is reproduced and kept as a regression test.
enum FuzzTargets {
    static let checks = BuiltinChecks.registry.descriptions

    /// Each target takes the raw bytes as the outside world would hand them over.
    static let all: [String: @Sendable (Data) -> Void] = [
        "dotenv": { data in
            _ = Dotenv.parse(String(decoding: data, as: UTF8.self))
        },
        "configuration": { data in
            _ = try? ConfigurationLoader(checks: checks).load(text: String(decoding: data, as: UTF8.self), path: "preflight.yml")
        },
        "snapshot": { data in
            _ = try? InstanceSnapshotLoader().load(text: String(decoding: data, as: UTF8.self), path: "clerk-instance.json")
        },
        "key": { data in
            let text = String(decoding: data, as: UTF8.self)
            if let key = try? PublishableKey(text) { _ = PublishableKey.encode(host: key.frontendAPIHost, instance: key.instance) }
            _ = ClerkStringScanner.scan(text)
        },
        "html": { data in
            let facts = HTMLExtractor.extract(html: String(decoding: data, as: UTF8.self), url: "https://example.com/app/")
            for script in facts.inlineScripts { _ = ScriptReferences.extract(from: script, url: "https://example.com/app/") }
        },
        "scripts": { data in
            _ = ScriptReferences.extract(from: String(decoding: data, as: UTF8.self), url: "https://example.com/app/")
        },
        "csp": { data in
            for policy in ContentSecurityPolicy.policies(header: String(decoding: data, as: UTF8.self)) {
                _ = policy.allows("https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js", directive: "script-src", pageURL: "https://example.com/")
                _ = policy.allowsUnsafeInline("style-src")
            }
        },
        "robots": { data in
            let robots = RobotsTxt(String(decoding: data, as: UTF8.self))
            _ = robots.allows("/sign-in", for: "Googlebot")
            _ = robots.allows("/", for: "*")
        },
        "caa": { data in
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                if let property = CAAProperty(record: String(line)) { _ = (property.issuer, property.parameters, property.isCritical) }
            }
        },
        "dns-answer": { data in
            _ = DNSAnswerParser.parse([UInt8](data), question: DNSQuestion("clerk.example.com", .cname))
        },
        "recording": { data in
            _ = try? EvidenceRecording.decode(data)
        },
    ]
}

/// The target this process fuzzes (libFuzzer's callback cannot capture).
nonisolated(unsafe) private var fuzzed: (@Sendable (Data) -> Void)?

#if FUZZING
/// What libFuzzer calls with each input (its library names this symbol, so it must exist).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzed?(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

/// libFuzzer's entry for programs that keep their own main (SwiftPM names the executable's).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif

@main
enum FuzzMain {
    static func main() {
        #if FUZZING
        // libFuzzer owns the arguments: the target comes from the environment.
        let name = ProcessInfo.processInfo.environment["PREFLIGHT_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTargets.all[name] else {
            FileHandle.standardError.write(Data("PREFLIGHT_FUZZ_TARGET must name one of: \(FuzzTargets.all.keys.sorted().joined(separator: ", "))\n".utf8))
            exit(2)
        }
        fuzzed = target
        var argc = CommandLine.argc
        var argv = Optional(CommandLine.unsafeArgv)
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
        #else
        // The replayer: each file through the target once.
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTargets.all[name] else {
            print("usage: preflight-fuzz TARGET FILE...   targets: \(FuzzTargets.all.keys.sorted().joined(separator: ", "))")
            exit(2)
        }
        for file in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: file) else { print("cannot read \(file)"); exit(2) }
            target(data)
        }
        print("\(arguments.count - 1) input(s) through \(name): no crash")
        #endif
    }
}
