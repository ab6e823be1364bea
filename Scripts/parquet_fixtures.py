#!/usr/bin/env python3
"""Writes the Parquet reader's fixtures with PyPI pyarrow: one small table in every combination
of codec (SNAPPY, ZSTD, uncompressed), data page version (1.0, 2.0) and encoding (dictionary,
PLAIN), plus a file whose dictionary overflows into PLAIN pages, and a file carrying the
`huggingface` schema metadata the way `datasets` writes it. Beside them, expected.json holds
the table's columns once (`to_pylist`, which every file reads back to: checked here) and each
file's row groups and encodings, tagged so types survive JSON: null, {"b": bool}, {"i": int},
{"f": float}, "string", [list].

Page checksums: two files written with `write_page_checksum=True` (v1 with dictionary pages,
v2 PLAIN), each page's CRC checked here against zlib.crc32 of the bytes after its header (so the
script records which bytes pyarrow's CRC covers), and crc-damaged.parquet, the same kind of file
with one byte of one page body changed: pyarrow refuses it with page_checksum_verification=True
and, without, silently reads a different value (checked here). Its column, row group and page
go in expected.json. damaged-footer.parquet has FileMetaData's row_groups field header (id 4)
typed i32 instead of list; pyarrow refuses it.

Usage: .venv/bin/python Scripts/parquet_fixtures.py   (a venv with pyarrow from PyPI; writes
Tests/ParquetTests/Fixtures and the seeds in Fuzz/ParquetFooter/corpus)
"""
import json
import os
import struct
import zlib

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


class Thrift:
    """Just enough of the Thrift compact protocol to walk page headers and the footer's top-level
    fields: `fields()` yields (id, type, offset of the field header) and skips each value."""

    def __init__(self, data, pos=0):
        self.data, self.pos = data, pos

    def varint(self):
        shift = result = 0
        while True:
            b = self.data[self.pos]
            self.pos += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self):
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def skip(self, t):
        if t in (1, 2):                                   # bool: the value is in the type
            return
        if t == 3:
            self.pos += 1
        elif t in (4, 5, 6):
            self.varint()
        elif t == 7:
            self.pos += 8
        elif t == 8:
            n = self.varint()
            self.pos += n
        elif t in (9, 10):
            header = self.data[self.pos]
            self.pos += 1
            n, et = header >> 4, header & 0x0F
            if n == 15:
                n = self.varint()
            for _ in range(n):
                if et in (1, 2):
                    self.pos += 1
                else:
                    self.skip(et)
        elif t == 12:
            for _ in self.fields():
                pass
        else:
            raise ValueError(f"type {t} at {self.pos}")

    def fields(self, values=None):
        """Yields (id, type, header offset) per field; with `values`, i32/i64 values go there."""
        last = 0
        while True:
            start = self.pos
            header = self.data[self.pos]
            self.pos += 1
            if header == 0:
                return
            t, delta = header & 0x0F, header >> 4
            last = last + delta if delta else self.zigzag()
            yield last, t, start
            if values is not None and t in (5, 6):
                values[last] = self.zigzag()
            else:
                self.skip(t)


def pages(path, column):
    """Every page of `column` (a top-level name) in file order: (row group, page index in the
    chunk, page type, body offset, body size, crc or None)."""
    data = open(path, "rb").read()
    md = pq.ParquetFile(path).metadata
    leaf = [md.schema.column(i).path.split(".")[0] for i in range(md.num_columns)].index(column)
    out = []
    for g in range(md.num_row_groups):
        chunk = md.row_group(g).column(leaf)
        start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
        pos, end, page = start, start + chunk.total_compressed_size, 0
        while pos < end:
            values = {}
            reader = Thrift(data, pos)
            for _ in reader.fields(values):
                pass
            size = values[3]
            crc = values[4] & 0xFFFFFFFF if 4 in values else None
            out.append((g, page, values[1], reader.pos, size, crc))
            pos, page = reader.pos + size, page + 1
    return data, out


def check_page_crcs(path, columns):
    """Asserts each page's CRC is zlib.crc32 of its body as stored: what the reader checks."""
    checked = 0
    for column in columns:
        data, found = pages(path, column)
        for _, _, kind, body, size, crc in found:
            assert crc is not None, (path, column, kind)
            assert zlib.crc32(data[body:body + size]) == crc, (path, column, kind)
            checked += 1
    return checked


