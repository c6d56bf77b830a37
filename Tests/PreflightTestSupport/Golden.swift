import Foundation
import Testing

/// Golden-file comparison with a record mode that is never silent: with RECORD_SNAPSHOTS=1 a
/// differing file is rewritten and the test still fails once, so a re-record is always seen.
public enum Golden {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func assertMatches(
        _ actual: String, file relativePath: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = packageRoot.appendingPathComponent(relativePath)
        let expected = try? String(contentsOf: url, encoding: .utf8)
        guard expected != actual else { return }
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(relativePath); run the tests again", sourceLocation: sourceLocation)
            return
        }
        let message = "\(relativePath) differs from the output; if the change is intended, run with RECORD_SNAPSHOTS=1\n"
            + firstDifference(expected ?? "", actual)
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, b.count) {
            let left = index < a.count ? String(a[index]) : "<end>"
            let right = index < b.count ? String(b[index]) : "<end>"
            if left != right { return "line \(index + 1):\n  golden: \(left)\n  actual: \(right)" }
        }
        return ""
    }
}
