import Foundation

/// Findings accepted as they are on the day the baseline was written (`preflight baseline write
/// FILE`): with `--baseline FILE`, only new findings gate; old ones are shown as such; a fixed
/// one drops out. Findings are matched by fingerprint (check id + target identity, never the
/// line), so a finding that moves in its file stays old.
public struct Baseline: Sendable, Hashable, Codable {
    public static let formatName = "preflight-baseline"
    public static let currentVersion = 1

    public struct Entry: Sendable, Hashable, Codable {
        public var fingerprint: String
        public var checkID: String
        /// The target's identity, so a person reading the file knows what was accepted.
        public var target: String
        public var message: String
        /// The app, in a baseline of a fleet: a shard counts as fixed only its own apps' entries.
        public var app: String?

        enum CodingKeys: String, CodingKey { case fingerprint, checkID = "check_id", target, message, app }

        public init(fingerprint: String, checkID: String, target: String, message: String, app: String? = nil) {
            self.fingerprint = fingerprint
            self.checkID = checkID
            self.target = target
            self.message = message
            self.app = app
        }
    }

    public var format: String
    public var version: Int
    public var createdAt: Date
    public var entries: [Entry]

    // Spelled out: a key strategy would not turn check_id back into checkID.
    enum CodingKeys: String, CodingKey { case format, version, createdAt = "created_at", entries }

    /// Every problem and undecided finding of a report (passes and skips need no baseline).
    public init(findings: [Finding], createdAt: Date) {
        format = Self.formatName
        version = Self.currentVersion
        self.createdAt = createdAt
        var seen: Set<String> = []
        entries = findings.filter { [.fail, .warn].contains($0.outcome) || $0.outcome.isUndecided }
            .filter { seen.insert($0.fingerprint).inserted }
            .map { Entry(fingerprint: $0.fingerprint, checkID: $0.checkID, target: $0.target.identity, message: $0.message, app: $0.app) }
            .sorted { ($0.app ?? "", $0.checkID, $0.target) < ($1.app ?? "", $1.checkID, $1.target) }
    }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    public enum DecodingError: Error, CustomStringConvertible {
        case notABaseline(String)
        case unsupportedVersion(Int)
        public var description: String {
            switch self {
            case .notABaseline(let reason): "not a Preflight baseline: \(reason)"
            case .unsupportedVersion(let version): "baseline version \(version) is not supported (this Preflight reads version \(Baseline.currentVersion))"
            }
        }
    }

    public static func decode(_ data: Data) throws(DecodingError) -> Baseline {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        struct Header: Decodable { var format: String?; var version: Int? }
        guard let header = try? decoder.decode(Header.self, from: data), header.format == formatName else {
            throw .notABaseline("no \"format\": \"\(formatName)\"")
        }
        guard header.version == currentVersion else { throw .unsupportedVersion(header.version ?? 0) }
        do {
            return try decoder.decode(Baseline.self, from: data)
        } catch {
            throw .notABaseline("\(error)")
        }
    }

    /// Marks each problem new or unchanged; returns how many baseline entries were not seen
    /// again (fixed, or no longer checked). With `apps` (a fleet, or one shard of it) only the
    /// entries of those apps can be fixed: the other shards' apps were not checked here.
    public func apply(to findings: [Finding], apps: Set<String>? = nil) -> (findings: [Finding], fixed: Int) {
        let known = Set(entries.map(\.fingerprint))
        let inScope = Set(entries.filter { entry in apps.map { scope in entry.app.map(scope.contains) ?? false } ?? true }.map(\.fingerprint))
        var seen: Set<String> = []
        let marked = findings.map { finding -> Finding in
            guard finding.outcome != .pass, !finding.isSkipped else { return finding }
            var finding = finding
            if known.contains(finding.fingerprint) {
                finding.baselineState = .unchanged
                seen.insert(finding.fingerprint)
            } else {
                finding.baselineState = .new
            }
            return finding
        }
        return (marked, inScope.subtracting(seen).count)
    }
}

/// Where a finding stands against the baseline.
public enum BaselineState: String, Sendable, Hashable, Codable {
    /// Not in the baseline: it gates.
    case new
    /// In the baseline: shown, does not gate.
    case unchanged
}

/// Something about a waiver a person should act on.
public struct WaiverNote: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Past its date: no longer applies.
        case expired
        /// Matched no finding that needed waiving: remove it.
        case unused
    }

    public var kind: Kind
    public var waiver: Waiver

    public init(kind: Kind, waiver: Waiver) {
        self.kind = kind
        self.waiver = waiver
    }

    public var message: String {
        let target = waiver.target.map { " (\($0))" } ?? ""
        switch kind {
        case .expired: return "waiver for \(waiver.checkID)\(target) expired on \(waiver.expires ?? "?") and no longer applies: \(waiver.reason)"
        case .unused: return "waiver for \(waiver.checkID)\(target) matches no finding: remove it"
        }
    }
}
