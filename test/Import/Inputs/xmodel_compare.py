#!/usr/bin/env python3
"""Independent checks of xmodel files, through `protoc --decode`.

  xmodel_compare.py --protoc P --proto X.proto A.xmodel B.xmodel
      Compares two xmodels op by op (type, every attribute with its kind,
      input wiring, output tensor), plus graph attributes, the subgraph tree
      and the op definitions. Prints the counts compared; exits 1 on the
      first difference.

  xmodel_compare.py --protoc P --proto X.proto --subgraphs A.xmodel B.xmodel
      As above, and prints what was compared of the subgraph tree (levels,
      devices, attributes, byte payloads) and of the tensor attributes.
      Protobuf map entries compare as maps: their order is not meaning.

  xmodel_compare.py --protoc P --proto X.proto --const-checks A.xmodel
      Prints FileCheck lines for the quant.const ops the importer must make
      from A: for each float `const` read by one `fix`, its values times
      2^fix_point as integers (computed here with NumPy).

  xmodel_compare.py --protoc P --proto X.proto --pattern-counts A.xmodel
      Prints how many quant ops of each kind (and generic tfg.node ops) the
      importer must make of A's fix-form patterns, counted here.
"""
import argparse
import subprocess
import sys

import numpy as np


def unescape(s):
    """Bytes of a protobuf text-format string literal (without quotes)."""
    out = bytearray()
    i = 0
    simple = {'n': 10, 't': 9, 'r': 13, '"': 34, "'": 39, '\\': 92,
              'a': 7, 'b': 8, 'f': 12, 'v': 11, '?': 63}
    raw = s.encode('utf-8')
    while i < len(raw):
        c = raw[i]
        if c != 92:
            out.append(c)
            i += 1
            continue
        n = chr(raw[i + 1])
        if n in simple:
            out.append(simple[n])
            i += 2
        elif n in '01234567':
            j = i + 1
            while j < len(raw) and j < i + 4 and chr(raw[j]) in '01234567':
                j += 1
            out.append(int(raw[i + 1:j], 8) & 0xFF)
            i = j
        elif n == 'x':
            j = i + 2
            while j < len(raw) and j < i + 4 and chr(raw[j]) in '0123456789abcdefABCDEF':
                j += 1
            out.append(int(raw[i + 2:j], 16))
            i = j
        else:
            raise ValueError('bad escape \\' + n)
    return bytes(out)


def parse(text):
    """protoc text output -> nested lists of (field, value) pairs."""
    root = []
    stack = [root]
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line == '}':
            stack.pop()
            continue
        if line.endswith('{'):
            child = []
            stack[-1].append((line[:-1].strip().rstrip(':'), child))
            stack.append(child)
            continue
        key, value = line.split(':', 1)
        value = value.strip()
        if value.startswith('"'):
            value = unescape(value[1:-1])
        stack[-1].append((key, value))
    assert len(stack) == 1, 'unbalanced braces'
    return root


def decode(protoc, proto, path):
    import os
    with open(path, 'rb') as f:
        res = subprocess.run(
            [protoc, '-I' + os.path.dirname(proto),
             '--decode=serial_v2.Graph', proto],
            stdin=f, capture_output=True)
    if res.returncode:
        sys.exit('%s: protoc cannot decode: %s' % (path, res.stderr.decode()))
    return parse(res.stdout.decode('utf-8', 'surrogateescape'))


def fields(msg, name):
    return [v for k, v in msg if k == name]


def one(msg, name, default=b''):
    vals = fields(msg, name)
    return vals[0] if vals else default


def attr_map(msg, name):
    """A protobuf map field -> {key: value message}."""
    out = {}
    for entry in fields(msg, name):
        out[one(entry, 'key').decode()] = one(entry, 'value', [])
    return out


def norm(msg):
    """msg with the entries of every protobuf map (messages with a `key`
    field, contiguous in protoc's output) sorted by key."""
    if not isinstance(msg, list):
        return msg
    out = [(k, norm(v)) for k, v in msg]
    i = 0
    while i < len(out):
        k, v = out[i]
        j = i
        while (j < len(out) and out[j][0] == k and isinstance(out[j][1], list)
               and any(f == 'key' for f, _ in out[j][1])):
            j += 1
        if j > i + 1:
            out[i:j] = sorted(out[i:j], key=lambda e: one(e[1], 'key'))
        i = max(j, i + 1)
    return out


