import Foundation
import PreflightCore

/// Reads a native app's configuration files: iOS entitlements with Foundation's property-list
/// parser, Expo's app.json with its JSON parser, and app.config.* (code) as text for string
/// literals that are associated domains. Each value keeps the line and column it is written at.
enum NativeConfigReader {
    static let associatedDomainsKey = "com.apple.developer.associated-domains"
    static let expoConfigNames: Set<String> = ["app.config.js", "app.config.ts", "app.config.mjs", "app.config.cjs"]

    /// The kind of native configuration a file is, by its name; nil for any other file.
    static func kind(of relative: String) -> SourceScan.NativeConfig.Kind? {
        let name = (relative as NSString).lastPathComponent
        if name.hasSuffix(".entitlements") { return .entitlements }
        if name == "app.json" { return .expoJSON }
        if expoConfigNames.contains(name) { return .expoConfig }
        if name == "project.pbxproj" && relative.contains(".xcodeproj/") { return .xcodeProject }
        return nil
    }

    static func read(_ data: Data, path: String, kind: SourceScan.NativeConfig.Kind) -> SourceScan.NativeConfig? {
        let text = String(decoding: data, as: UTF8.self)
        switch kind {
        case .entitlements:
            guard let plist = try? PropertyListSerialization.propertyList(from: data, format: nil) as? [String: Any] else {
                return SourceScan.NativeConfig(path: path, kind: kind, readError: "not a property list")
            }
            let domains = plist[associatedDomainsKey] as? [String] ?? []
            return SourceScan.NativeConfig(path: path, kind: kind, associatedDomains: domains.map { locate($0, in: text, quoted: ">", "<") })
        case .expoJSON:
            guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                return SourceScan.NativeConfig(path: path, kind: kind, readError: "not a JSON object")
            }
            // An Expo app.json holds its config under "expo"; anything else called app.json is not Expo's.
            guard let expo = root["expo"] as? [String: Any] else { return nil }
            let ios = expo["ios"] as? [String: Any] ?? [:]
            let domains = ios["associatedDomains"] as? [String] ?? []
            let scheme = (expo["scheme"] as? String) ?? (expo["scheme"] as? [String])?.first
            var config = SourceScan.NativeConfig(
                path: path, kind: kind, associatedDomains: domains.map { locate($0, in: text, quoted: "\"", "\"") }, scheme: scheme)
            let android = expo["android"] as? [String: Any] ?? [:]
            config.bundleIdentifiers = [ios["bundleIdentifier"] as? String, android["package"] as? String].compactMap { $0 }
                .reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
            return config
        case .xcodeProject:
            // `PRODUCT_BUNDLE_IDENTIFIER = com.example.app;` of the app targets (not the test bundles).
            var identifiers: [String] = []
            for line in text.split(separator: "\n") {
                guard let range = line.range(of: "PRODUCT_BUNDLE_IDENTIFIER = ") else { continue }
                let value = line[range.upperBound...].prefix { $0 != ";" }.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                guard !value.isEmpty, !value.contains("$("), !value.hasSuffix("Tests"), !identifiers.contains(value) else { continue }
                identifiers.append(value)
            }
            guard !identifiers.isEmpty else { return nil }
            var config = SourceScan.NativeConfig(path: path, kind: kind)
            config.bundleIdentifiers = identifiers
            return config
        case .expoConfig:
            var entries: [SourceScan.NativeConfig.Entry] = []
            for quote in ["'", "\"", "`"] {
                for prefix in ["webcredentials:", "applinks:", "activitycontinuation:"] {
                    var start = text.startIndex
                    while let range = text.range(of: quote + prefix, range: start..<text.endIndex) {
                        start = range.upperBound
                        guard let close = text[range.upperBound...].firstIndex(of: Character(quote)) else { break }
                        let value = String(text[text.index(after: range.lowerBound)..<close])
                        entries.append(position(of: text.index(after: range.lowerBound), in: text, value: value))
                    }
                }
            }
            guard !entries.isEmpty else { return nil }
            return SourceScan.NativeConfig(path: path, kind: kind, associatedDomains: entries.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
    }

    /// Where `value` is written between `open` and `close` (a plist's `>value<`, JSON's "value").
    static func locate(_ value: String, in text: String, quoted open: String, _ close: String) -> SourceScan.NativeConfig.Entry {
        guard let range = text.range(of: open + value + close) else { return SourceScan.NativeConfig.Entry(value: value, line: 1, column: 1) }
        return position(of: text.index(after: range.lowerBound), in: text, value: value)
    }

    static func position(of index: String.Index, in text: String, value: String) -> SourceScan.NativeConfig.Entry {
        let place = TextPosition.of(index, in: text)
        return SourceScan.NativeConfig.Entry(value: value, line: place.line, column: place.column)
    }
}
