#!/usr/bin/env python3
"""Independent reference for vai-translate's --xmodel-* views.

Reads `protoc --decode=serial_v2.Graph` text of an .xmodel (Python protobuf is
not available) and either prints the summary the tool must print, or checks a
DOT / dump_txt output against the graph. Shares no code with the tool.

  protoc --decode=... < m.xmodel | xmodel_views_ref.py summary
  protoc --decode=... < m.xmodel | xmodel_views_ref.py dot out.dot
  protoc --decode=... < m.xmodel | xmodel_views_ref.py dump out.txt
"""
import hashlib
import os
import re
import sys

# The protoc text parser of the xmodel round-trip tests (test/Import):
# a test script, not the tool's code.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Import", "Inputs"))
from xmodel_compare import parse  # noqa: E402


def get(msg, key):
    return [v for k, v in msg if k == key]


def one(msg, key, default=None):
    values = get(msg, key)
    return values[0] if values else default


def s(b):
    return b.decode("utf-8") if isinstance(b, bytes) else b


def attr_map(msg, field):
    """map<string, AttrValue> -> {key: value message}."""
    return {s(one(e, "key", b"")): one(e, "value", []) for e in get(msg, field)}


def map_values(value, kind):
    """A map_string_2_* AttrValue -> {key: raw value or message}."""
    inner = one(value, kind)
    if inner is None:
        return None
    return {s(one(e, "key", b"")): one(e, "value") for e in get(inner, "value")}


DTYPES = ["INT", "UINT", "XINT", "XUINT", "FLOAT", "BFLOAT"]


class Graph:
    def __init__(self, msg):
        self.name = s(one(msg, "graph_name", b""))
        self.ops = []
        for node in get(msg, "op_node"):
            t = one(node, "output_tensor", [])
            args = [(s(one(a, "arg_name", b"")), [s(x) for x in get(a, "arg_ops")])
                    for a in get(node, "args")]
            self.ops.append({
                "name": s(one(node, "op_name", b"")),
                "type": s(one(node, "op_type", b"")),
                "args": args,
                "tname": s(one(t, "tensor_name", b"")),
                "dims": [int(d) for d in get(t, "tensor_dim")],
                "dtype": int(one(t, "data_type", 0)),
                "bits": int(one(t, "tensor_bit_width", 0)),
                "tattrs": attr_map(t, "tensor_attr"),
            })
        self.index = {op["name"]: i for i, op in enumerate(self.ops)}
        self.users = [[] for _ in self.ops]
        for i, op in enumerate(self.ops):
            for _, ins in op["args"]:
                for x in ins:
                    self.users[self.index[x]].append(i)
        self.root = one(msg, "subg_root", [])

    def ops_of(self, sg):
        children = get(sg, "subg_child")
        if not children:
            return {self.index[s(n)] for n in get(sg, "op_name")}
        out = set()
        for c in children:
            out |= self.ops_of(c)
        return out

    def tensor(self, i):
        op = self.ops[i]
        dt = DTYPES[op["dtype"]] if op["dtype"] < 6 else "TYPE%d_" % op["dtype"]
        line = "%s [%s] %s%d" % (op["tname"], ",".join(map(str, op["dims"])),
                                 dt, op["bits"])
        fp = op["tattrs"].get("fix_point")
        if fp is not None:
            line += " fix_point=%d" % int(one(fp, "int32_value", 0))
        return line


def count(sg):
    return 1 + sum(count(c) for c in get(sg, "subg_child"))


ISA1_ARCH = {0: (4, 8), 1: (4, 10), 2: (8, 8), 3: (4, 12), 4: (8, 10),
             5: (8, 12), 6: (8, 14), 7: (8, 16), 8: (4, 4), 9: (2, 6),
             10: (2, 8), 11: (2, 4)}


