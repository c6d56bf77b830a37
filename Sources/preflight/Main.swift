import ArgumentParser
import Foundation
import PreflightEngine

/// Entry point. Maps every way out to the documented exit codes: 0 ready, 1 not ready,
/// 2 usage or configuration error, 3 could not decide, 4 --wait ran out of time.
@main
enum Main {
    static func main() async {
        do {
            var command = try Preflight.parseAsRoot(Self.expandingWait(Array(CommandLine.arguments.dropFirst())))
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch EngineError.reported {
            // Its problems were printed as they were found, each with its place.
            Foundation.exit(ExitStatus.usage)
        } catch EngineError.usage(let message) {
            Console.standard.error(Preflight.fullMessage(for: ValidationError(message)))
            Foundation.exit(ExitStatus.usage)
        } catch {
            // --help and --version end here with a clean exit.
            if Preflight.exitCode(for: error) == .success { Preflight.exit(withError: error) }
            Console.standard.error(Preflight.fullMessage(for: error))
            Foundation.exit(ExitStatus.usage)
        }
    }
}

extension Main {
    /// `--wait=30m` is `--wait --wait-timeout 30m`, and `--history=available` is `--history
    /// --history-available` (an option cannot both stand alone and take a value).
    static func expandingWait(_ arguments: [String]) -> [String] {
        // After "--" every argument is a path, taken as it is.
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        return arguments[..<end].flatMap { argument -> [String] in
            if argument.hasPrefix("--wait=") { return ["--wait", "--wait-timeout", String(argument.dropFirst("--wait=".count))] }
            if argument == "--history=available" { return ["--history", "--history-available"] }
            return [argument]
        } + arguments[end...]
    }
}

/// Exit codes documented in the README.
enum ExitStatus {
    static let usage: Int32 = 2
    // 0, 1 and 3 are the verdict's and 4 a --wait that ran out of time: `Report.exitCode`.
}
