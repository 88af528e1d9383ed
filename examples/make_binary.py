"""Build the binary table formats of the example archive.

Writes
  archive/tables/posts.parquet  from sources/parquet_source.json  (pyarrow)
  archive/tables/posts_hf/      from sources/hf_source.json       (datasets.save_to_disk)

Run from the repository root:  python examples/make_binary.py
The sources live outside tables/ so a directory walker reading tables/ does not see the same posts twice.
"""
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Dataset

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "title", "date", "url", "text", "author"]


def load(name):
    rows = json.loads((HERE / "sources" / name).read_text(encoding="utf-8"))
    for row in rows:
        if list(row) != COLUMNS:
            raise ValueError(f"{name}: row {row.get('id')} has keys {list(row)}, expected {COLUMNS}")
    return rows


def main():
    tables = HERE / "archive" / "tables"
    tables.mkdir(exist_ok=True)

    rows = load("parquet_source.json")
    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, tables / "posts.parquet")
    print(f"wrote {tables / 'posts.parquet'} ({table.num_rows} posts)")

    rows = load("hf_source.json")
    out = tables / "posts_hf"
    if out.exists():
        shutil.rmtree(out)
    ds = Dataset.from_list(rows)
    ds.save_to_disk(str(out))
    print(f"wrote {out}/ ({ds.num_rows} posts)")


if __name__ == "__main__":
    main()
