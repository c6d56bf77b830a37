/// The tool's version, shown by `--version`, in reports and in the HTTP User-Agent.
public enum PreflightVersion {
    public static let current = "0.1.0"
}
