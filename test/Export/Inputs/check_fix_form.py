#!/usr/bin/env python3
"""Independent check of a quant module written in XIR's quantized form.

  check_fix_form.py --protoc P --proto X.proto --quant Q.mlir \
      --xmodel W.xmodel [--reimported R.mlir]

Q.mlir is the quant module (printed with --mlir-print-debuginfo), W.xmodel
what `vai-translate --export-xmodel --xmodel-fix-form` wrote for it, decoded
here with protoc. The expectations are XIR's, as Xilinx's quantized
voxelnet and the op definitions stored in it spell them: float ops (conv2d
with weights [O, kh, kw, I], kernel/stride/dilation as {w, h}, pad as
{left, right, top, bottom}, pad_mode FLOOR), activations as ops of their
own, and a `fix` (bit_width, fix_point, if_signed, round_mode) after every
fixed-point value; constants are float32 `const` = int8 * 2^-fix_point.
The xmodel is matched to the module by its edges, not by op names.

With --reimported (the --import-xmodel of W), also checks that the module
read back passes the same checks against W: every op comes back as the same
quant op, with its fix points and constants.
"""
import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..',
                                'Import', 'Inputs'))
import xmodel_compare as xc  # noqa: E402  (protoc text parser)


def fail(msg):
    print('MISMATCH:', msg)
    sys.exit(1)


# --- the quant module, from its text --------------------------------------

FIX_RE = re.compile(r'!quant\.fix<s(\d+), (-?\d+)>')
LINE_RE = re.compile(r'^\s*%(\S+) = quant\.(\w+) (.*) loc\((#loc\d*|".*")\)$')


def parse_locs(text):
    locs = {}
    for m in re.finditer(r'^(#loc\d*) = loc\("((?:[^"\\]|\\.)*)"', text, re.M):
        locs[m.group(1)] = m.group(2)
    return locs


def loc_name(locs, ref):
    if ref.startswith('"'):
        return ref.split('"')[1]
    return locs.get(ref, '')


def tensor_types(s):
    """The `tensor<...>` types of a line, in order, as (dims, elem)."""
    out = []
    for m in re.finditer(r'tensor<([^<>]*(?:<[^<>]*>)?)>', s):
        parts = m.group(1).split('x')
        dims, elem = [], None
        for i, p in enumerate(parts):
            if p == '?' or p.isdigit():
                dims.append(1 if p == '?' else int(p))
            else:
                elem = 'x'.join(parts[i:])
                break
        out.append((dims, elem))
    return out


def fix_point(elem):
    m = FIX_RE.search(elem)
    return int(m.group(2)) if m else None


def dense_values(body, dims):
    m = re.match(r'dense<"0x([0-9A-Fa-f]*)">', body)
    n = int(np.prod(dims)) if dims else 1
    if m:
        raw = bytes.fromhex(m.group(1))
        vals = np.frombuffer(raw, dtype=np.int8).astype(np.int64)
        if vals.size == 1:
            vals = np.full(n, vals[0])
    else:
        inner = body[len('dense<'):body.index('>')]
        nums = [int(v) for v in re.findall(r'-?\d+', inner)]
        vals = np.array(nums if len(nums) == n else nums * n, dtype=np.int64)
    return vals.reshape(dims)


def array_attr(body, key):
    m = re.search(key + r' = array<i64: ([-\d, ]*)>', body)
    return [int(v) for v in m.group(1).split(',')] if m else None


