"""Reference fixtures for the Swift WordPiece tokenizer (Tests/TokenizersTests/Fixtures).

What it produces (compact JSON, each file < 1.5 MB):
  mini/uncased/tokenizer.json       all-MiniLM-L6-v2's tokenizer.json with its vocabulary cut down
                                    to the tokens the fixture texts use (plus the first 104 ids);
                                    truncation/padding settings kept so tests see they are not applied
  mini/cased/vocab.txt, tokenizer_config.json
                                    the same cut vocabulary as a vocab.txt checkpoint, do_lower_case false
  mini-parity.json                  hard strings, sentences, pairs, pre-split words, truncation and
                                    padding cases for both mini tokenizers, every output field
  full-hard.json                    the same cases with the full all-MiniLM-L6-v2 vocabulary
                                    (uncased from tokenizer.json, cased from vocab.txt)
  unicode-classes.json              for every scalar above ASCII, as code-point ranges: which ones
                                    clean_text removes (controls) or turns into a space, which vanish
                                    when accents are stripped (nonspacing marks), which the
                                    pre-tokenizer splits off
  unicode-maps.json                 for every scalar above ASCII (Hangul syllables aside, decomposed
                                    arithmetically): its lowercase and its accent-stripped form,
                                    where they differ from the scalar
  full-conll-valid-{uncased,cased}.json
                                    every CoNLL-2003 validation sentence as pre-split words: ids,
                                    word ids (-1 = none) and offsets (flat start,end pairs)
  full-mrpc-dev.json                every MRPC dev pair with truncation (longest_first 64,
                                    only_first 48, only_second 48): ids, type ids, word and sequence
                                    ids (-1 = none), flat offsets; indices of pairs Python refuses
Cutting the vocabulary keeps results identical: greedy longest-match only ever picks tokens the
full vocabulary produced for these texts, and those are all kept.

Needs: pip install transformers tokenizers numpy   (tested with transformers 5.23, tokenizers 0.23.3)
Run:   /work/venv/bin/python Scripts/tokenizer_parity_fixtures.py [MIRROR]
       MIRROR defaults to $COURSE_MIRROR or ../shared/mirror relative to the package root.
"""
import json
import os
import sys
import tempfile

from transformers import AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIRROR = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("COURSE_MIRROR", os.path.join(ROOT, "..", "shared", "mirror"))
MODEL = os.path.join(MIRROR, "models", "sentence-transformers", "all-MiniLM-L6-v2")
OUT = os.path.join(ROOT, "Tests", "TokenizersTests", "Fixtures")

