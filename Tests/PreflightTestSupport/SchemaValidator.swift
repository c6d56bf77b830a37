import Foundation
import Testing

/// Validates JSON against a schema under schemas/ (the report's by default) with Python's
/// `jsonschema`, an implementation independent of ours (installed by scripts/bootstrap).
public enum SchemaValidator {
    public static func validate(json: String, schema name: String = "report") throws -> ChildProcess.Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let schema = Golden.packageRoot.appendingPathComponent("schemas/\(name).schema.json").path
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            errors = list(validator.iter_errors(json.load(open(sys.argv[2]))))
            for error in errors: print(list(error.path), error.message)
            sys.exit(1 if errors else 0)
            """
        let python = try #require(ChildProcess.which("python3"))
        return try ChildProcess.run(python, ["-c", script, schema, file.path], environment: ProcessInfo.processInfo.environment)
    }
}
