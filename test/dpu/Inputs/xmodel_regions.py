#!/usr/bin/env python3
"""Independent checks of the DDR registers of an xmodel's DPU subgraphs,
through `protoc --decode` (never vai's own reader).

  xmodel_regions.py --protoc P --proto X.proto [--reference R.xmodel] A.xmodel

For every DPU subgraph of A:
  * every tensor its ops write, and every input it reads, has reg_id,
    ddr_addr and location, and lies inside its region (reg_id_to_size);
  * no two tensors that are live at the same time share a byte of a region
    (liveness recomputed here from the op graph in file order; the bytes
    from ddr_addr, stride and dims); a concat-fix may hold its inputs, a
    reshape-fix the bytes of its input;
  * reg_id_to_parameter_value holds each const-fix's data at its ddr_addr,
    and is as long as the const region;
  * the reg_id_to_* maps agree with each other and, with --reference, give
    each REG_<n> the same kinds as the reference's DPU subgraph that has the
    most registers (Xilinx's pointpillars RPN subgraph).
Prints what was checked; exits 1 with MISMATCH on the first failure.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'Import', 'Inputs'))
from xmodel_compare import attr_map, decode, fields, one  # noqa: E402


def fail(what):
    print('MISMATCH:', what)
    sys.exit(1)


def scalar(value):
    """The one scalar of an AttrValue message (int, bytes or string)."""
    for key, v in value:
        if key.endswith('_value') and not isinstance(v, list):
            return int(v) if key in ('int32_value', 'int64_value',
                                     'uint32_value', 'uint64_value') else v
        if key.endswith('_value') and isinstance(v, list):
            vals = fields(v, 'value')
            if not key.endswith('vec_value'):
                return v
            return [x if isinstance(x, bytes) else int(x) for x in vals]
    return None


def string_map(value):
    """A map<string, X> AttrValue -> {key: raw value}."""
    for key, v in value:
        if key.startswith('map_'):
            out = {}
            for entry in fields(v, 'value'):
                k = one(entry, 'key').decode()
                val = one(entry, 'value')
                if isinstance(val, list):  # bytes_value { value: ... }
                    val = one(val, 'value')
                elif isinstance(val, str):
                    val = int(val)
                out[k] = val
            return out
    return {}


def leaf_ops(subgraph):
    names = [n.decode() for n in fields(subgraph, 'op_name')]
    for child in fields(subgraph, 'subg_child'):
        names += leaf_ops(child)
    return names


def byte_set(dims, stride, addr):
    """Every byte a tensor of `dims` occupies: addr + sum(i_k * stride_k)."""
    if not stride:  # contiguous
        stride = [int(np.prod(dims[k + 1:])) for k in range(len(dims))]
    offsets = np.zeros([1], dtype=np.int64)
    for d, s in zip(dims, stride):
        offsets = (offsets[:, None] + np.arange(d, dtype=np.int64) * s).ravel()
    return addr + offsets


def check_subgraph(g, ops, sg, name):
    attrs = attr_map(sg, 'subg_attr')
    maps = {k: string_map(attrs[k]) for k in (
        'reg_id_to_context_type', 'reg_id_to_context_type_v2',
        'reg_id_to_hw_segment', 'reg_id_to_size', 'reg_id_to_parameter_value')
        if k in attrs}
    if len(maps) != 5:
        fail('%s: reg_id_to_* maps missing: has %s' % (name, sorted(maps)))
    sizes = maps['reg_id_to_size']
    kinds = {}
    for reg, v2 in maps['reg_id_to_context_type_v2'].items():
        v2 = v2.decode()
        v1 = maps['reg_id_to_context_type'][reg].decode()
        seg = maps['reg_id_to_hw_segment'][reg].decode()
        if (v1, seg) != (('CONST', 'W0') if v2 == 'CONST' else ('DATA', 'D0')):
            fail('%s: %s is %s/%s/%s' % (name, reg, v1, v2, seg))
        kinds[reg] = v2
    if set(kinds) != set(sizes):
        fail('%s: register key sets differ' % name)

    members = leaf_ops(sg)
    inside = set(members)
    order = {n: i for i, n in enumerate(members)}
    consumers = {}
    for o in fields(g, 'op_node'):
        for arg in fields(o, 'args'):
            for src in fields(arg, 'arg_ops'):
                consumers.setdefault(src.decode(), []).append(
                    one(o, 'op_name').decode())
    returned = set()
    for a in fields(g, 'graph_attr'):
        if one(a, 'key') == b'return_ops':
            returned = {s.decode() for s in scalar(one(a, 'value', []))}
    inputs = sorted({src for m in members
                     for arg in fields(ops[m], 'args')
                     for src in [s.decode() for s in fields(arg, 'arg_ops')]
                     if src not in inside
                     # vai_c copies inputs in with upload ops, placed inside
                     and one(ops[m], 'op_type') != b'upload'})
    tensors = []
    for t in inputs + members:
        op = ops[t]
        tensor = one(op, 'output_tensor', [])
        tattrs = attr_map(tensor, 'tensor_attr')
        if one(op, 'op_type') == b'download':
            continue  # vai_c's download copies have no placement
        for key in ('reg_id', 'ddr_addr', 'location'):
            if key not in tattrs:
                fail('%s: tensor %s has no %s' % (name, t, key))
        if scalar(tattrs['location']) == 0:
            continue  # kept in the banks
        reg = 'REG_%d' % scalar(tattrs['reg_id'])
        if reg not in sizes:
            fail('%s: %s in unlisted %s' % (name, t, reg))
        dims = [int(d) for d in fields(tensor, 'tensor_dim')]
        stride = scalar(tattrs['stride']) if 'stride' in tattrs else None
        addr = scalar(tattrs['ddr_addr'])
        cells = byte_set(dims, stride, addr)
        if len(np.unique(cells)) != int(np.prod(dims)):
            fail('%s: %s overlaps itself (stride %s)' % (name, t, stride))
        if cells.min() < 0 or cells.max() >= sizes[reg]:
            fail('%s: %s at [%d, %d] outside %s of %d bytes' % (
                name, t, cells.min(), cells.max(), reg, sizes[reg]))
        users = [order[u] for u in consumers.get(t, []) if u in inside]
        outside = any(u not in inside for u in consumers.get(t, []))
        start = order.get(t, -1)
        # Parameters and outputs stay to the end.
        end = len(members) if outside or t in returned or \
            one(op, 'op_type') == b'const-fix' else max(users + [start])
        tensors.append(dict(name=t, reg=reg, cells=np.sort(cells),
                            start=start, end=end,
                            type=one(op, 'op_type').decode(), op=op))

    def view_of(a, b):
        """a's bytes may lie in b's: b concatenates a, or reshapes it."""
        if b['type'] not in ('concat-fix', 'reshape-fix'):
            return False
        srcs = [s.decode() for arg in fields(b['op'], 'args')
                for s in fields(arg, 'arg_ops')]
        if a['name'] in srcs:
            return bool(np.isin(a['cells'], b['cells']).all())
        return any(view_of(a, t) and view_of(t, b) for t in tensors
                   if t['name'] in srcs)

    pairs = 0
    for i, a in enumerate(tensors):
        for b in tensors[i + 1:]:
            if a['reg'] != b['reg'] or a['start'] > b['end'] or \
                    b['start'] > a['end']:
                continue
            pairs += 1
            ca, cb = a['cells'], b['cells']
            if ca[0] > cb[-1] or cb[0] > ca[-1]:
                continue
            if np.intersect1d(ca, cb, assume_unique=True).size and \
                    not (view_of(a, b) or view_of(b, a)):
                fail('%s: %s and %s are live together and share bytes of %s'
                     % (name, a['name'], b['name'], a['reg']))

    consts = 0
    for reg, blob in maps['reg_id_to_parameter_value'].items():
        if kinds.get(reg) != 'CONST' or len(blob) != sizes[reg]:
            fail('%s: parameter value of %s: %d bytes, size %d' % (
                name, reg, len(blob), sizes.get(reg, -1)))
        for t in tensors:
            if t['type'] != 'const-fix' or t['reg'] != reg:
                continue
            data = one(attr_map(t['op'], 'op_attr')['data'], 'bytes_value', [])
            data = one(data, 'value')
            if data:  # vai_c's const-fix ops leave data empty
                lo = int(t['cells'][0])
                if blob[lo:lo + len(data)] != data:
                    fail('%s: %s bytes differ at %d' % (name, t['name'], lo))
                consts += 1
    print('%s: %s, %d tensors placed, %d live pairs checked, %d consts in '
          'the parameters' % (name, ' '.join(
              '%s=%s:%d' % (r, kinds[r], sizes[r]) for r in sorted(kinds)),
              len(tensors), pairs, consts))
    return kinds


def dpu_subgraphs(g):
    root = one(g, 'subg_root', [])
    for child in fields(root, 'subg_child'):
        attrs = attr_map(child, 'subg_attr')
        if 'device' in attrs and scalar(attrs['device']) == b'DPU':
            yield child


def check(protoc, proto, path):
    g = decode(protoc, proto, path)
    ops = {one(o, 'op_name').decode(): o for o in fields(g, 'op_node')}
    result = []
    for sg in dpu_subgraphs(g):
        result.append(check_subgraph(g, ops, sg,
                                     one(sg, 'subgraph_name').decode()))
    if not result:
        fail('%s: no DPU subgraph' % path)
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--protoc', required=True)
    p.add_argument('--proto', required=True)
    p.add_argument('--reference')
    p.add_argument('xmodel')
    args = p.parse_args()
    ours = check(args.protoc, args.proto, args.xmodel)
    if args.reference:
        ref = max(check(args.protoc, args.proto, args.reference), key=len)
        for kinds in ours:
            for reg, kind in kinds.items():
                if ref.get(reg) != kind:
                    fail('%s is %s here, %s in the reference' % (
                        reg, kind, ref.get(reg)))
        print('register kinds as in the reference: %s' % ' '.join(
            '%s=%s' % kv for kv in sorted(ref.items())))


if __name__ == '__main__':
    main()
