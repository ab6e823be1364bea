#!/usr/bin/env bash
# Opens every page of the rendered site in headless Chromium, as a reader would (file:// URLs):
# fails if a page logs anything to the console (errors, uncaught exceptions), loads a file that
# does not exist, or loads anything that is not a local file (the site must be self-contained).
# Then takes screenshots at desktop (1280 px) and phone (390 px) widths, in light and dark mode,
# into .course/screenshots/ (git-ignored): look at them.
#
# Needs: the Debian packages `chromium` and `fonts-noto-cjk` (installed with apt-get if missing; root or sudo).
# Run:   .build/release/course site && Scripts/site-browser-check.sh [SITE_DIR]   (default Site)
# Not in CI: Chromium is heavy.
set -euo pipefail
cd "$(dirname "$0")/.."
site="${1:-Site}"
out=.course/screenshots

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing chromium (apt-get)"
    if [ "$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null; else sudo apt-get install -y chromium >/dev/null; fi
fi
# The translated pages need CJK glyphs; Debian's Noto CJK fonts are what system-ui falls back to.
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    echo "installing fonts-noto-cjk (apt-get)"
    if [ "$(id -u)" = 0 ]; then apt-get install -y fonts-noto-cjk >/dev/null; else sudo apt-get install -y fonts-noto-cjk >/dev/null; fi
fi
[ -f "$site/index.html" ] || { echo "no $site/index.html: run \`course site\` first"; exit 1; }
mkdir -p "$out"
site_abs="$(cd "$site" && pwd)"
# A throwaway profile, so the reader's Chromium settings never colour the result.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile"
        --no-first-run --disable-extensions)

failures=0
for page in "$site_abs"/*.html; do
    name="$(basename "$page" .html)"
    url="file://$page"
    log="$out/$name.log"
    # --v=1 logs every file the page loads; console messages come as INFO:CONSOLE lines.
    timeout 120 "${chrome[@]}" --enable-logging=stderr --v=1 --virtual-time-budget=3000 --dump-dom "$url" \
        >"$out/$name.dom.html" 2>"$log" || { echo "✗ $name: chromium failed (see $log)"; failures=$((failures + 1)); continue; }
    problems=""
    if grep -q ":CONSOLE" "$log"; then
        problems+="$(grep ":CONSOLE" "$log" | sed 's/^.*CONSOLE[^]]*] /    console: /')"$'\n'
    fi
    while read -r loaded; do
        path="$(printf '%b' "${loaded//%/\\x}")"
        [ -f "$path" ] || problems+="    missing file: $path"$'\n'
    done < <(grep -o 'FileURLLoader::Start: file://[^ ]*' "$log" | sed 's|.*file://||' | sort -u)
    if grep -Eq 'URLLoader.*https?://|Start: https?://' "$log"; then
        problems+="    loads from the network: $(grep -Eo 'https?://[^ ]*' "$log" | sort -u | tr '\n' ' ')"$'\n'
    fi
    if ! grep -q "</main>" "$out/$name.dom.html"; then problems+="    the page did not render (no </main> in the DOM)"$'\n'; fi
    if [ -n "$problems" ]; then
        echo "✗ $name"; printf '%s' "$problems"; failures=$((failures + 1))
    else
        echo "✓ $name loads cleanly"
    fi

    for mode in light dark; do
        scheme=$([ "$mode" = dark ] && echo 0 || echo 1)   # Blink: 0 is dark, 1 is light
        for size in desktop:1280:2400 phone:390:1800; do
            IFS=: read -r label width height <<<"$size"
            timeout 120 "${chrome[@]}" --blink-settings=preferredColorScheme=$scheme \
                $([ "$mode" = dark ] && echo --force-dark-mode) \
                --window-size="$width,$height" --virtual-time-budget=3000 \
                --screenshot="$out/$name-$label-$mode.png" "$url" >/dev/null 2>&1 \
                || { echo "✗ $name: screenshot $label $mode failed"; failures=$((failures + 1)); }
        done
    done
done
echo "screenshots in $out/"
if [ "$failures" -gt 0 ]; then echo "$failures page(s) with problems"; exit 1; fi
echo "all pages load without console messages or missing files"
