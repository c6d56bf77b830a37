import ArgumentParser
import Foundation

/// Entry point. Maps every way out to the documented exit codes: 0 ready, 1 not ready,
/// 2 usage or configuration error, 3 could not decide.
@main
enum Main {
    static func main() async {
        do {
            var command = try Preflight.parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            // --help and --version end here with a clean exit.
            if Preflight.exitCode(for: error) == .success { Preflight.exit(withError: error) }
            Console.standard.error(Preflight.fullMessage(for: error))
            Foundation.exit(ExitStatus.usage)
        }
    }
}

/// Exit codes documented in the README.
enum ExitStatus {
    static let usage: Int32 = 2
}
