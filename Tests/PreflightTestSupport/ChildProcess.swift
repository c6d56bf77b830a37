import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs programs for tests with posix_spawn.
///
/// Not Foundation.Process: started from a test thread it inherits a blocked signal mask, so
/// termination and waiting can hang (swift-corelibs-foundation#4772). Here the child gets an
/// empty mask and default handlers, output goes to files (no pipe to fill up), and a child
/// that outlives its deadline is killed with SIGKILL.
public struct ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public enum Failure: Error, CustomStringConvertible {
        case spawn(String, Int32)
        case timedOut(String, seconds: Double)
        public var description: String {
            switch self {
            case .spawn(let path, let code): "cannot start \(path): \(String(cString: strerror(code)))"
            case .timedOut(let path, let seconds): "\(path) did not finish within \(seconds) s and was killed"
            }
        }
    }

    /// Starts `executable` with `arguments`, an exact `environment`, in `directory`.
    /// Returns once it has exited (or throws after `timeout` seconds, having killed it).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        directory: String? = nil, timeout: Double = 120
    ) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path

        // glibc's posix_spawn_file_actions_addchdir_np is not imported: a shell changes folder.
        var (executable, arguments) = (executable, arguments)
        if let directory {
            arguments = ["-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments
            executable = "/bin/sh"
        }
        let pid = try spawn(executable, arguments, environment: environment, stdout: outPath, stderr: errPath, newGroup: false)

        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid { break }
            if waited == -1 && errno != EINTR { break }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw Failure.timedOut(executable, seconds: timeout)
            }
            usleep(2_000)
        }
        // WIFEXITED / WEXITSTATUS are macros Swift does not import.
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Result(status: exitStatus, stdout: stdout, stderr: stderr)
    }

    /// Starts `executable` in the background, in a process group of its own (so everything
    /// it starts can be killed with it), output appended to `logPath`. Returns its pid.
    public static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], logPath: String) throws -> pid_t {
        try spawn(executable, arguments, environment: environment, stdout: logPath, stderr: logPath, newGroup: true, append: true)
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], stdout: String, stderr: String,
        newGroup: Bool, append: Bool = false
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let mode = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, mode, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, mode, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw Failure.spawn(executable, code) }
        return pid
    }

    /// The absolute path of a program on PATH.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
