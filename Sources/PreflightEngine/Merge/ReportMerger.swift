import Foundation
import PreflightCore
import PreflightProbes
import PreflightReports

/// `preflight merge`: the JSON reports of a sharded CI matrix as one report, with the verdict
/// one run over every app would have given. An app in two reports is an error (the shards
/// were not run with the same `--shard` N).
public struct ReportMerger: Sendable {
    public var checks: [CheckDescription]
    public var files: any FileReading

    public init(checks: [CheckDescription], files: any FileReading = LocalFileSystem()) {
        self.checks = checks
        self.files = files
    }

    public func merge(_ paths: [String]) throws(EngineError) -> Report {
        guard !paths.isEmpty else { throw .usage("give at least one JSON report to merge") }
        var reports: [Report] = []
        for path in paths {
            let data: Data
            do { data = try files.read(path, cap: BoundedFile.recordingCap) } catch { throw .usage("cannot read the report: \(error)") }
            do {
                reports.append(try JSONReportReader.read(data, source: path, checks: checks))
            } catch let error as JSONReportReader.ReadError {
                throw .usage(error.description)
            } catch {
                throw .usage("\(path): \(error)")
            }
        }
        var seen: [String: String] = [:]
        // An empty shard's report has neither apps nor findings: it names no app.
        for (path, report) in zip(paths, reports) where report.isFleet || !report.findings.isEmpty {
            for app in report.isFleet ? report.apps.map(\.name) : [report.metadata.targetPath] {
                if let other = seen.updateValue(path, forKey: app) {
                    throw .usage("app \(app) is in both \(other) and \(path); were the shards run with the same --shard?")
                }
            }
        }
        return JSONReportReader.merge(reports, display: paths.joined(separator: " "))
    }
}
