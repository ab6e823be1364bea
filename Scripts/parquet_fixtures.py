#!/usr/bin/env python3
"""Writes the Parquet reader's fixtures with PyPI pyarrow: one small table in every combination
of codec (SNAPPY, ZSTD, uncompressed), data page version (1.0, 2.0) and encoding (dictionary,
PLAIN), plus a file whose dictionary overflows into PLAIN pages, and a file carrying the
`huggingface` schema metadata the way `datasets` writes it. Beside them, expected.json holds
the table's columns once (`to_pylist`, which every file reads back to: checked here) and each
file's row groups and encodings, tagged so types survive JSON: null, {"b": bool}, {"i": int},
{"f": float}, "string", [list].

Usage: /work/venv/bin/python Scripts/parquet_fixtures.py   (writes Tests/ParquetTests/Fixtures)
"""
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "ParquetTests", "Fixtures")
ROWS = 1100          # two row groups of 1,000 and 100 rows, several pages each


def table():
    """Deterministic rows that exercise nulls, empty lists, null elements, repeats and unicode."""
    words = ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", ".", "Zürich", "東京", ""]
    ids, i64, i32, flags, xs, tokens, tags, labels = [], [], [], [], [], [], [], []
    for r in range(ROWS):
        ids.append(str(r))
        i64.append(None if r % 7 == 3 else (r * 7919) % 100003 - 50000 + (2**40 if r % 11 == 0 else 0))
        i32.append(-(2**31) if r == 5 else (2**31 - 1 if r == 6 else (r * 31) % 1000 - 500))
        flags.append(None if r % 5 == 4 else (r % 3 == 0))
        xs.append(None if r % 13 == 12 else (r % 40) * 0.25 - 3.0)
        if r % 17 == 16:
            tokens.append(None)
        elif r % 9 == 8:
            tokens.append([])
        else:
            n = 1 + (r * 5) % 11
            tokens.append([None if (r + k) % 19 == 18 else words[(r * 3 + k) % len(words)] for k in range(n)])
        tags.append([(r + k) % 9 for k in range(r % 6)])
        labels.append(r % 2)
    return pa.table({
        "id": pa.array(ids, pa.string()),
        "i64": pa.array(i64, pa.int64()),
        "i32": pa.array(i32, pa.int32()),
        "flag": pa.array(flags, pa.bool_()),
        "x": pa.array(xs, pa.float64()),
        "tokens": pa.array(tokens, pa.list_(pa.string())),
        "tags": pa.array(tags, pa.list_(pa.int64())),
        "label": pa.array(labels, pa.int64()),
    })


def tagged(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return {"b": v}
    if isinstance(v, int):
        return {"i": v}
    if isinstance(v, float):
        return {"f": v}
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return [tagged(x) for x in v]
    raise TypeError(type(v))


def main():
    os.makedirs(OUT, exist_ok=True)
    t = table()
    files = {}
    for codec in ["snappy", "zstd", "none"]:
        for version in ["1.0", "2.0"]:
            for dictionary in [True, False]:
                name = f"{codec}-v{version[0]}-{'dict' if dictionary else 'plain'}.parquet"
                pq.write_table(t, os.path.join(OUT, name), compression=codec, data_page_version=version,
                               use_dictionary=dictionary, row_group_size=1000, data_page_size=2048,
                               write_statistics=False)
                files[name] = {"codec": codec, "page_version": version, "dictionary": dictionary}
    # A dictionary page limit this small makes the writer fall back to PLAIN mid-chunk.
    pq.write_table(t, os.path.join(OUT, "dictionary-fallback.parquet"), compression="snappy",
                   dictionary_pagesize_limit=64, row_group_size=1000, data_page_size=1024, write_statistics=False)
    files["dictionary-fallback.parquet"] = {"codec": "snappy", "page_version": "1.0", "dictionary": "fallback"}

    # What `datasets` stores: its features under the `huggingface` key of the schema metadata.
    features = {
        "id": {"dtype": "string", "_type": "Value"},
        "tokens": {"feature": {"dtype": "string", "_type": "Value"}, "_type": "Sequence"},
        "tags": {"feature": {"names": [f"T{k}" for k in range(9)], "_type": "ClassLabel"}, "_type": "List"},
        "label": {"names": ["neg", "pos"], "_type": "ClassLabel"},
        "i32": {"dtype": "int32", "_type": "Value"},
    }
    small = t.select(["id", "tokens", "tags", "label", "i32"]).slice(0, 40)
    small = small.replace_schema_metadata({"huggingface": json.dumps({"info": {"features": features}})})
    pq.write_table(small, os.path.join(OUT, "huggingface.parquet"), compression="snappy")
    files["huggingface.parquet"] = {"codec": "snappy", "page_version": "1.0", "dictionary": True}

    # Things the reader must refuse by name: a struct, a list of lists, raw bytes; a GZIP file.
    odd = pa.table({
        "ok": pa.array([1, 2, 3], pa.int64()),
        "point": pa.array([{"x": 1, "y": 2}, None, {"x": 3, "y": 4}]),
        "nested": pa.array([[[1], [2, 3]], [], None], pa.list_(pa.list_(pa.int64()))),
        "raw": pa.array([b"\x00\x01", b"", None], pa.binary()),
    })
    pq.write_table(odd, os.path.join(OUT, "unsupported.parquet"), compression="snappy")
    pq.write_table(t.select(["id"]).slice(0, 10), os.path.join(OUT, "gzip.parquet"), compression="gzip")

    # Seeds for the fuzz target (Fuzz/ParquetFooter): tiny files, one per codec and page version.
    seeds = os.path.join(os.path.dirname(__file__), "..", "Fuzz", "ParquetFooter", "corpus")
    os.makedirs(seeds, exist_ok=True)
    tiny = t.slice(0, 6)
    pq.write_table(tiny, os.path.join(seeds, "snappy-v1-dict.parquet"), compression="snappy")
    pq.write_table(tiny, os.path.join(seeds, "zstd-v2-plain.parquet"), compression="zstd", data_page_version="2.0",
                   use_dictionary=False)
    pq.write_table(tiny.select(["flag", "x", "tags"]), os.path.join(seeds, "none-v2-dict.parquet"), compression="none",
                   data_page_version="2.0")
    pq.write_table(odd, os.path.join(seeds, "unsupported.parquet"), compression="none")

    expected = {}
    for name, how in sorted(files.items()):
        f = pq.ParquetFile(os.path.join(OUT, name))
        back = f.read()
        md = f.metadata
        encodings = sorted({e for g in range(md.num_row_groups) for c in range(md.num_columns)
                            for e in md.row_group(g).column(c).encodings})
        entry = {"written": how, "encodings": encodings, "row_groups": md.num_row_groups, "num_rows": back.num_rows}
        if name == "huggingface.parquet":
            entry["columns"] = {c: tagged(back.column(c).to_pylist()) for c in back.column_names}
            entry["huggingface"] = back.schema.metadata[b"huggingface"].decode()
        else:
            assert back.equals(t), name
        expected[name] = entry
    table_columns = {c: tagged(t.column(c).to_pylist()) for c in t.column_names}
    with open(os.path.join(OUT, "expected.json"), "w") as out:
        json.dump({"pyarrow": pa.__version__, "column_order": t.column_names, "table": table_columns,
                   "files": expected}, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    print("wrote", len(files), "files to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