def fail(what):
    print('MISMATCH:', what)
    sys.exit(1)


def compare(a, b):
    if one(a, 'graph_name') != one(b, 'graph_name'):
        fail('graph_name')
    ops_a = {one(o, 'op_name').decode(): o for o in fields(a, 'op_node')}
    ops_b = {one(o, 'op_name').decode(): o for o in fields(b, 'op_node')}
    if len(ops_a) != len(fields(a, 'op_node')):
        fail('duplicate op names in the first file')
    if set(ops_a) != set(ops_b):
        fail('op sets differ: only first %s, only second %s' % (
            sorted(set(ops_a) - set(ops_b))[:5],
            sorted(set(ops_b) - set(ops_a))[:5]))
    n_attrs = n_fix = n_args = n_tensors = 0
    weight_bytes = 0
    types = {}
    for name, oa in ops_a.items():
        ob = ops_b[name]
        ta = one(oa, 'op_type').decode()
        if ta != one(ob, 'op_type').decode():
            fail('%s: op_type' % name)
        types[ta] = types.get(ta, 0) + 1
        aa, ab = attr_map(oa, 'op_attr'), attr_map(ob, 'op_attr')
        if set(aa) != set(ab):
            fail('%s: attribute names %s vs %s' % (name, sorted(aa), sorted(ab)))
        for key in aa:
            if norm(aa[key]) != norm(ab[key]):  # includes which AttrValue kind is set
                fail('%s: attribute %s' % (name, key))
            n_attrs += 1
        if ta == 'fix':
            for key in ('fix_point', 'bit_width', 'if_signed', 'round_mode'):
                if key not in aa:
                    fail('%s: fix without %s' % (name, key))
            n_fix += 1
        if ta in ('const', 'const-fix'):
            data = one(aa['data'], 'bytes_value', [])
            weight_bytes += len(one(data, 'value'))
        if fields(oa, 'args') != fields(ob, 'args'):
            fail('%s: inputs' % name)
        n_args += sum(len(fields(arg, 'arg_ops')) for arg in fields(oa, 'args'))
        if norm(one(oa, 'output_tensor', [])) != \
                norm(one(ob, 'output_tensor', [])):
            fail('%s: output tensor' % name)
        n_tensors += 1
    for field in ('graph_attr', 'subg_root', 'op_defs'):
        if norm([(field, v) for v in fields(a, field)]) != \
                norm([(field, v) for v in fields(b, field)]):
            if field == 'subg_root':
                compare_subgraphs(one(a, field, []), one(b, field, []), 'root')
            fail(field)
    same_order = [one(o, 'op_name') for o in fields(a, 'op_node')] == \
        [one(o, 'op_name') for o in fields(b, 'op_node')]
    print('ops: %d (%s)' % (len(ops_a), ', '.join(
        '%s %d' % kv for kv in sorted(types.items()))))
    print('attributes: %d' % n_attrs)
    print('fix ops: %d (fix_point, bit_width, if_signed, round_mode)' % n_fix)
    print('input edges: %d' % n_args)
    print('output tensors: %d' % n_tensors)
    print('const data bytes: %d' % weight_bytes)
    print('graph attrs: %d, op_defs: %d, subgraphs: %d' % (
        len(fields(a, 'graph_attr')), len(fields(a, 'op_defs')),
        len(fields(a, 'subg_root'))))
    print('op order identical: %s' % same_order)
    print('EQUAL')