HARD = [
    "", " ", "\t\n\r ", "Hello, World!", "Héllo wörld café naïve résumé",
    "e\u0301 combining a\u0308 o\u0323\u0302 marks", "Ａｎｄ ｆｕｌｌｗｉｄｔｈ １２３",
    "東京タワーは333メートルです", "中文字符测试 mixed with English 日本語",
    "emoji 🥲😀👍🏽 🇫🇷 family 👨\u200d👩\u200d👧 ☃ ✓",
    "control\u0000chars\u0007here\u001b[0m end", "zero\u200bwidth\u200djoiner\ufeffbom",
    "nbsp\u00a0and\u2003emspace\u3000ideographic\u2009thin", "replacement \ufffd char",
    "a" * 150, "x" * 100, "y" * 101, "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "İstanbul ǅungla Straße ﬁne ΩMEGA", "don't can't I'm you're it's we've",
    "$100.50 + 3% = #hash @user <tag> a^b ~x |y| `q` {z} \\path/",
    "«quotes» „low“ ‘single’ — dash – en … ellipsis", "[CLS] special [SEP] in text[MASK]end",
    "[mask] lowercase [Sep] special", "tab\tseparated\nnew line\r\nwindows",
    "Ünïcödé ÀÉÎÕÜ ñ Ç ø Å æ œ", "ʻokina ʼapostrophe ˈstress",
    "Ελληνικά Русский עברית العربية हिन्दी ไทย", "한국어 텍스트 ㄱㄴ", "\u0085 NEL \u2028 LS \u2029 PS",
    "private \ue000 use \U000f0000 plane", "unassigned \u0378 \U000e0001 tag", "U.S. 3.14 e-mail co-operate 1,000,000",
    "   leading and trailing   ", "MiXeD CaSe WORDS Like iPhone and McDonald's",
    "The quick brown fox jumps over the lazy dog near the riverbank at dawn.",
    "Germany's representative to the European Union's veterinary committee said on Wednesday.",
    "Peter Blackburn visited Brussels and Paris in 1996 , talking to BBC radio .",
    "Rare words: xylophonist quizzically zephyrs bewilderingly onomatopoeia.",
    "Numbers 0.5 -3 +7 1e10 42nd 3rd 2,500 ¼ ½ ² ³",
    "a 🥲 b 🫠 c \U0001FAE8 d", "ℌ ℍ ⅷ ① ㍿ ﬀ", "soft\u00adhyphen word\u2060joiner mongolian\u180evowel",
    "Ǆ ǅ ǆ ΐ ẞ ß ŉ", "A\u030a \u212b \u00c5 Å", "\u0130\u0049\u0131\u0069", "a\u0300\u0301\u0302\u0303b",
    "quote's “smart” ‹angle› 「括弧」 『二重』 【墨付き】", "x" * 99 + "é", "\ud7a3\u1100\u3131 가나다",
    # Categories of scalars assigned after Unicode 8.0 are unknown to the Rust library's tables.
    "a\u2e42b a\u2e43b a\U0001e95eb a\u2e4fb a\u2e52b a\u1dfbb a\u0898b a\u08e2b a\u0890b a\u061cb a\U000110cdb",
    # Canonical reordering of marks (offsets follow the moved marks) and categories changed since 8.0.
    " \u302e\u0316\u03d3 \u0155\u302f\t x\ua9bdy \u1885 a\u166db \U000111c9",
]
SENTENCES = [
    "The company said it expected profits to rise sharply next year.",
    "Shares of the bank fell 3.2 percent in early trading on Monday.",
    "Officials in Geneva confirmed the talks would resume after the holiday.",
    "He said the proposal was \"unacceptable\" and would be rejected.",
    "The team won 2-1 after a late goal by the Brazilian striker.",
    "Rain is expected across northern England, Scotland and Wales.",
]
PAIRS = [
    ("The cat sat on the mat.", "A cat was sitting on a mat."),
    ("Revenue rose 5% to $1.2 billion in the quarter ended June 30.", "Quarterly revenue increased five percent."),
    ("Short.", "This second sentence is quite a lot longer than the first one, with many more words in it."),
    ("This first sentence is quite a lot longer than the second one, with many more words in it.", "Short."),
    ("Héllo wörld", "東京 emoji 🥲 [SEP]"),
    ("", "only the pair"),
]


def fuzz_strings(n=300, seed=1234):
    """Deterministic random strings over many scripts and classes (letters, marks, controls,
    punctuation, symbols, CJK, emoji, unassigned), to catch Unicode-table differences."""
    import random
    rng = random.Random(seed)
    pools = [
        (0x20, 0x7F), (0xA0, 0x250), (0x300, 0x370), (0x370, 0x530), (0x530, 0x800), (0x900, 0xE00),
        (0x1100, 0x1200), (0x1E00, 0x2000), (0x2000, 0x2070), (0x2070, 0x2C00), (0x2C00, 0x3000),
        (0x3000, 0x3100), (0x3400, 0x3500), (0x4E00, 0x9FFF), (0xA000, 0xAC00), (0xAC00, 0xD7A4),
        (0xF900, 0xFB50), (0xFB50, 0xFFFF), (0x10000, 0x10400), (0x1D400, 0x1D800), (0x1F000, 0x1FB00),
        (0x20000, 0x20100), (0xE0000, 0xE0080), (0x0, 0x20),
    ]
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(1, 24)):
            lo, hi = rng.choice(pools)
            c = rng.randrange(lo, hi)
            if 0xD800 <= c < 0xE000:
                continue
            chars.append(chr(c))
            if rng.random() < 0.3:
                chars.append(" ")
            if rng.random() < 0.15:
                chars.append(rng.choice("abcdefghij ABC .,!?'-"))
        out.append("".join(chars))
    return out


