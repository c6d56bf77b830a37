/// What a finding is about: a place in a file, a URL, a DNS name or a Clerk setting.
///
/// Its `identity` is part of the finding's fingerprint, so it must not contain anything that
/// changes between runs for the same problem (such as a line number that moves).
public enum Target: Sendable, Hashable, Codable {
    /// A file, with an optional 1-based line and column.
    case file(path: String, line: Int?, column: Int?, subject: String?)
    /// A variable in the process environment.
    case environment(variable: String)
    case url(String)
    case dnsName(String)
    /// A setting of the Clerk instance, as a dotted path (`display_config.home_url`).
    case clerkSetting(String)
    /// The application as a whole, for findings about something absent.
    case application

    /// Stable identity: file and subject, without line and column.
    public var identity: String {
        switch self {
        case .file(let path, _, _, let subject): subject.map { "\(path)#\($0)" } ?? path
        case .environment(let variable): "env:\(variable)"
        case .url(let url): url
        case .dnsName(let name): "dns:\(name)"
        case .clerkSetting(let path): "clerk:\(path)"
        case .application: "application"
        }
    }

    /// Human-readable location, `path:line:column` for files.
    public var display: String {
        switch self {
        case .file(let path, let line, let column, let subject):
            var text = path
            if let line { text += ":\(line)" }
            if let line = line, line > 0, let column { text += ":\(column)" }
            if let subject { text += " (\(subject))" }
            return text
        case .environment(let variable): return "$\(variable) (environment)"
        case .url(let url): return url
        case .dnsName(let name): return name
        case .clerkSetting(let path): return "clerk: \(path)"
        case .application: return "application"
        }
    }

    public var filePath: String? {
        if case .file(let path, _, _, _) = self { return path }
        return nil
    }
    public var line: Int? {
        if case .file(_, let line, _, _) = self { return line }
        return nil
    }
    public var column: Int? {
        if case .file(_, _, let column, _) = self { return column }
        return nil
    }
}

extension Target {
    /// The same target with its outside text made safe to show (`OutsideText`).
    public var neutralized: Target {
        switch self {
        case .file(let path, let line, let column, let subject):
            .file(path: OutsideText.neutralized(path), line: line, column: column, subject: subject.map(OutsideText.neutralized))
        case .environment(let variable): .environment(variable: OutsideText.neutralized(variable))
        case .url(let url): .url(OutsideText.neutralized(url))
        case .dnsName(let name): .dnsName(OutsideText.neutralized(name))
        case .clerkSetting(let path): .clerkSetting(OutsideText.neutralized(path))
        case .application: .application
        }
    }
}