def compare_subgraphs(a, b, path):
    """Names the first difference of two subgraph trees."""
    name = one(a, 'subgraph_name').decode()
    if name != one(b, 'subgraph_name').decode():
        fail('%s: subgraph name' % path)
    if fields(a, 'op_name') != fields(b, 'op_name'):
        fail('subgraph %s: op names' % name)
    aa, ab = attr_map(a, 'subg_attr'), attr_map(b, 'subg_attr')
    if set(aa) != set(ab):
        fail('subgraph %s: attribute names %s vs %s' % (
            name, sorted(set(aa) - set(ab)), sorted(set(ab) - set(aa))))
    for key in sorted(aa):
        if norm(aa[key]) != norm(ab[key]):
            fail('subgraph %s: attribute %s' % (name, key))
    ca, cb = fields(a, 'subg_child'), fields(b, 'subg_child')
    if len(ca) != len(cb):
        fail('subgraph %s: %d vs %d children' % (name, len(ca), len(cb)))
    for x, y in zip(ca, cb):
        compare_subgraphs(x, y, path + '/' + name)


def byte_payloads(value):
    """Sizes of the bytes an AttrValue holds (bytes, bytes vec, map to
    bytes)."""
    sizes = []
    for kind, v in value:
        if kind == 'bytes_value':
            sizes.append(len(one(v, 'value')))
        elif kind == 'bytes_vec_value':
            sizes += [len(one(x, 'value')) for x in fields(v, 'value')]
        elif kind == 'map_string_2_bytes_value':
            sizes += [len(one(one(e, 'value', []), 'value'))
                      for e in fields(v, 'value')]
    return sizes


def subgraph_report(g):
    """What the subgraph tree and the tensors hold, counted from the file."""
    root = one(g, 'subg_root', [])
    levels, devices, attrs, payload = {}, {}, {}, {}
    n_attrs = 0
    ops_in_leaves = 0

    def walk(s, depth):
        nonlocal n_attrs, ops_in_leaves
        levels[depth] = levels.get(depth, 0) + 1
        am = attr_map(s, 'subg_attr')
        if depth == 1:
            dev = one(am.get('device', []), 'string_value').decode() or '-'
            devices[dev] = devices.get(dev, 0) + 1
        for key, value in am.items():
            attrs[key] = attrs.get(key, 0) + 1
            n_attrs += 1
            for size in byte_payloads(value):
                payload[key] = payload.get(key, 0) + size
        if depth:
            ops_in_leaves += len(fields(s, 'op_name'))
        for c in fields(s, 'subg_child'):
            walk(c, depth + 1)

    walk(root, 0)
    print('subgraphs: %d (per level %s)' % (
        sum(levels.values()),
        ', '.join('%d' % levels[d] for d in sorted(levels))))
    print('root children by device: %s' % ', '.join(
        '%s %d' % kv for kv in sorted(devices.items())))
    print('ops in non-root subgraphs: %d' % ops_in_leaves)
    print('subgraph attributes: %d (%s)' % (n_attrs, ', '.join(
        '%s %d' % kv for kv in sorted(attrs.items()))))
    print('subgraph byte payloads: %s' % ', '.join(
        '%s %d' % kv for kv in sorted(payload.items())))
    tattrs = {}
    for o in fields(g, 'op_node'):
        for key in attr_map(one(o, 'output_tensor', []), 'tensor_attr'):
            tattrs[key] = tattrs.get(key, 0) + 1
    print('tensor attributes: %s' % ', '.join(
        '%s %d' % kv for kv in sorted(tattrs.items())))
    renamed = sum(1 for o in fields(g, 'op_node')
                  if one(one(o, 'output_tensor', []), 'tensor_name') !=
                  one(o, 'op_name'))
    print('ops whose output tensor has another name: %d' % renamed)


def op_index(g):
    """The graph's ops, ops by name, and the ops reading each op (once per
    input naming it)."""
    ops = fields(g, 'op_node')
    by_name = {one(o, 'op_name').decode(): o for o in ops}
    users = {}
    for o in ops:
        for arg in fields(o, 'args'):
            for src in fields(arg, 'arg_ops'):
                users.setdefault(src.decode(), []).append(o)
    return ops, by_name, users


