"""Reads a SQLite write-ahead log's valid frames, groups them into committed transactions and names each page's b-tree.
Usage: wal-pages.py FRAMES.wal PAGES.txt (pageno|name lines from dbstat)."""
import collections
import statistics
import struct
import sys

wal, pages = sys.argv[1], sys.argv[2]
data = open(wal, "rb").read()
_, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">IIIIIIII", data[:32])
offset, transactions, current = 32, [], []
while offset + 24 + page_size <= len(data):
    page, commit, s1, s2, _, _ = struct.unpack(">IIIIII", data[offset:offset + 24])
    if (s1, s2) != (salt1, salt2):
        break  # frames left from before the log was last restarted
    current.append(page)
    if commit:
        transactions.append(current)
        current = []
    offset += 24 + page_size

names = {}
for line in open(pages):
    number, name = line.strip().split("|", 1)
    names[int(number)] = name
sizes = [len(t) for t in transactions]
if not sizes:
    sys.exit("no committed transaction in the log copy")
print(f"transactions {len(sizes)}, pages per transaction: median {statistics.median(sizes)}, mean {statistics.mean(sizes):.2f}; "
      f"most common {collections.Counter(sizes).most_common(5)}")
per_tree = collections.Counter(names.get(p, "?") for t in transactions for p in t)
for name, count in per_tree.most_common():
    print(f"  {name:48s} {count / len(sizes):5.2f} per transaction")