def damage_footer_row_groups(data):
    """`data` with FileMetaData field 4's header typed i32 (5) instead of list (9)."""
    length = struct.unpack("<I", data[-8:-4])[0]
    footer = len(data) - 8 - length
    for field, kind, offset in Thrift(data, footer).fields():
        if field == 4:
            assert kind == 9
            return data[:offset] + bytes([(data[offset] & 0xF0) | 5]) + data[offset + 1:]
    raise ValueError("no row_groups field")


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

    # Page checksums: both page versions, dictionary pages included; each CRC checked here.
    for name, version, dictionary, codec in [("crc-v1-dict.parquet", "1.0", True, "snappy"),
                                             ("crc-v2-plain.parquet", "2.0", False, "zstd")]:
        path = os.path.join(OUT, name)
        pq.write_table(t, path, compression=codec, data_page_version=version, use_dictionary=dictionary,
                       row_group_size=1000, data_page_size=2048, write_statistics=False, write_page_checksum=True)
        assert pq.read_table(path, page_checksum_verification=True).equals(t)
        check_page_crcs(path, t.column_names)
        files[name] = {"codec": codec, "page_version": version, "dictionary": dictionary, "page_checksum": True}
    # One byte of one page body changed: the last byte of i64's first chunk, in its last page,
    # is the top byte of row 999's value. Uncompressed and PLAIN, nothing else can notice.
    path = os.path.join(OUT, "crc-damaged.parquet")
    # (Small write batches, so the 2 KiB page size splits the chunk into several pages.)
    pq.write_table(t, path, compression="none", use_dictionary=False, row_group_size=1000, data_page_size=2048,
                   write_batch_size=128, write_statistics=False, write_page_checksum=True)
    data, found = pages(path, "i64")
    group, page, _, body, size, _ = [p for p in found if p[0] == 0][-1]
    data = bytearray(data)
    data[body + size - 1] ^= 0x01
    with open(path, "wb") as out:
        out.write(data)
    try:
        pq.read_table(path, page_checksum_verification=True)
        raise AssertionError("pyarrow read crc-damaged.parquet with page checksum verification")
    except OSError as error:
        assert "CRC" in str(error), error
    silently = pq.read_table(path).column("i64").to_pylist()
    assert silently[999] != t.column("i64")[999].as_py() and silently[:999] == t.column("i64").to_pylist()[:999]
    damaged_page = {"column": "i64", "row_group": group, "page": page, "byte": body + size - 1}

    # A footer whose row_groups field has the wrong Thrift type: pyarrow refuses it.
    source = os.path.join(OUT, "huggingface.parquet")
    broken = damage_footer_row_groups(open(source, "rb").read())
    with open(os.path.join(OUT, "damaged-footer.parquet"), "wb") as out:
        out.write(broken)
    try:
        pq.read_table(os.path.join(OUT, "damaged-footer.parquet"))
        raise AssertionError("pyarrow read damaged-footer.parquet")
    except OSError:
        pass

    # Seeds for the checks above: a tiny checksummed file, the same with a page byte changed,
    # a tiny file whose row_groups field is typed i32, and one whose first page header has a
    # field typed i64.
    path = os.path.join(seeds, "crc-v1-dict.parquet")
    pq.write_table(tiny, path, compression="snappy", write_page_checksum=True)
    data, found = pages(path, "id")
    _, _, _, body, size, _ = found[-1]
    data = bytearray(data)
    data[body] ^= 0x01
    with open(os.path.join(seeds, "crc-damaged.parquet"), "wb") as out:
        out.write(data)
    with open(os.path.join(seeds, "row-groups-typed-i32.parquet"), "wb") as out:
        out.write(damage_footer_row_groups(open(os.path.join(seeds, "snappy-v1-dict.parquet"), "rb").read()))
    # The first page header's uncompressed_page_size (field 2) typed i64: same varint, wrong type.
    path = os.path.join(seeds, "snappy-v1-dict.parquet")
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
    first = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
    data = bytearray(open(path, "rb").read())
    offset = next(at for field, _, at in Thrift(data, first).fields() if field == 2)
    data[offset] = (data[offset] & 0xF0) | 6
    with open(os.path.join(seeds, "page-size-typed-i64.parquet"), "wb") as out:
        out.write(data)

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
                   "files": expected, "damaged_page": damaged_page}, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    print("wrote", len(files), "files to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