def const_checks(g):
    ops, by_name, users = op_index(g)
    count = 0
    for fix in ops:
        if one(fix, 'op_type') != b'fix':
            continue
        src = one(one(fix, 'args', []), 'arg_ops').decode()
        c = by_name[src]
        if one(c, 'op_type') != b'const' or len(users[src]) != 1:
            continue
        attrs = attr_map(fix, 'op_attr')
        fp = int(one(attrs['fix_point'], 'int32_value'))
        data = one(one(attr_map(c, 'op_attr')['data'], 'bytes_value', []),
                   'value')
        values = np.frombuffer(data, dtype='<f4').astype(np.float64) * 2.0**fp
        q = np.round(values)
        assert np.all(q == values) and q.min() >= -128 and q.max() <= 127
        dims = [int(d) for d in fields(one(c, 'output_tensor', []), 'tensor_dim')]
        count += 1
        # Small constants are printed element by element; check their values.
        if q.size <= 100:
            body = ', '.join('%d' % v for v in q)
            if len(dims) > 1 or q.size == 1:
                body = None
            if body is not None:
                print('CHECK-DAG: quant.const dense<[%s]> : tensor<%dxi8> '
                      '{xir.const_name = "%s"} -> '
                      'tensor<%dx!quant.fix<s8, %d>>' % (
                          body, q.size, src, q.size, fp))
    print('# %d const + fix pairs' % count)


QUANT_OF = {'conv2d': 'quant.conv2d',
            'depthwise-conv2d': 'quant.depthwise_conv2d',
            'transposed-conv2d': 'quant.conv2d_transpose',
            'matmul': 'quant.matmul', 'add': 'quant.add', 'mul': 'quant.mul',
            'concat': 'quant.concat', 'maxpool2d': 'quant.max_pool',
            'avgpool2d': 'quant.avg_pool', 'reshape': 'quant.reshape',
            'flatten': 'quant.reshape', 'reduction_max': 'quant.max_pool'}
CONV_LIKE = ('conv2d', 'depthwise-conv2d', 'transposed-conv2d', 'matmul')