FUZZ = fuzz_strings()

WORDS = [
    ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "."],
    ["Héllo", "", " ", "東京", "[SEP]", "U.S.", "don't", "a" * 120, "naïve", "🥲"],
    ["Peter", "Blackburn"],
    [],
]


def cases():
    """(name, kwargs for the tokenizer call) pairs; every call is a batch."""
    out = []
    for i, t in enumerate(HARD + SENTENCES):
        out.append((f"hard{i}", dict(text=[t])))
    out.append(("fuzz", dict(text=FUZZ)))
    out.append(("fuzz-words", dict(text=[f.split(" ") for f in FUZZ[:100]], is_split_into_words=True)))
    out.append(("fuzz-pairs", dict(text=FUZZ[100:200], text_pair=FUZZ[200:300], truncation="longest_first",
                                   max_length=20, padding="longest")))
    out.append(("batch-longest-right", dict(text=SENTENCES[:4], padding="longest")))
    out.append(("batch-longest-left", dict(text=SENTENCES[:4], padding="longest", padding_side="left")))
    out.append(("batch-max-length", dict(text=SENTENCES[:3], padding="max_length", max_length=24, truncation="longest_first")))
    out.append(("trunc-single", dict(text=[HARD[-3], HARD[14]], truncation="longest_first", max_length=10)))
    out.append(("trunc-tiny", dict(text=[SENTENCES[0]], truncation="longest_first", max_length=3)))
    out.append(("trunc-left", dict(text=[HARD[-3], SENTENCES[1]], truncation="longest_first", max_length=9, truncation_side="left")))
    out.append(("pairs-trunc-left", dict(text=[p[0] for p in PAIRS[:4]], text_pair=[p[1] for p in PAIRS[:4]],
                                         truncation="longest_first", max_length=14, truncation_side="left")))
    out.append(("pairs", dict(text=[p[0] for p in PAIRS], text_pair=[p[1] for p in PAIRS])))
    for strat in ["longest_first", "only_first", "only_second"]:
        for ml in [12, 16, 23]:
            # One pair per call: a pair that cannot be truncated fails its whole batch.
            for j, (a, b) in enumerate(PAIRS):
                out.append((f"pair{j}-{strat}-{ml}", dict(text=[a], text_pair=[b], truncation=strat, max_length=ml)))
    out.append(("pairs-longest_first-padded", dict(text=[p[0] for p in PAIRS], text_pair=[p[1] for p in PAIRS],
                                                   truncation="longest_first", max_length=16, padding="longest")))
    out.append(("words", dict(text=WORDS, is_split_into_words=True)))
    out.append(("words-padded", dict(text=WORDS, is_split_into_words=True, padding="longest", truncation="longest_first", max_length=12)))
    out.append(("words-pair", dict(text=WORDS[:2], text_pair=WORDS[2:4], is_split_into_words=True)))
    out.append(("pad-multiple", dict(text=SENTENCES[:2], padding="longest", pad_to_multiple_of=8)))
    return out


def encode(tok, kw):
    kw = dict(kw)
    tok.padding_side = kw.pop("padding_side", "right")
    tok.truncation_side = kw.pop("truncation_side", "right")
    try:
        enc = tok(kw.pop("text"), kw.pop("text_pair", None), return_offsets_mapping=True,
                  return_special_tokens_mask=True, return_token_type_ids=True, return_attention_mask=True, **kw)
    except Exception as e:  # noqa: BLE001 - the error itself is the reference
        return {"error": str(e).splitlines()[0]}
    rows = []
    for i in range(len(enc["input_ids"])):
        ids = enc["input_ids"][i]
        rows.append({
            "ids": ids, "tokens": enc.tokens(i), "typeIds": enc["token_type_ids"][i],
            "attentionMask": enc["attention_mask"][i], "specialTokensMask": enc["special_tokens_mask"][i],
            "offsets": [list(o) for o in enc["offset_mapping"][i]], "wordIds": enc.word_ids(i),
            "sequenceIds": enc.sequence_ids(i),
            "decoded": tok.decode(ids), "decodedSkip": tok.decode(ids, skip_special_tokens=True),
        })
    return {"encodings": rows}


