import CCmark
import Foundation

// A thin, safe view of a cmark document: only what chapters need (code blocks with their
// lines, the block right after them, headings). Rendering for the site and the terminal
// builds on the same document.

/// A parsed CommonMark document. Owns the cmark tree.
final class MarkdownDocument {
    let root: OpaquePointer

    /// Parses `text`; cmark accepts any input, so this cannot fail.
    init(_ text: String) {
        var bytes = Array(text.utf8)
        let count = bytes.count
        root = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(count, 1)) { ptr in
                cmark_parse_document(ptr, count, CMARK_OPT_DEFAULT)
            }
        }
    }

    deinit { cmark_node_free(root) }

    /// Every node in document order (pre-order).
    func nodes() -> [MarkdownNode] {
        var result: [MarkdownNode] = []
        guard let iter = cmark_iter_new(root) else { return result }
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter) {
                result.append(MarkdownNode(node))
            }
        }
        return result
    }
}

/// A node of a `MarkdownDocument` (valid while the document lives).
struct MarkdownNode {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    var type: cmark_node_type { cmark_node_get_type(pointer) }
    var isCodeBlock: Bool { type == CMARK_NODE_CODE_BLOCK }
    var isBlockQuote: Bool { type == CMARK_NODE_BLOCK_QUOTE }
    var isHeading: Bool { type == CMARK_NODE_HEADING }
    var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }
    var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
    var endLine: Int { Int(cmark_node_get_end_line(pointer)) }
    var fenceInfo: String { cmark_node_get_fence_info(pointer).map { String(cString: $0) } ?? "" }
    var literal: String { cmark_node_get_literal(pointer).map { String(cString: $0) } ?? "" }
    var next: MarkdownNode? { cmark_node_next(pointer).map(MarkdownNode.init) }
    var firstChild: MarkdownNode? { cmark_node_first_child(pointer).map(MarkdownNode.init) }

    /// The plain text of the node's inline content (for titles and hints).
    var plainText: String {
        var text = ""
        guard let iter = cmark_iter_new(pointer) else { return text }
        defer { cmark_iter_free(iter) }
        var lastBlockLine = -1
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let raw = cmark_iter_get_node(iter) else { continue }
            let node = MarkdownNode(raw)
            switch node.type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += node.literal
            case CMARK_NODE_SOFTBREAK: text += " "
            case CMARK_NODE_LINEBREAK: text += "\n"
            case CMARK_NODE_PARAGRAPH:
                if lastBlockLine >= 0 { text += "\n\n" }
                lastBlockLine = node.startLine
            default: break
            }
        }
        return text
    }
}

extension MarkdownNode {
    var isParagraph: Bool { type == CMARK_NODE_PARAGRAPH }
    var isImage: Bool { type == CMARK_NODE_IMAGE }
    var url: String { cmark_node_get_url(pointer).map { String(cString: $0) } ?? "" }

    /// The node rendered by cmark as HTML. Safe mode: raw HTML in a chapter becomes a comment
    /// and `javascript:` links are dropped, so the site never carries scripts.
    var html: String {
        guard let raw = cmark_render_html(pointer, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(raw) }
        return String(cString: raw)
    }
}

extension MarkdownDocument {
    /// Top-level blocks in document order.
    func blocks() -> [MarkdownNode] {
        var result: [MarkdownNode] = []
        var node = cmark_node_first_child(root).map(MarkdownNode.init)
        while let current = node {
            result.append(current)
            node = current.next
        }
        return result
    }

    /// Images anywhere in the document, with the line of the block that holds them.
    func images() -> [(url: String, line: Int)] {
        var result: [(String, Int)] = []
        var blockLine = 1
        for node in nodes() {
            if node.startLine > 0, !node.isImage, node.type.rawValue < CMARK_NODE_FIRST_INLINE.rawValue { blockLine = node.startLine }
            if node.isImage { result.append((node.url, node.startLine > 0 ? node.startLine : blockLine)) }
        }
        return result
    }
}

extension MarkdownNode {
    /// The image, when it is the node's only child (a figure paragraph).
    var onlyImage: MarkdownNode? {
        let kids = children()
        return kids.count == 1 && kids[0].isImage ? kids[0] : nil
    }

    /// Direct children in order.
    func children() -> [MarkdownNode] {
        var result: [MarkdownNode] = []
        var node = firstChild
        while let current = node { result.append(current); node = current.next }
        return result
    }
}

/// Replacements `HTMLRenderer` puts into the tree.
enum MarkdownReplacement {
    case html(String, block: Bool)
}

extension MarkdownNode {
    var isRawHTML: Bool { type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE }

    /// The node and everything under it, in document order (collected first, so the tree may
    /// be edited while walking the result).
    func descendants() -> [MarkdownNode] {
        var result: [MarkdownNode] = []
        guard let iter = cmark_iter_new(pointer) else { return result }
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter) { result.append(MarkdownNode(node)) }
        }
        return result
    }

    /// Swaps this node for `replacement` and frees it (do not use this node afterwards).
    func replace(with replacement: MarkdownReplacement) {
        switch replacement {
        case .html(let html, let block):
            guard let new = cmark_node_new(block ? CMARK_NODE_HTML_BLOCK : CMARK_NODE_HTML_INLINE) else { return }
            cmark_node_set_literal(new, html)
            if cmark_node_replace(pointer, new) == 1 { cmark_node_free(pointer) } else { cmark_node_free(new) }
        }
    }

    /// Unlinks and frees the node.
    func remove() {
        cmark_node_unlink(pointer)
        cmark_node_free(pointer)
    }

    /// Rendered keeping HTML nodes: only for trees whose HTML nodes the renderer put there.
    var unsafeHTML: String {
        guard let raw = cmark_render_html(pointer, CMARK_OPT_UNSAFE) else { return "" }
        defer { free(raw) }
        return String(cString: raw)
    }
}