def decode(fp):
    """DPUCZDX8G ISA1 feature code, after Vitis AI's
    create_target_DPUCZDX8G_ISA1.cpp bit layout."""
    if fp >> 56 != 1 or (fp >> 48) & 0xFF != 1:
        return None
    fc = fp & ((1 << 48) - 1)
    pp, cp = ISA1_ARCH[fc & 0xF]
    peak = 2 * pp * cp * cp
    bit = lambda n: (fc >> n) & 1
    return ("DPUCZDX8G_ISA1_B%d_%016X PP=%d ICP=%d OCP=%d ALU_PP=%d IMG_BG=%d "
            "LD_AUGM=%d CV_LKRL=%d DW_LKRL=%d SV_AM=%d CV_WP=%d ALU_WP=%d "
            "peak_ops=%d" % (peak, fp, pp, cp, cp, (fc >> 8) & 0xF,
                             (fc >> 24) & 3, bit(26), bit(28), bit(29),
                             bit(30), 1 << ((fc >> 32) & 3),
                             1 << ((fc >> 34) & 3), peak))


def summary(g):
    out = ["graph " + g.name, "ops %d" % len(g.ops)]
    types = {}
    for op in g.ops:
        types[op["type"]] = types.get(op["type"], 0) + 1
    out.append("op_types %d" % len(types))
    out += ["    %s %d" % (t, types[t]) for t in sorted(types)]
    out.append("subgraphs %d" % count(g.root))

    def walk(sg, depth):
        ind = "    " * depth
        inner = ind + "    "
        attrs = attr_map(sg, "subg_attr")
        dev = attrs.get("device")
        dev = s(one(dev, "string_value")) if dev else "-"
        ops = g.ops_of(sg)
        children = get(sg, "subg_child")
        out.append("%s%s [device=%s, ops=%d, children=%d]" % (
            ind, s(one(sg, "subgraph_name", b"")), dev, len(ops), len(children)))
        seen = set()
        for i in sorted(ops):
            for _, ins in g.ops[i]["args"]:
                for x in ins:
                    p = g.index[x]
                    if p not in ops and p not in seen:
                        seen.add(p)
                        out.append(inner + "input " + g.tensor(p))
        for i in sorted(ops):
            if not g.users[i] or any(u not in ops for u in g.users[i]):
                out.append(inner + "output " + g.tensor(i))
        if "dpu_name" in attrs:
            out.append('%sdpu_name "%s"' % (
                inner, s(one(attrs["dpu_name"], "string_value"))))
        if "dpu_fingerprint" in attrs:
            fp = int(one(attrs["dpu_fingerprint"], "uint64_value"))
            out.append("%sfingerprint %s" % (inner, hex(fp)))
            d = decode(fp)
            out.append(inner + ("decoded " + d if d else "decoded (not decodable"))
        if dev == "DPU" and "workload" in attrs:
            out.append("%sworkload %s" % (inner, one(attrs["workload"], "uint64_value")))
        ctx = map_values(attrs.get("reg_id_to_context_type", []),
                         "map_string_2_string_value") or {}
        size = map_values(attrs.get("reg_id_to_size", []),
                          "map_string_2_int32_value") or {}
        par = map_values(attrs.get("reg_id_to_parameter_value", []),
                         "map_string_2_bytes_value") or {}
        for reg in sorted(set(ctx) | set(size)):
            line = inner + "reg " + reg
            if reg in ctx:
                line += " context=" + s(ctx[reg] or b"")
            if reg in size:
                line += " size=%d" % int(size[reg] or 0)
            if reg in par:
                line += " parameter_bytes=%d" % len(one(par[reg] or [], "value", b""))
            out.append(line)
        if "mc_code" in attrs:
            code = one(one(attrs["mc_code"], "bytes_value", []), "value", b"")
            out.append("%smc_code %d bytes" % (inner, len(code)))
        for c in children:
            walk(c, depth + 1)

    walk(g.root, 0)
    print("\n".join(out))


COLORS = {"CPU": "#f4a6a6", "DPU": "#a6c8f4", "": "#dddddd"}


