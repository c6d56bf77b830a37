import CAres
import Foundation
import PreflightCore

/// Reads a raw DNS reply with glibc's ns_initparse / ns_parserr, and follows the CNAME
/// chain itself: c-ares' own parsers cannot tell a full answer from a chain that ends
/// without the asked type.
public enum DNSAnswerParser {
    static func answer(for question: DNSQuestion, status: Int32, reply: [UInt8]?) -> DNSAnswer {
        switch status {
        case ARES_ETIMEOUT: return DNSAnswer(question: question, outcome: .timeout)
        case ARES_ECONNREFUSED: return DNSAnswer(question: question, outcome: .failed("connection refused by the DNS server"))
        case ARES_EDESTRUCTION, ARES_ECANCELLED: return DNSAnswer(question: question, outcome: .failed("query cancelled"))
        case ARES_EBADNAME: return DNSAnswer(question: question, outcome: .failed("not a valid DNS name"))
        default: break
        }
        guard let reply, !reply.isEmpty else {
            let outcome: DNSOutcome = switch status {
            case ARES_ESERVFAIL: .servfail
            case ARES_EREFUSED: .refused
            case ARES_ENOTFOUND: .nxdomain
            case ARES_ENODATA: .nodata
            default: .failed(String(cString: ares_strerror(status)))
            }
            return DNSAnswer(question: question, outcome: outcome)
        }
        return parse(reply, question: question)
    }

    /// Public for the fuzz harness (Fuzz/): the bytes of a reply are outside input.
    public static func parse(_ reply: [UInt8], question: DNSQuestion) -> DNSAnswer {
        reply.withUnsafeBufferPointer { buffer -> DNSAnswer in
            var message = ns_msg()
            guard ns_initparse(buffer.baseAddress, Int32(buffer.count), &message) == 0 else {
                return DNSAnswer(question: question, outcome: .failed("malformed DNS reply"))
            }
            let rcode = preflight_ns_msg_rcode(&message)
            var cnames: [String: String] = [:]
            var records: [DNSRecord] = []
            for index in 0..<preflight_ns_msg_count(&message, ns_s_an) {
                var rr = ns_rr()
                guard ns_parserr(&message, ns_s_an, Int32(index), &rr) == 0 else { continue }
                let owner = ClerkHosts.normalize(String(cString: preflight_ns_rr_name(&rr)))
                let type = preflight_ns_rr_type(&rr)
                let ttl = Int(preflight_ns_rr_ttl(&rr))
                guard let value = decodeRData(&message, &rr, type: type) else { continue }
                if type == DNSRecordType.cname.code {
                    cnames[owner] = ClerkHosts.normalize(value)
                }
                if type == question.type.code, let recordType = DNSRecordType.allCases.first(where: { $0.code == type }) {
                    records.append(DNSRecord(name: owner, type: recordType, ttl: ttl, value: value))
                }
            }
            // Follow the chain from the question's name, stopping at a loop.
            var chain = [question.name]
            while let next = cnames[chain.last!], !chain.contains(next), chain.count < 16 { chain.append(next) }
            if question.type != .cname {
                records = records.filter { $0.name == chain.last! }
            }

            let outcome: DNSOutcome
            switch rcode {
            case 0:
                outcome = !records.isEmpty ? .answer : (chain.count > 1 ? .dangling : .nodata)
            case 3:
                outcome = chain.count > 1 ? .dangling : .nxdomain
            case 2: outcome = .servfail
            case 5: outcome = .refused
            default: outcome = .failed("DNS response code \(rcode)")
            }
            return DNSAnswer(question: question, outcome: outcome, chain: chain, records: records)
        }
    }

    /// The record's data as text.
    private static func decodeRData(_ message: inout ns_msg, _ rr: inout ns_rr, type: Int32) -> String? {
        let length = Int(preflight_ns_rr_rdlen(&rr))
        guard let rdata = preflight_ns_rr_rdata(&rr) else { return nil }
        let bytes = UnsafeBufferPointer(start: rdata, count: length)
        switch type {
        case DNSRecordType.a.code, DNSRecordType.aaaa.code:
            let family = type == DNSRecordType.a.code ? AF_INET : AF_INET6
            guard length == (family == AF_INET ? 4 : 16) else { return nil }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(family, rdata, &text, socklen_t(text.count)) != nil else { return nil }
            return text.asString
        case DNSRecordType.cname.code:
            return name(&message, at: rdata)
        case DNSRecordType.mx.code:
            guard length > 2, let host = name(&message, at: rdata + 2) else { return nil }
            return "\(Int(bytes[0]) << 8 | Int(bytes[1])) \(host)"
        case DNSRecordType.txt.code:
            // One or more <length><text> strings, joined as resolvers show them.
            var text = ""
            var offset = 0
            while offset < length {
                let count = Int(bytes[offset])
                guard offset + 1 + count <= length else { break }
                text += String(decoding: bytes[(offset + 1)..<(offset + 1 + count)], as: UTF8.self)
                offset += 1 + count
            }
            return text
        case DNSRecordType.caa.code:
            guard length >= 2 else { return nil }
            let tagLength = Int(bytes[1])
            guard 2 + tagLength <= length else { return nil }
            let tag = String(decoding: bytes[2..<(2 + tagLength)], as: UTF8.self)
            let value = String(decoding: bytes[(2 + tagLength)...], as: UTF8.self)
            return "\(bytes[0]) \(tag) \"\(value)\""
        default:
            return nil
        }
    }

    private static func name(_ message: inout ns_msg, at pointer: UnsafePointer<UInt8>) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NS_MAXDNAME))
        guard ns_name_uncompress(preflight_ns_msg_base(&message), preflight_ns_msg_end(&message), pointer, &buffer, buffer.count) >= 0 else {
            return nil
        }
        return ClerkHosts.normalize(buffer.asString)
    }
}

extension Array where Element == CChar {
    /// A NUL-terminated C buffer as text.
    var asString: String {
        String(decoding: prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