def parse_quant(text):
    locs = parse_locs(text)
    ops = []
    for line in text.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        result, kind, body, loc = m.groups()
        operands = re.findall(r'%([\w#]+)', body.split(':')[0].split('{')[0])
        types = tensor_types(body)
        op = {'result': result, 'kind': kind, 'operands': operands,
              'name': loc_name(locs, loc), 'types': types,
              'fix': fix_point(types[-1][1]), 'dims': types[-1][0]}
        if kind == 'const':
            op['values'] = dense_values(body, types[0][0])
        for key in ('strides', 'dilations', 'pad', 'kernel'):
            op[key] = array_attr(body, key)
        nl = re.search(r'nonlinear = #quant\.nonlinear<(\w+)>', body)
        op['nonlinear'] = nl.group(1) if nl else 'none'
        ax = re.search(r'axis = (-?\d+)', body)
        op['axis'] = int(ax.group(1)) if ax else None
        ops.append(op)
    args = re.search(r'func\.func @main\((.*?)\) ->', text)
    inputs = re.findall(r'%(arg\d+): tensor<[^>]*> \{tfg\.name = "([^"]*)"',
                        args.group(1)) if args else []
    ret = re.search(r'^\s*return (.*?) :', text, re.M)
    returns = re.findall(r'%(\w+)', ret.group(1)) if ret else []
    return ops, dict(inputs), returns


# --- the xmodel ----------------------------------------------------------

def attr_value(v):
    kind, val = v[0]
    if kind == 'int32_vec_value':
        return [int(x) for _, x in val]
    if kind == 'int32_value':
        return int(val)
    if kind == 'bool_value':
        return val == 'true'
    if kind == 'string_value':
        return val.decode()
    if kind == 'float_value':
        return float(val)
    if kind == 'bytes_value':
        return xc.one(val, 'value')
    if kind == 'string_vec_value':
        return [x.decode() for _, x in val]
    return (kind, val)


def load_xmodel(protoc, proto, path):
    g = xc.decode(protoc, proto, path)
    ops = {}
    for o in xc.fields(g, 'op_node'):
        name = xc.one(o, 'op_name').decode()
        attrs = {k: attr_value(v) for k, v in xc.attr_map(o, 'op_attr').items()}
        args = {}
        for a in xc.fields(o, 'args'):
            args[xc.one(a, 'arg_name').decode()] = [
                x.decode() for x in xc.fields(a, 'arg_ops')]
        t = xc.one(o, 'output_tensor', [])
        ops[name] = {'type': xc.one(o, 'op_type').decode(), 'attrs': attrs,
                     'args': args,
                     'dims': [int(d) for d in xc.fields(t, 'tensor_dim')],
                     'dtype': int(xc.one(t, 'data_type', '0')),
                     'bits': int(xc.one(t, 'tensor_bit_width', '0'))}
    gattrs = {k: attr_value(v) for k, v in xc.attr_map(g, 'graph_attr').items()}
    return ops, gattrs