def check_dot(g, path):
    """Node per op (in its leaf's cluster, colored by device), edge per
    input, cluster per non-root subgraph."""
    expect = {}  # op index -> (leaf name, device)

    def walk(sg, dev):
        attrs = attr_map(sg, "subg_attr")
        if "device" in attrs:
            dev = s(one(attrs["device"], "string_value"))
        children = get(sg, "subg_child")
        name = s(one(sg, "subgraph_name", b""))
        for n in ([] if children else get(sg, "op_name")):
            expect.setdefault(g.index[s(n)], (name, dev))
        for c in children:
            walk(c, dev)

    has_children = bool(get(g.root, "subg_child"))
    if has_children:
        walk(g.root, "")
    nodes, edges, clusters, stack = {}, [], 0, []
    pending_label = False
    for line in open(path):
        line = line.strip()
        if line.startswith("subgraph cluster_"):
            clusters += 1
            stack.append(None)
            pending_label = True
        elif pending_label and line.startswith("label="):
            stack[-1] = line[len('label="'):-2]
            pending_label = False
        elif line == "}" and stack:
            stack.pop()
        m = re.match(r'^n(\d+) \[label=.*fillcolor="(#[0-9a-f]+)"\];$', line)
        if m:
            nodes[int(m.group(1))] = (stack[-1] if stack else None, m.group(2))
        m = re.match(r"^n(\d+) -> n(\d+);$", line)
        if m:
            edges.append((int(m.group(1)), int(m.group(2))))
    want_edges = sorted((g.index[x], i) for i, op in enumerate(g.ops)
                        for _, ins in op["args"] for x in ins)
    errors = []
    if sorted(nodes) != list(range(len(g.ops))):
        errors.append("nodes %d, ops %d" % (len(nodes), len(g.ops)))
    if sorted(edges) != want_edges:
        errors.append("edges %d, inputs %d" % (len(edges), len(want_edges)))
    want_clusters = count(g.root) - 1 if has_children else 0
    if clusters != want_clusters:
        errors.append("clusters %d, subgraphs %d" % (clusters, want_clusters))
    for i, (leaf, dev) in expect.items():
        got = nodes.get(i)
        color = COLORS.get(dev, "#b6e3a8")
        if got != (leaf, color):
            errors.append("op %s: got %s, want %s" % (g.ops[i]["name"], got,
                                                      (leaf, color)))
    print("\n".join(errors[:10]) if errors else
          "dot ok: %d nodes, %d edges, %d clusters" % (len(nodes), len(edges),
                                                       clusters))
    return 1 if errors else 0


def check_dump(g, path):
    lines = [l.rstrip("\n") for l in open(path) if l.startswith("op ")]
    errors = []
    if len(lines) != len(g.ops):
        errors.append("%d op lines, %d ops" % (len(lines), len(g.ops)))
    for op, line in zip(g.ops, lines):
        args = "; ".join("%s=%s" % (n, ",".join(ins)) for n, ins in op["args"])
        head = "op %s : %s (%s) {" % (op["name"], op["type"], args)
        dt = DTYPES[op["dtype"]] if op["dtype"] < 6 else "?"
        tail = " -> %s [%s] %s%d {" % (op["tname"], ",".join(map(str, op["dims"])),
                                       dt, op["bits"])
        if not line.startswith(head) or tail not in line:
            errors.append("op %s: %s" % (op["name"], line[:200]))
    # Every code blob appears as its size and md5, as `xir dump_txt` prints.
    text = open(path).read()
    blobs = 0

    def walk(sg):
        nonlocal blobs
        attrs = attr_map(sg, "subg_attr")
        if "mc_code" in attrs:
            code = one(one(attrs["mc_code"], "bytes_value", []), "value", b"")
            want = "mc_code=<%d bytes md5 %s>" % (len(code),
                                                  hashlib.md5(code).hexdigest())
            blobs += 1
            if want not in text:
                errors.append("missing " + want)
        for c in get(sg, "subg_child"):
            walk(c)

    walk(g.root)
    print("\n".join(errors[:10]) if errors else
          "dump ok: %d ops, %d code blobs" % (len(lines), blobs))
    return 1 if errors else 0


def main():
    g = Graph(parse(sys.stdin.read()))
    mode = sys.argv[1]
    if mode == "summary":
        summary(g)
        return 0
    if mode == "dot":
        return check_dot(g, sys.argv[2])
    return check_dump(g, sys.argv[2])


if __name__ == "__main__":
    sys.exit(main())
