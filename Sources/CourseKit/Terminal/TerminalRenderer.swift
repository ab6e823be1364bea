import CCmark

// Markdown prose for the terminal (`course step`): headings, emphasis, lists, block quotes,
// links as "text (url)", code highlighted. Paragraphs are wrapped to the given width.

public struct TerminalRenderer {
    public var style: Style
    public var width: Int
    /// How an image reads in prose, given its alt text, in the learner's language.
    public var image: @Sendable (String) -> String = { "[image: \($0)]" }

    public init(style: Style, width: Int = 88) {
        self.style = style
        self.width = max(40, width)
    }

    /// Renders a Markdown fragment (prose between steps).
    public func render(_ markdown: String) -> String {
        let document = MarkdownDocument(markdown)
        var out: [String] = []
        var child = MarkdownNode(document.root).firstChild
        while let node = child {
            out.append(block(node, indent: ""))
            child = node.next
        }
        return out.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    private func block(_ node: MarkdownNode, indent: String) -> String {
        switch node.type {
        case CMARK_NODE_HEADING:
            let text = inline(node)
            let level = node.headingLevel
            // Underlined (═ for the title, ─ for sections), not `##`: the reader sees headings, not Markdown.
            let line = style.bold(text)
            return level <= 2 ? line + "\n" + indent + String(repeating: level == 1 ? "═" : "─", count: min(width, visibleLength(text))) : line
        case CMARK_NODE_PARAGRAPH:
            return wrap(inline(node), indent: indent)
        case CMARK_NODE_BLOCK_QUOTE:
            var parts: [String] = []
            var child = node.firstChild
            while let c = child { parts.append(block(c, indent: indent + "│ ")); child = c.next }
            return parts.joined(separator: "\n" + indent + "│\n").split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(indent + "│ ") ? style.dim(String($0)) : style.dim(indent + "│ ") + $0 }.joined(separator: "\n")
        case CMARK_NODE_LIST:
            var items: [String] = []
            var index = Int(cmark_node_get_list_start(node.pointer))
            let ordered = cmark_node_get_list_type(node.pointer) == CMARK_ORDERED_LIST
            var item = node.firstChild
            while let it = item {
                let bullet = ordered ? "\(index). " : "• "
                var parts: [String] = []
                var child = it.firstChild
                while let c = child { parts.append(block(c, indent: indent + String(repeating: " ", count: bullet.count))); child = c.next }
                var text = parts.joined(separator: "\n")
                let pad = indent + String(repeating: " ", count: bullet.count)
                if text.hasPrefix(pad) { text.removeFirst(pad.count) }
                items.append(indent + bullet + text)
                index += 1
                item = it.next
            }
            return items.joined(separator: "\n")
        case CMARK_NODE_CODE_BLOCK:
            let info = node.fenceInfo.split(separator: " ").first.map(String.init) ?? ""
            let code = node.literal.hasSuffix("\n") ? String(node.literal.dropLast()) : node.literal
            let body = info == "swift" ? SwiftHighlighter.ansi(code, style: style) : code
            return body.split(separator: "\n", omittingEmptySubsequences: false).map { indent + "    " + $0 }.joined(separator: "\n")
        case CMARK_NODE_THEMATIC_BREAK:
            return indent + style.dim(String(repeating: "─", count: 40))
        case CMARK_NODE_HTML_BLOCK:
            return ""
        default:
            return wrap(inline(node), indent: indent)
        }
    }

    private func inline(_ node: MarkdownNode) -> String {
        var out = ""
        var child = node.firstChild
        while let c = child {
            switch c.type {
            case CMARK_NODE_TEXT: out += c.literal
            case CMARK_NODE_SOFTBREAK: out += " "
            case CMARK_NODE_LINEBREAK: out += "\n"
            case CMARK_NODE_CODE: out += style.cyan(c.literal)
            case CMARK_NODE_EMPH: out += style.enabled ? "\u{1B}[3m\(inline(c))\u{1B}[0m" : "*\(inline(c))*"
            case CMARK_NODE_STRONG: out += style.bold(inline(c))
            case CMARK_NODE_LINK:
                let url = cmark_node_get_url(c.pointer).map { String(cString: $0) } ?? ""
                let text = inline(c)
                out += url.isEmpty || url == text ? text : "\(text) (\(url))"
            case CMARK_NODE_IMAGE:
                out += image(inline(c))
            default: out += inline(c)
            }
            child = c.next
        }
        return out
    }

    /// Greedy word wrap, measuring text without its escape sequences.
    func wrap(_ text: String, indent: String = "") -> String {
        var lines: [String] = []
        for hard in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = indent
            var length = visibleLength(indent)
            for (word, spaced) in TerminalText.pieces(hard) {
                let w = visibleLength(word), gap = spaced ? 1 : 0
                if length > visibleLength(indent) && length + gap + w > width {
                    lines.append(line)
                    line = indent
                    length = visibleLength(indent)
                }
                if length > visibleLength(indent) && spaced { line += " "; length += 1 }
                line += word
                length += w
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    func visibleLength(_ s: String) -> Int { TerminalText.width(s) }
}