def pattern_counts(g):
    """How many ops of each kind --import-xmodel should make of g: a float
    op of QUANT_OF whose inputs are all `fix` outputs, read only by an
    optional activation (relu/relu6/leaky-relu after conv2d, depthwise-conv2d,
    transposed-conv2d and matmul; relu after add) read only by a `fix`, is one quant op (a
    convolution's weights a const + fix read only there); a const read only
    by a fix, at integers of its fix point, a quant.const; any other fix a
    quant.quantize; the rest generic tfg.node ops. A conv-like op (+
    activation) read only by concats whose sole reader is a fix (vai_q's
    form of voxelnet's deconvs) is one quant op without a fix of its own;
    reduction_max over H and/or W of a rank-4 tensor with keep_dims (its
    only attributes) + fix is a quant.max_pool. A transpose of a fix output
    read by such a pattern gets one quant.quantize (its position carried
    through the transpose) and stays a tfg.node itself."""
    ops, by_name, users = op_index(g)
    returned = set()
    for entry in fields(g, 'graph_attr'):
        if one(entry, 'key') == b'return_ops':
            vec = one(one(entry, 'value', []), 'string_vec_value', [])
            returned = {v.decode() for v in fields(vec, 'value')}

    def name(o):
        return one(o, 'op_name').decode()

    def kind(o):
        return one(o, 'op_type').decode()

    def inputs(o):
        return [src.decode() for arg in fields(o, 'args')
                for src in fields(arg, 'arg_ops')]

    def sole_reader(o):
        us = users.get(name(o), [])
        return us[0] if len(us) == 1 and name(o) not in returned else None

    fused = set()  # fix ops of const + fix pairs
    for fix in ops:
        if kind(fix) != 'fix':
            continue
        c = by_name[inputs(fix)[0]]
        if kind(c) != 'const' or len(users[name(c)]) != 1:
            continue
        attrs = attr_map(fix, 'op_attr')
        fp = int(one(attrs['fix_point'], 'int32_value'))
        data = one(one(attr_map(c, 'op_attr')['data'], 'bytes_value', []),
                   'value')
        v = np.frombuffer(data, dtype='<f4').astype(np.float64) * 2.0**fp
        if np.all(np.round(v) == v) and v.min() >= -128 and v.max() <= 127:
            fused.add(name(fix))

    def concat_fix(o):
        us = users.get(name(o), [])
        if not us or name(o) in returned:
            return False
        for c in us:
            f = sole_reader(c) if kind(c) == 'concat' else None
            if f is None or kind(f) != 'fix':
                return False
        return True

    def spatial_max(o):
        attrs = attr_map(o, 'op_attr')
        if set(attrs) != {'axis', 'keep_dims'} or \
                one(attrs['keep_dims'], 'bool_value') != 'true':
            return False
        axes = [int(a) for a in fields(one(attrs['axis'], 'int32_vec_value',
                                           []), 'value')]
        rank = len(fields(one(by_name[inputs(o)[0]], 'output_tensor', []),
                          'tensor_dim'))
        axes = [a + rank if a < 0 else a for a in axes]
        return rank == 4 and axes and len(set(axes)) == len(axes) and \
            set(axes) <= {1, 2}

    counts = {}
    absorbed = set()
    unfixed = set()  # outputs of chains whose concat's fix is their position
    carried = set()  # transposes of fixed values read by a pattern

    def fixed_or_carried(i):
        src = by_name[i]
        if kind(src) == 'fix' or i in unfixed:
            return True
        return kind(src) == 'transpose' and len(inputs(src)) == 1 and \
            kind(by_name[inputs(src)[0]]) == 'fix'

    for o in ops:
        t = kind(o)
        if t not in QUANT_OF:
            continue
        if not all(fixed_or_carried(i) for i in inputs(o)):
            continue
        if t == 'reduction_max' and not spatial_max(o):
            continue
        if t in ('conv2d', 'depthwise-conv2d', 'transposed-conv2d'):
            w = [one(a, 'arg_ops').decode() for a in fields(o, 'args')
                 if one(a, 'arg_name') == b'weights']
            if not w or w[0] not in fused or len(users[w[0]]) != 1:
                continue
        nxt, act = sole_reader(o), None
        if nxt is not None and (
                (t in CONV_LIKE and kind(nxt) in ('relu', 'relu6')) or
                (t == 'add' and kind(nxt) == 'relu')):
            act, nxt = nxt, sole_reader(nxt)
        if nxt is None or kind(nxt) != 'fix':
            last = act if act is not None else o
            if t not in CONV_LIKE or not concat_fix(last):
                continue
            counts[QUANT_OF[t]] = counts.get(QUANT_OF[t], 0) + 1
            absorbed.update({name(o)} | ({name(act)} if act else set()))
            unfixed.add(name(last))
            carried.update(i for i in inputs(o)
                           if kind(by_name[i]) == 'transpose')
            continue
        counts[QUANT_OF[t]] = counts.get(QUANT_OF[t], 0) + 1
        carried.update(i for i in inputs(o) if kind(by_name[i]) == 'transpose')
        absorbed.update({name(o), name(nxt)} | ({name(act)} if act else set()))
    n_fix = sum(1 for o in ops if kind(o) == 'fix')
    counts['quant.const'] = len(fused)
    counts['quant.quantize'] = n_fix - len(fused) - sum(
        1 for a in absorbed if kind(by_name[a]) == 'fix') + len(carried)
    counts['tfg.node'] = sum(
        1 for o in ops if kind(o) not in ('data', 'fix') and
        name(o) not in absorbed and
        not (kind(o) == 'const' and any(name(u) in fused
                                        for u in users.get(name(o), []))))
    for k in sorted(counts):
        print(k, counts[k])


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--protoc', required=True)
    p.add_argument('--proto', required=True)
    p.add_argument('--const-checks', action='store_true')
    p.add_argument('--pattern-counts', action='store_true')
    p.add_argument('--subgraphs', action='store_true')
    p.add_argument('files', nargs='+')
    args = p.parse_args()
    graphs = [decode(args.protoc, args.proto, f) for f in args.files]
    if args.const_checks:
        const_checks(graphs[0])
    elif args.pattern_counts:
        pattern_counts(graphs[0])
    else:
        compare(graphs[0], graphs[1])
        if args.subgraphs:
            subgraph_report(graphs[0])


if __name__ == '__main__':
    main()