def run_cases(tok, config):
    res = []
    for name, kw in cases():
        call = {k: v for k, v in kw.items()}
        res.append({"name": name, "config": config, "call": call, **encode(tok, kw)})
    return res


def unicode_classes():
    """Character classes as the Rust library applies them, probed one scalar at a time."""
    from tokenizers.normalizers import BertNormalizer
    from tokenizers.pre_tokenizers import BertPreTokenizer
    clean = BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    strip = BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    pre = BertPreTokenizer()
    classes = {"removed": [], "stripped": [], "punctuation": [], "whitespace": []}
    for c in range(0x80, 0x110000):
        if 0xD800 <= c < 0xE000:
            continue
        s = "a" + chr(c) + "b"
        cleaned = clean.normalize_str(s)
        if cleaned == "ab":
            classes["removed"].append(c)
        if cleaned == "a b":
            classes["whitespace"].append(c)
        if strip.normalize_str(s) == "ab":
            classes["stripped"].append(c)
        if len(pre.pre_tokenize_str(s)) == 3:
            classes["punctuation"].append(c)
    out = {}
    for name, xs in classes.items():
        ranges = []
        for x in xs:
            if ranges and ranges[-1][1] == x - 1:
                ranges[-1][1] = x
            else:
                ranges.append([x, x])
        out[name] = ranges
    return out


def unicode_maps():
    """Lowercasing and accent stripping of each scalar alone, as the Rust library does them."""
    from tokenizers.normalizers import BertNormalizer
    low = BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    strip = BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    lower, stripped = {}, {}
    for c in range(0x80, 0x110000):
        if 0xD800 <= c < 0xE000 or 0xAC00 <= c <= 0xD7A3:
            continue
        ch = chr(c)
        l = low.normalize_str(ch)
        if l != ch:
            lower[c] = [ord(x) for x in l]
        s = strip.normalize_str(ch)
        if s != ch and s != "":
            stripped[c] = [ord(x) for x in s]
    return {"lowercase": lower, "stripAccents": stripped}


