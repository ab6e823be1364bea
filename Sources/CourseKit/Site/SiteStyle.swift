// The site's one stylesheet: system fonts only (works offline), light and dark via
// `prefers-color-scheme`, a single readable column that fits a phone. On a wide screen a step
// (its code and its output) takes the width its longest line needs, centred on the column, while
// prose stays at reading width; what is wider than the screen scrolls.

enum SiteStyle {
    static let css = """
        :root {
          color-scheme: light dark;
          --bg: #fdfdfc; --fg: #1f2328; --muted: #59636e; --line: #d8dee4; --accent: #0b57d0;
          --code-bg: #f4f5f7; --out-bg: #eef6ee; --out-line: #9cc89c; --ex-bg: #fff8e6; --ex-line: #e0b44c;
          --kw: #a626a4; --st: #2f7d32; --nu: #b35900; --co: #6a737d; --ty: #0969da; --at: #8250df;
          --badge: #fde7e9; --badge-fg: #8a1c26; --err-bg: #fdf0f0; --err-line: #e08a8a;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #16181c; --fg: #e6e6e6; --muted: #9aa4ae; --line: #30363d; --accent: #7cb4ff;
            --code-bg: #1f2329; --out-bg: #17251b; --out-line: #3f7a4a; --ex-bg: #2a2415; --ex-line: #8a6d22;
            --kw: #e58ae0; --st: #8fd18f; --nu: #f0a45d; --co: #8b949e; --ty: #7cc0ff; --at: #c3a6ff;
            --badge: #3d1f24; --badge-fg: #ffb3bd; --err-bg: #2a1a1c; --err-line: #a04a52;
          }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--fg);
          font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
        }
        a { color: var(--accent); }
        .top { border-bottom: 1px solid var(--line); padding: 0.6rem 1rem; font-weight: 600; }
        .top a { text-decoration: none; }
        main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
        h1 { font-size: 2rem; line-height: 1.25; margin: 1.5rem 0 1rem; }
        h2 { font-size: 1.45rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--line); }
        h3 { font-size: 1.15rem; margin: 1.8rem 0 0.5rem; }
        .anchor { visibility: hidden; text-decoration: none; color: var(--muted); font-weight: 400; }
        h1:hover .anchor, h2:hover .anchor, h3:hover .anchor { visibility: visible; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86em; }
        :not(pre) > code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
        pre { background: var(--code-bg); padding: 0.75rem 0.9rem; border-radius: 6px; overflow-x: auto; line-height: 1.45; margin: 0.4rem 0; }
        pre code { font-size: 0.84rem; }
        blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 4px solid var(--line); color: var(--muted); }
        img { max-width: 100%; height: auto; }
        .figure { margin: 1.5rem 0; }
        .figure img { display: block; margin: 0 auto; }
        .figure figcaption { text-align: center; font-size: 0.9rem; color: var(--muted); margin-top: 0.3rem; }
        @media (min-width: 64rem) { .figure { width: 60rem; position: relative; left: 50%; transform: translateX(-50%); } }
        .toc { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1rem; margin: 1rem 0 1.5rem; }
        .toc-title { font-weight: 600; margin: 0.2rem 0; }
        .toc ul { margin: 0; padding-left: 1.2rem; }
        .toc .toc-3 { margin-left: 1.2rem; font-size: 0.95em; }
        .step, .exercise { margin: 1.2rem 0; }
        @media (min-width: 64rem) {
          .step, .exercise { width: max-content; min-width: 100%; max-width: calc(100vw - 3rem); position: relative; left: 50%; transform: translateX(-50%); }
          .exercise { box-sizing: border-box; }
          .exercise p { max-width: 44rem; }
        }
        .scroll-hint { display: none; }
        .step-label { font-size: 0.8rem; color: var(--muted); margin-bottom: -0.1rem; }
        .step-label a { color: var(--muted); text-decoration: none; }
        .badge { display: inline-block; font-size: 0.75rem; padding: 0 0.45em; border-radius: 999px; background: var(--badge); color: var(--badge-fg); }
        .badge code { background: none; padding: 0; }
        .output { border-left: 3px solid var(--out-line); background: var(--out-bg); border-radius: 0 6px 6px 0; margin: 0.3rem 0 0; }
        .output.expected-error { border-left-color: var(--err-line); background: var(--err-bg); }
        .output-label { font-size: 0.75rem; color: var(--muted); padding: 0.35rem 0.9rem 0; text-transform: uppercase; letter-spacing: 0.04em; }
        .output-label .note { text-transform: none; letter-spacing: 0; }
        .output pre { background: none; margin: 0; padding-top: 0.2rem; }
        .exercise { background: var(--ex-bg); border: 1px solid var(--ex-line); border-radius: 8px; padding: 0.7rem 0.9rem; }
        .exercise .step-label { font-weight: 600; font-size: 0.9rem; }
        .exercise-how { font-size: 0.9rem; margin: 0.5rem 0; }
        details { margin: 0.5rem 0; border: 1px solid var(--ex-line); border-radius: 6px; padding: 0.3rem 0.8rem; background: var(--bg); }
        summary { cursor: pointer; font-weight: 600; }
        details > p { margin: 0.4rem 0; }
        .pager { display: flex; justify-content: space-between; gap: 1rem; max-width: 44rem; width: calc(100% - 2rem);
                 margin: 2.5rem auto 0; padding-top: 1rem; border-top: 1px solid var(--line); }
        .pager a { text-decoration: none; }
        .pager .next { margin-left: auto; text-align: right; }
        .chapters { list-style: none; padding: 0; }
        .chapters li { margin: 1rem 0; padding: 0.8rem 1rem; border: 1px solid var(--line); border-radius: 8px; }
        .chapters .number { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.4rem; }
        .chapters a { font-weight: 600; font-size: 1.1rem; }
        .chapters p { margin: 0.3rem 0 0; color: var(--muted); }
        footer { color: var(--muted); font-size: 0.85rem; padding-top: 1rem; padding-bottom: 2rem; }
        .kw { color: var(--kw); } .st { color: var(--st); } .nu { color: var(--nu); }
        .co { color: var(--co); font-style: italic; } .ty { color: var(--ty); } .at { color: var(--at); }
        @media (max-width: 480px) {
          body { font-size: 16px; }
          h1 { font-size: 1.6rem; }
          pre { padding: 0.6rem; }
          pre code { font-size: 0.78rem; }
          .exercise { padding: 0.6rem 0.5rem; margin-left: -0.5rem; margin-right: -0.5rem; }
          details { padding: 0.3rem 0.5rem; }
          .figure .scroll { overflow-x: auto; }
          .figure .scroll-hint { display: block; text-align: center; font-size: 0.8rem; color: var(--muted); margin-bottom: 0.2rem; }
          .figure img { max-width: none; width: 640px; }
        }

        """
}
