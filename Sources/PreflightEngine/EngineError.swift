/// Why a run could not be made: each is a usage or configuration error (exit 2).
public enum EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A mistake in what was given (a flag, a path, a file), in one sentence.
    case usage(String)
    /// Mistakes already reported through `Diagnostics`, each with its file, line and column.
    case reported

    public var description: String {
        switch self {
        case .usage(let message): message
        case .reported: "the problems above must be fixed first"
        }
    }
}
