import CLibXML2
import Foundation
import PreflightCore

public enum HTMLExtractor {
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    public static func extract(html: String, url: String) -> HTMLFacts {
        _ = initialized
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let bytes = Array(html.utf8)
        guard !bytes.isEmpty, let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), url, "UTF-8", options)
            }
        }) else { return HTMLFacts() }
        defer { xmlFreeDoc(document) }

        var facts = HTMLFacts()
        let base = URL(string: url)
        var stack: [xmlNodePtr] = []
        if let root = xmlDocGetRootElement(document) { stack.append(root) }
        // Depth-first, in document order, without recursion (hostile pages nest deeply).
        while let node = stack.popLast() {
            if node.pointee.type == XML_ELEMENT_NODE, let rawName = node.pointee.name {
                let name = String(cString: rawName).lowercased()
                if name == "script" {
                    let attributes = Self.attributes(of: node)
                    if let src = attributes["src"], !src.isEmpty {
                        let resolved = URL(string: src, relativeTo: base)?.absoluteURL.absoluteString ?? src
                        facts.scriptSources.append(resolved)
                        let clerk = attributes.filter { $0.key.hasPrefix("data-clerk-") }
                        if !clerk.isEmpty || src.contains("clerk-js") || src.contains("clerk.browser") {
                            facts.clerkScriptAttributes.merge(clerk) { $1 }
                        }
                    } else if let text = Self.content(of: node), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                        facts.inlineScripts.append(text)
                    }
                } else if name == "title", facts.title == nil {
                    let text = (Self.content(of: node) ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    facts.title = String(text.prefix(200))
                } else if name == "meta" {
                    let attributes = Self.attributes(of: node)
                    if let meta = attributes["name"]?.lowercased(), meta == "robots" || meta == "googlebot", let content = attributes["content"] {
                        facts.robots.append(content)
                    }
                    if attributes["http-equiv"]?.lowercased() == "content-security-policy", let content = attributes["content"] {
                        facts.contentSecurityPolicies.append(content)
                    }
                } else if name == "link" {
                    // Vite and webpack load their chunks ahead with modulepreload links.
                    let attributes = Self.attributes(of: node)
                    let relations = (attributes["rel"] ?? "").lowercased().split(separator: " ")
                    let isScript = relations.contains("modulepreload")
                        || (relations.contains("preload") && attributes["as"]?.lowercased() == "script")
                    if isScript, let href = attributes["href"], !href.isEmpty {
                        facts.scriptSources.append(URL(string: href, relativeTo: base)?.absoluteURL.absoluteString ?? href)
                    }
                }
            }
            var children: [xmlNodePtr] = []
            var child = node.pointee.children
            while let current = child {
                children.append(current)
                child = current.pointee.next
            }
            stack.append(contentsOf: children.reversed())
        }
        return facts
    }

    private static func attributes(of node: xmlNodePtr) -> [String: String] {
        var result: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            if let rawName = current.pointee.name {
                let name = String(cString: rawName).lowercased()
                var value = ""
                if let text = xmlNodeListGetString(node.pointee.doc, current.pointee.children, 1) {
                    value = String(cString: text)
                    preflight_xml_free(text)
                }
                result[name] = value
            }
            attribute = current.pointee.next
        }
        return result
    }

    private static func content(of node: xmlNodePtr) -> String? {
        guard let text = xmlNodeGetContent(node) else { return nil }
        defer { preflight_xml_free(text) }
        return String(cString: text)
    }
}
