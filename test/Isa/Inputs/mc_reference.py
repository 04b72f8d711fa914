#!/usr/bin/env python3
"""Independent reference for the machine-code tests (uses no vai code).

Extracts every non-empty `mc_code` from an .xmodel with a hand-written
protobuf wire-format reader (field numbers of XIR's graph_proto_v2.proto:
Graph.subg_root = 10; SubGraph.subgraph_name = 1, subg_attr = 5 (map entry
key = 1, value = 2), subg_child = 10; AttrValue.bytes_value = 12, a Bytes
message whose value = 1), or from a `.mc` JSON-lines file (hex in
"mc_code_sstr.str()").

  mc_reference.py compare FILE DIR   every program equals DIR/<name>.bin
                                      byte for byte, and DIR has no others
  mc_reference.py extract FILE NAME OUT  writes the code of the top-level
                                      program NAME to OUT
  mc_reference.py counts FILE STATS  the --mc-stats table STATS equals the
                                      per-opcode counts found by walking
                                      word0 >> 28 with the lengths of
                                      ISA1.md section 2
"""
import json
import os
import re
import struct
import sys

# ISA1.md §2: opcode -> (name, length in words).
ISA1 = {0x0: ("LOAD", 5), 0x1: ("ALUINIT", 6), 0x2: ("ALU", 5),
        0x4: ("SAVE", 5), 0x6: ("POOLINIT", 2), 0x7: ("END", 1),
        0x8: ("CONV", 5), 0x9: ("CONVINIT", 4), 0xA: ("DPTWISE", 5),
        0xB: ("DWINIT", 3), 0xC: ("POOL", 5), 0xD: ("ELEWINIT", 3),
        0xE: ("ELEW", 3)}
# dpuczdx8g_isa0.h instruction table.
ISA0 = {0x0: ("LOAD", 4), 0x4: ("SAVE", 4), 0x8: ("CONV", 5),
        0x9: ("CONVINIT", 4), 0xA: ("DPTWISE", 5), 0xB: ("DWINIT", 3),
        0x6: ("POOLINIT", 2), 0xC: ("POOL", 5), 0xD: ("ELEWINIT", 2),
        0xE: ("ELEW", 3), 0x7: ("END", 1)}


def varint(buf, pos):
    value = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, pos


def fields(buf):
    """Yields (field number, wire type, value) of one message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            size, pos = varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("wire type %d" % wire)
        yield num, wire, value


def attr_value(buf):
    """(kind field number, value) of an AttrValue."""
    for num, _, value in fields(buf):
        if num == 12:  # Bytes
            for inner, _, data in fields(value):
                if inner == 1:
                    return 12, bytes(data)
            return 12, b""
        if num == 8 or num == 7:  # uint64 / int64
            return num, value
        if num == 11:
            return num, bytes(value).decode()
    return None, None


def subgraphs(buf, isa, parent, out):
    name, attrs, children = "", {}, []
    for num, _, value in fields(buf):
        if num == 1:
            name = bytes(value).decode()
        elif num == 5:
            key, val = None, None
            for inner, _, data in fields(value):
                if inner == 1:
                    key = bytes(data).decode()
                elif inner == 2:
                    val = attr_value(data)
            attrs[key] = val
        elif num == 10:
            children.append(value)
    if "dpu_fingerprint" in attrs:
        isa = (attrs["dpu_fingerprint"][1] >> 48) & 0xFF
    code = attrs.get("mc_code", (None, b""))[1]
    if code:
        out.append((name, isa, code, parent))
        parent = name
    for child in children:
        subgraphs(child, isa, parent, out)


def programs(path):
    data = open(path, "rb").read()
    out = []
    if data.startswith(b'{"'):
        # Lines in tree order; children (depth 2) have an empty dpu_name.
        stack = []  # (depth, isa, name if it has code)
        for line in data.decode().splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            while stack and stack[-1][0] >= obj["depth"]:
                stack.pop()
            isa = stack[-1][1] if stack else None
            if obj["dpu_name"]:
                isa = 0 if "_ISA0" in obj["dpu_name"] else 1
            code = bytes.fromhex(obj["mc_code_sstr.str()"])
            parents = [n for _, _, n in stack if n]
            if code:
                out.append((obj["subgraph_name"], isa, code,
                            parents[-1] if parents else None))
            stack.append((obj["depth"], isa,
                          obj["subgraph_name"] if code else None))
        return out
    for num, _, value in fields(memoryview(data)):
        if num == 10:
            subgraphs(value, None, None, out)
    return out


def file_name(name, parent):
    """docs/isa.md: DIR/<name>.bin, a layer program DIR/<parent>/<name>.bin."""
    safe = lambda s: re.sub(r"[^A-Za-z0-9._-]", "_", s)
    if parent:
        return os.path.join(safe(parent), safe(name) + ".bin")
    return safe(name) + ".bin"


def compare(path, directory):
    progs = programs(path)
    total, expected = 0, set()
    for name, _, code, parent in progs:
        rel = file_name(name, parent)
        expected.add(rel)
        ours = open(os.path.join(directory, rel), "rb").read()
        if ours != code:
            sys.exit("MISMATCH %s: %d bytes vs %d expected" %
                     (rel, len(ours), len(code)))
        total += len(code)
    found = {os.path.relpath(os.path.join(root, f), directory)
             for root, _, files in os.walk(directory) for f in files}
    if found != expected:
        sys.exit("files differ: %s" % sorted(found ^ expected))
    print("%d programs, %d bytes identical" % (len(progs), total))


def count(isa, code):
    table = ISA0 if isa == 0 else ISA1
    counts, pos = {}, 0
    while pos < len(code):
        word0 = struct.unpack_from("<I", code, pos)[0]
        name, length = table[word0 >> 28]
        counts[name] = counts.get(name, 0) + 1
        pos += 4 * length
    assert pos == len(code)
    return counts


def counts(path, stats_path):
    """Rows come in file order, as programs() lists them."""
    expected = [(name, count(isa, code)) for name, isa, code, _ in
                programs(path)]
    expected.reverse()
    checked, header = 0, None
    for line in open(stats_path):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split()
        if cols[-1] == "program":
            header = cols[:-1]
            continue
        name = cols[-1]
        got = dict(zip(header, map(int, cols[:-1])))
        want_name, want = expected.pop()
        if name != want_name:
            sys.exit("row %s, expected %s" % (name, want_name))
        for opcode, n in want.items():
            if got.get(opcode) != n:
                sys.exit("%s: %s = %s, expected %d" %
                         (name, opcode, got.get(opcode), n))
        for opcode in header:
            if opcode not in ("total", "bytes") and got[opcode] != want.get(opcode, 0):
                sys.exit("%s: %s = %d, expected %d" %
                         (name, opcode, got[opcode], want.get(opcode, 0)))
        if got["total"] != sum(want.values()):
            sys.exit("%s: total %d" % (name, got["total"]))
        checked += 1
        print("%s %d instructions" % (name, got["total"]))
    if expected:
        sys.exit("not in the table: %s" % [n for n, _ in expected])
    print("%d programs counted" % checked)


def extract(path, name, out):
    for prog_name, _, code, parent in programs(path):
        if prog_name == name and not parent:
            open(out, "wb").write(code)
            return
    sys.exit("no program " + name)


if __name__ == "__main__":
    {"compare": compare, "counts": counts,
     "extract": extract}[sys.argv[1]](*sys.argv[2:])