class Checker:
    def __init__(self, xops):
        self.x = xops
        self.users = {}
        for name, o in xops.items():
            for srcs in o['args'].values():
                for s in srcs:
                    self.users.setdefault(s, []).append(name)
        self.value = {}     # quant SSA name -> xmodel op name (a fix)
        self.fixes = 0
        self.consts = 0
        self.weights = 0
        self.kinds = {}
        for o in xops.values():
            if o['dtype'] != 4 or o['bits'] != 32:
                fail('tensor of a %s is not FLOAT32' % o['type'])

    def check_fix(self, name, fp, what):
        o = self.x[name]
        if o['type'] != 'fix':
            fail('%s: expected a fix, found %s %s' % (what, o['type'], name))
        want = {'bit_width': 8, 'fix_point': fp, 'if_signed': True,
                'round_mode': 'DPU_ROUND'}
        if o['attrs'] != want:
            fail('%s: fix %s has %s, want %s' % (what, name, o['attrs'], want))
        self.fixes += 1

    def only_user(self, name, what):
        users = self.users.get(name, [])
        if len(users) != 1:
            fail('%s: %s has users %s' % (what, name, users))
        return users[0]

    def check_const(self, fixname, op, layout, what):
        """The fix -> const pair a quant.const became."""
        self.check_fix(fixname, op['fix'], what)
        src = self.x[fixname]['args']['input'][0]
        c = self.x[src]
        q = op['values']
        if layout == 'OHWI':
            q = np.transpose(q, (3, 0, 1, 2))
        want = (q.astype(np.float64) * 2.0 ** -op['fix']).astype('<f4')
        if c['type'] != 'const' or c['attrs'].get('data_type') != 'float32':
            fail('%s: %s is not a float32 const' % (what, src))
        if c['attrs']['shape'] != list(q.shape) or c['dims'] != list(q.shape):
            fail('%s: const shape %s, want %s' % (what, c['attrs']['shape'],
                                                    list(q.shape)))
        got = np.frombuffer(c['attrs']['data'], dtype='<f4')
        if got.size != want.size or not np.array_equal(got, want.ravel()):
            fail('%s: const values differ from int8 * 2^-%d' % (what, op['fix']))
        self.consts += 1
        self.weights += got.size
        return q

    def find(self, xtype, first_input, what):
        cands = [u for u in self.users.get(first_input, [])
                 if self.x[u]['type'] == xtype]
        if len(cands) != 1:
            fail('%s: no single %s reading %s (%s)' % (what, xtype,
                                                        first_input, cands))
        return cands[0]

    def output(self, name, op, what):
        """Optional activation op, then the fix carrying op's position."""
        act = {'none': None, 'relu': 'relu', 'relu6': 'relu6',
               'leaky_relu': 'leaky-relu'}[op['nonlinear']]
        if act:
            name = self.only_user(name, what)
            if self.x[name]['type'] != act:
                fail('%s: expected %s, found %s' % (what, act,
                                                    self.x[name]['type']))
            if act == 'leaky-relu' and \
                    self.x[name]['attrs'] != {'alpha': 26.0 / 256}:
                fail('%s: leaky-relu alpha %s' % (what, self.x[name]['attrs']))
        fix = self.only_user(name, what)
        self.check_fix(fix, op['fix'], what + ' output')
        if self.x[fix]['dims'] != op['dims']:
            fail('%s: output dims %s, want %s' % (what, self.x[fix]['dims'],
                                                  op['dims']))
        self.value[op['result']] = fix

    def run(self, ops, inputs, returns, gattrs):
        byname = {op['result']: op for op in ops}
        for arg, name in inputs.items():
            if self.x.get(name, {}).get('type') != 'data':
                fail('input %s: no data op' % name)
            self.value[arg] = name
        for op in ops:
            k = op['kind']
            what = '%s (quant.%s)' % (op['name'], k)
            self.kinds[k] = self.kinds.get(k, 0) + 1
            if k == 'const':
                continue  # checked where it is read
            if k == 'quantize':
                fix = self.find('fix', self.value[op['operands'][0]], what)
                self.check_fix(fix, op['fix'], what)
                self.value[op['result']] = fix
                continue
            if k == 'dequantize':
                self.value[op['result']] = self.value[op['operands'][0]]
                continue
            ins = [self.value.get(v) for v in op['operands']]
            xtype = {'conv2d': 'conv2d', 'depthwise_conv2d': 'depthwise-conv2d',
                     'matmul': 'matmul', 'max_pool': 'maxpool2d',
                     'avg_pool': 'avgpool2d', 'add': 'add', 'mul': 'mul',
                     'concat': 'concat', 'reshape': 'reshape'}[k]
            name = self.find(xtype, ins[0], what)
            x = self.x[name]
            a = x['attrs']
            if x['dims'] != op['dims']:
                fail('%s: dims %s want %s' % (what, x['dims'], op['dims']))
            if k in ('conv2d', 'depthwise_conv2d'):
                wop = byname[op['operands'][1]]
                kh, kw, ci, co = wop['values'].shape
                want = {'kernel': [kw, kh],
                        'stride': op['strides'][::-1],
                        'dilation': op['dilations'][::-1],
                        'pad': [op['pad'][2], op['pad'][3], op['pad'][0],
                                op['pad'][1]],
                        'pad_mode': 'FLOOR'}
                if k == 'conv2d':
                    want.update({'bias_term': len(op['operands']) == 3,
                                 'group': 1, 'in_dim': ci, 'out_dim': co})
                if a != want:
                    fail('%s: attrs %s want %s' % (what, a, want))
                wants = {'input': [ins[0]]}
                self.check_const(x['args']['weights'][0], wop, 'OHWI',
                                 what + ' weights')
                wants['weights'] = x['args']['weights']
                if len(op['operands']) == 3:
                    self.check_const(x['args']['bias'][0],
                                     byname[op['operands'][2]], None,
                                     what + ' bias')
                    wants['bias'] = x['args']['bias']
                if x['args'] != wants:
                    fail('%s: args %s' % (what, x['args']))
            elif k == 'matmul':
                if a != {'transpose_a': False, 'transpose_b': False}:
                    fail('%s: attrs %s' % (what, a))
                self.check_const(x['args']['input'][1],
                                 byname[op['operands'][1]], None,
                                 what + ' weights')
                if len(op['operands']) == 3:
                    self.check_const(x['args']['bias'][0],
                                     byname[op['operands'][2]], None,
                                     what + ' bias')
            elif k in ('max_pool', 'avg_pool'):
                want = {'kernel': op['kernel'][::-1],
                        'stride': op['strides'][::-1],
                        'pad': [op['pad'][2], op['pad'][3], op['pad'][0],
                                op['pad'][1]],
                        'pad_mode': 'FLOOR'}
                if k == 'avg_pool':
                    want.update({'count_include_pad': True,
                                 'count_include_invalid': True})
                if a != want:
                    fail('%s: attrs %s want %s' % (what, a, want))
            elif k in ('add', 'mul', 'concat'):
                for i, v in enumerate(op['operands']):
                    if byname.get(v, {}).get('kind') == 'const' and \
                            len(x['args'].get('input', [])) > i:
                        ins[i] = x['args']['input'][i]
                        self.check_const(ins[i], byname[v], None,
                                         '%s operand %d' % (what, i))
                if x['args'] != {'input': ins}:
                    fail('%s: inputs %s want %s' % (what, x['args'], ins))
                if a != ({'axis': op['axis']} if k == 'concat' else {}):
                    fail('%s: attrs %s' % (what, a))
            elif k == 'reshape':
                if a != {'shape': op['dims']}:
                    fail('%s: attrs %s' % (what, a))
            self.output(name, op, what)
        want = [self.value[r] for r in returns]
        if gattrs.get('return_ops') != want:
            fail('return_ops %s want %s' % (gattrs.get('return_ops'), want))
        counted = sum(1 for o in self.x.values() if o['type'] == 'fix')
        if counted != self.fixes:
            fail('%d fix ops in the file, %d accounted for' % (counted,
                                                               self.fixes))