def dump(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{path}: {os.path.getsize(path)} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    dump(unicode_classes(), os.path.join(OUT, "unicode-classes.json"))
    dump(unicode_maps(), os.path.join(OUT, "unicode-maps.json"))
    uncased = AutoTokenizer.from_pretrained(MODEL)
    # The cased configuration: the same vocab.txt loaded as a checkpoint with do_lower_case
    # false (transformers 5 ignores a vocab_file argument to BertTokenizer, so go through a folder).
    cased_dir = tempfile.mkdtemp(prefix="cased-minilm-")
    with open(os.path.join(MODEL, "vocab.txt"), encoding="utf-8") as src, \
            open(os.path.join(cased_dir, "vocab.txt"), "w", encoding="utf-8") as dst:
        dst.write(src.read())
    with open(os.path.join(cased_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump({"do_lower_case": False, "tokenizer_class": "BertTokenizer", "model_max_length": 512}, f)
    cased = AutoTokenizer.from_pretrained(cased_dir)
    assert len(cased) == len(uncased) and cased("hello Hello")["input_ids"] == [101, 7592, 100, 102], "cased load failed"

    # Full-vocabulary fixtures.
    full = run_cases(uncased, "uncased") + run_cases(cased, "cased")
    dump(full, os.path.join(OUT, "full-hard.json"))

    # Cut vocabulary: every token the full tokenizers produced, plus ids 0..103 (specials, unused).
    used = set()
    for c in full:
        for e in c.get("encodings", []):
            used.update(e["ids"])
    vocab = [line.rstrip("\n") for line in open(os.path.join(MODEL, "vocab.txt"), encoding="utf-8")]
    keep = sorted(used | set(range(104)))
    small = [vocab[i] for i in keep]
    new_id = {tok: i for i, tok in enumerate(small)}
    tj = json.load(open(os.path.join(MODEL, "tokenizer.json"), encoding="utf-8"))
    tj["model"]["vocab"] = new_id
    for t in tj["added_tokens"]:
        t["id"] = new_id[t["content"]]
    for st in tj["post_processor"]["special_tokens"].values():
        st["ids"] = [new_id[t] for t in st["tokens"]]
    un_dir = os.path.join(OUT, "mini", "uncased")
    ca_dir = os.path.join(OUT, "mini", "cased")
    os.makedirs(un_dir, exist_ok=True)
    os.makedirs(ca_dir, exist_ok=True)
    dump(tj, os.path.join(un_dir, "tokenizer.json"))
    with open(os.path.join(ca_dir, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(small) + "\n")
    cfg = json.load(open(os.path.join(MODEL, "tokenizer_config.json"), encoding="utf-8"))
    cfg["do_lower_case"] = False
    cfg.pop("name_or_path", None)
    dump(cfg, os.path.join(ca_dir, "tokenizer_config.json"))
    mini_un = AutoTokenizer.from_pretrained(un_dir)
    mini_ca = AutoTokenizer.from_pretrained(ca_dir)
    mini = run_cases(mini_un, "uncased") + run_cases(mini_ca, "cased")
    dump(mini, os.path.join(OUT, "mini-parity.json"))

    # CoNLL-2003 validation, every sentence as pre-split words.
    sents, cur = [], []
    for line in open(os.path.join(MIRROR, "datasets", "conll2003", "valid.txt"), encoding="utf-8"):
        line = line.strip()
        if not line:
            if cur:
                sents.append(cur)
            cur = []
        elif not line.startswith("-DOCSTART-"):
            cur.append(line.split(" ")[0])
    if cur:
        sents.append(cur)
    for name, tok in [("uncased", uncased), ("cased", cased)]:
        enc = tok(sents, is_split_into_words=True, return_offsets_mapping=True)
        dump({"sentences": len(sents),
              "ids": enc["input_ids"],
              "wordIds": [[-1 if w is None else w for w in enc.word_ids(i)] for i in range(len(sents))],
              "offsets": [[x for o in offs for x in o] for offs in enc["offset_mapping"]]},
             os.path.join(OUT, f"full-conll-valid-{name}.json"))

    # MRPC dev pairs (BOM, quoting off: split on tabs).
    rows = open(os.path.join(MIRROR, "datasets", "glue", "mrpc", "dev.tsv"), encoding="utf-8-sig").read().split("\n")[1:]
    pairs = [r.split("\t")[3:5] for r in rows if r.strip()]
    out = {"pairs": len(pairs), "settings": []}
    for strat, ml in [("longest_first", 64), ("only_first", 48), ("only_second", 48)]:
        setting = {"truncation": strat, "maxLength": ml, "ids": [], "typeIds": [], "wordIds": [],
                   "sequenceIds": [], "offsets": [], "errors": []}
        for i, (a, b) in enumerate(pairs):
            r = encode(uncased, dict(text=[a], text_pair=[b], truncation=strat, max_length=ml))
            if "error" in r:
                # Python refuses this pair (the sequence to cut is too short): record the index.
                setting["errors"].append(i)
                for k in ["ids", "typeIds", "wordIds", "sequenceIds", "offsets"]:
                    setting[k].append(None)
                continue
            e = r["encodings"][0]
            setting["ids"].append(e["ids"])
            setting["typeIds"].append(e["typeIds"])
            setting["wordIds"].append([-1 if w is None else w for w in e["wordIds"]])
            setting["sequenceIds"].append([-1 if w is None else w for w in e["sequenceIds"]])
            setting["offsets"].append([x for o in e["offsets"] for x in o])
        out["settings"].append(setting)
    dump(out, os.path.join(OUT, "full-mrpc-dev.json"))


if __name__ == "__main__":
    main()
