import Foundation

/// A Clerk publishable key: `pk_test_` or `pk_live_`, then base64 of `<frontend-api-host>$`.
///
/// Decoding follows clerk/javascript `packages/shared/src/keys.ts` (`parsePublishableKey`).
public struct PublishableKey: Sendable, Hashable {
    public enum Instance: String, Sendable, Codable {
        case development, production
    }

    /// Why a string is not a valid publishable key; the text is shown to users.
    public enum DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
        case wrongPrefix
        case wrongPartCount(Int)
        case invalidBase64
        case missingDollar
        case extraDollar
        case missingDot

        public var description: String {
            switch self {
            case .wrongPrefix: "it does not start with pk_live_ or pk_test_"
            case .wrongPartCount(let count): "it has \(count) parts separated by '_' instead of 3"
            case .invalidBase64: "its payload is not valid base64"
            case .missingDollar: "its payload does not end with '$'"
            case .extraDollar: "its payload holds more than one '$'"
            case .missingDot: "its payload is not a host name (no '.')"
            }
        }
    }

    public static let livePrefix = "pk_live_"
    public static let testPrefix = "pk_test_"

    public let rawValue: String
    /// From the prefix only: the host says nothing reliable about the instance type.
    public let instance: Instance
    /// The Frontend API host the key points at.
    public let frontendAPIHost: String

    public init(_ rawValue: String) throws(DecodingError) {
        let instance: Instance
        if rawValue.hasPrefix(Self.livePrefix) {
            instance = .production
        } else if rawValue.hasPrefix(Self.testPrefix) {
            instance = .development
        } else {
            throw .wrongPrefix
        }
        let parts = rawValue.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .wrongPartCount(parts.count) }
        guard let decoded = Self.decodeBase64(String(parts[2])) else { throw .invalidBase64 }
        guard decoded.hasSuffix("$") else { throw .missingDollar }
        let host = String(decoded.dropLast())
        guard !host.contains("$") else { throw .extraDollar }
        guard host.contains(".") else { throw .missingDot }
        self.rawValue = rawValue
        self.instance = instance
        self.frontendAPIHost = host
    }

    /// Builds the key Clerk would issue for a host (no `=` padding, as new keys have).
    public static func encode(host: String, instance: Instance) -> String {
        let payload = Data("\(host)$".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        return (instance == .production ? livePrefix : testPrefix) + payload
    }

    /// Standard-alphabet base64 with optional padding; `nil` for anything else, and for bytes
    /// that are not UTF-8.
    static func decodeBase64(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.allSatisfy({ byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2B || byte == 0x2F || byte == 0x3D
        }) else { return nil }
        let unpadded = text.trimmingCharacters(in: CharacterSet(charactersIn: "="))
        guard !unpadded.contains("="), unpadded.count % 4 != 1 else { return nil }
        let padded = unpadded + String(repeating: "=", count: (4 - unpadded.count % 4) % 4)
        guard let data = Data(base64Encoded: padded) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
