import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PreflightCore

/// JUnit XML as GitLab and Jenkins read it: a test suite per pack (per app and pack in a run
/// over several apps, named `app/pack`), a test case per check and
/// target. A finding that fails the gate is a `<failure>`; one that could not decide is an
/// `<error>`; skipped and waived findings are `<skipped>`; a warning below the gate and an old
/// finding of the baseline pass, with their message in `<system-out>`. Built as an XML
/// document (FoundationXML), so every value is escaped by the serializer.
public struct JUnitReporter: Reporter {
    public init() {}

    public func render(_ report: Report) -> String {
        let gating = Set(report.gatingFindings.map(\.fingerprint))
        let metadata = report.metadata
        let apps = Dictionary(report.apps.map { ($0.name, $0) }) { first, _ in first }
        // Suites by app (none in a one-app run), then pack.
        let suites = Dictionary(grouping: report.findings) { finding in
            SuiteKey(app: finding.app ?? "", pack: finding.checkID.split(separator: ".").first.map(String.init) ?? finding.checkID)
        }

        let root = XMLElement(name: "testsuites")
        var totals = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for key in suites.keys.sorted(by: { ($0.app, $0.pack) < ($1.app, $1.pack) }) {
            let findings = suites[key]!
            let pack = key.pack
            let app = apps[key.app]
            let configPath = app == nil ? metadata.configPath : app?.configPath
            let file = configPath ?? "preflight.yml"
            let classname = key.app.isEmpty ? "preflight.\(pack)" : "preflight.\(key.app).\(pack)"
            let suite = XMLElement(name: "testsuite")
            var counts = (tests: 0, failures: 0, errors: 0, skipped: 0)
            let properties = XMLElement(name: "properties")
            var values = [("target", app?.path ?? metadata.targetPath), ("config", configPath ?? "none"), ("fail_on", metadata.failOn.rawValue),
                          ("offline", "\(metadata.offline)"), ("baseline", metadata.baselinePath ?? "none")]
            if !key.app.isEmpty { values.insert(("app", key.app), at: 0) }
            for (name, value) in values {
                properties.addChild(Self.element("property", ["name": name, "value": value]))
            }
            suite.addChild(properties)
            var names: Set<String> = []
            for finding in findings {
                counts.tests += 1
                // Duplicate names count once in GitLab: the target keeps each case apart.
                var name = "[\(finding.severity.rawValue.uppercased())][\(finding.checkID)] \(finding.title) — \(finding.target.display)"
                if !names.insert(name).inserted { name += " #\(counts.tests)" }
                let testcase = Self.element("testcase", ["name": name, "classname": classname, "file": file, "time": "0"])
                let details = Self.details(finding)
                switch finding.outcome {
                case .fail where gating.contains(finding.fingerprint), .warn where gating.contains(finding.fingerprint):
                    counts.failures += 1
                    testcase.addChild(Self.element("failure", ["message": finding.message, "type": finding.outcome.name], text: details))
                case .error where finding.gates:
                    counts.errors += 1
                    testcase.addChild(Self.element("error", ["message": finding.message, "type": "could-not-decide"], text: details))
                case .confirm(let action) where finding.gates:
                    counts.errors += 1
                    testcase.addChild(Self.element("error", ["message": "confirm by hand: \(finding.message)", "type": "confirm-by-hand"],
                                                   text: "\(action)\n\(details)"))
                case .skipped(let reason):
                    counts.skipped += 1
                    testcase.addChild(Self.element("skipped", ["message": reason]))
                case .fail, .warn, .error, .confirm:
                    if let waiver = finding.waiver {
                        counts.skipped += 1
                        testcase.addChild(Self.element("skipped", ["message": "waived: \(waiver.reason)" + (waiver.expires.map { ", expires \($0)" } ?? "")]))
                    } else {
                        let why = finding.baselineState == .unchanged ? "in the baseline" : "below the gate (\(metadata.failOn.rawValue))"
                        testcase.addChild(Self.element("system-out", [:], text: "\(finding.outcome.name), \(why): \(finding.message)\n\(details)"))
                    }
                case .pass:
                    break
                }
                suite.addChild(testcase)
            }
            for (name, value) in [("name", key.app.isEmpty ? pack : "\(key.app)/\(pack)"), ("tests", "\(counts.tests)"), ("failures", "\(counts.failures)"), ("errors", "\(counts.errors)"),
                                  ("skipped", "\(counts.skipped)"), ("time", "0"), ("timestamp", metadata.startedAt.formatted(.iso8601))] {
                suite.addAttribute(XMLNode.attribute(withName: name, stringValue: value) as! XMLNode)
            }
            root.addChild(suite)
            totals = (totals.tests + counts.tests, totals.failures + counts.failures, totals.errors + counts.errors, totals.skipped + counts.skipped)
        }
        let duration = String(format: "%.3f", metadata.finishedAt.timeIntervalSince(metadata.startedAt))
        for (name, value) in [("name", "preflight"), ("tests", "\(totals.tests)"), ("failures", "\(totals.failures)"), ("errors", "\(totals.errors)"),
                              ("skipped", "\(totals.skipped)"), ("time", duration)] {
            root.addAttribute(XMLNode.attribute(withName: name, stringValue: value) as! XMLNode)
        }
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlString(options: [.nodePrettyPrint]) + "\n"
    }

    struct SuiteKey: Hashable {
        var app: String
        var pack: String
    }

    static func element(_ name: String, _ attributes: [String: String], text: String? = nil) -> XMLElement {
        let element = XMLElement(name: name)
        // Attribute order is fixed, so the file is the same from run to run.
        for key in attributes.keys.sorted() {
            element.addAttribute(XMLNode.attribute(withName: key, stringValue: attributes[key]!) as! XMLNode)
        }
        if let text { element.stringValue = text }
        return element
    }

    /// Evidence, hint and docs link, as the failure's body.
    static func details(_ finding: Finding) -> String {
        var lines = ["at \(finding.target.display)"]
        lines += finding.evidence.map { "\($0.label): \($0.value)" }
        lines.append("hint: \(finding.hint)")
        if let docs = finding.docs { lines.append("docs: \(docs)") }
        return lines.joined(separator: "\n")
    }
}