def check_reimported(text, xops, gattrs):
    """The module --import-xmodel read back from the file passes the same
    checks against it: quant compute ops (not generic XIR nodes) with the
    same attributes, fix points and constants."""
    if 'tfg.node' in text:
        fail('reimported module has generic XIR ops')
    ops, inputs, returns = parse_quant(text)
    c = Checker(xops)
    c.run(ops, inputs, returns, gattrs)
    return c


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--protoc', required=True)
    p.add_argument('--proto', required=True)
    p.add_argument('--quant', required=True)
    p.add_argument('--xmodel', required=True)
    p.add_argument('--reimported')
    args = p.parse_args()
    ops, inputs, returns = parse_quant(open(args.quant).read())
    if not ops:
        fail('no quant ops in ' + args.quant)
    xops, gattrs = load_xmodel(args.protoc, args.proto, args.xmodel)
    c = Checker(xops)
    c.run(ops, inputs, returns, gattrs)
    types = {}
    for o in xops.values():
        types[o['type']] = types.get(o['type'], 0) + 1
    print('quant ops: %s' % ', '.join('%s %d' % kv
                                      for kv in sorted(c.kinds.items())))
    print('xmodel ops: %s' % ', '.join('%s %d' % kv
                                       for kv in sorted(types.items())))
    print('fix ops checked: %d' % c.fixes)
    print('consts checked: %d (%d values)' % (c.consts, c.weights))
    if args.reimported:
        r = check_reimported(open(args.reimported).read(), xops, gattrs)
        print('reimported quant ops: %s' % ', '.join(
            '%s %d' % kv for kv in sorted(r.kinds.items())))
        print('reimported fix ops checked: %d, consts: %d' % (r.fixes,
                                                              r.consts))
    print('OK')


if __name__ == '__main__':
    main()
