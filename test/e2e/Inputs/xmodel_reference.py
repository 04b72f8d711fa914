"""Executes a compiled .xmodel with an independent NumPy model of XIR's
fixed-point op semantics.

    xmodel_reference.py MODEL.xmodel INPUT.npy OUTPUT.npy
        [--protoc PATH] [--proto-dir DIR] [--compare OURS.npy]
    xmodel_reference.py MODEL.xmodel IN0.npy[,IN1.npy...] OUTDIR
        --subgraph NAME [--compare OURSDIR]

The xmodel is decoded with `protoc --decode=serial_v2.Graph` and the text
format is parsed here (no python protobuf module needed). Every op is then
run on integers, exactly:

  data-fix     q = clip(floor(x * 2^fp + 1/2), -128, 127)      (DPU_ROUND)
  const-fix    int8 `data` bytes; 4-D weights in OHWI order
  conv2d-fix   y = floor((sum x*w + b * 2^(fi+fw-fb)) / 2^(fi+fw-fo) + 1/2)
               then RELU / RELU6 (clip to round(6 * 2^fo)) / LEAKYRELU
               (negative values times 26/256 before the single rounding),
               then saturation to [-128, 127]
  pool-fix     MAX: window maximum, padding never wins
               AVG: floor(S * m / 2^s * 2^(fo-fi) + 1/2) with the DPU's
               (m, s) multiplier for the kernel area
  eltwise-fix  ADD: floor(sum a_i * 2^(fo-fi) + 1/2), optional RELU
               MUL: floor(a * b / 2^(fa+fb-fo) + 1/2)
  depthwise-conv2d-fix  as conv2d-fix, weights [M, kh, kw, C], output
               channel c*M + m sums input channel c only
  concat-fix   each input floor(q * 2^(fo-fi) + 1/2), saturated, then
               concatenated along `axis`
  reshape-fix  row-major reshape of the same integers
  fix2float    x = q * 2^-fp
  float2fix    q = clip(floor(x * 2^fp + 1/2), -128, 127)      (DPU_ROUND)

Float ops (ops a quantizer left float, run on the CPU) compute in float64
from float32 values and round the result to float32, from XIR's op
definitions: const (float32 `data`), softmax (axis), sigmoid, tanh, swish,
hard-sigmoid relu6(x + 3) / 6, hard-swish x * relu6(x + 3) / 6, relu,
relu6, leaky-relu (alpha), prelu (weight broadcast), transpose (order),
add/sub/mul/div/min/max (broadcast).

Attribute conventions: tensors NHWC with batch 1 in the file (replaced by
the input's N here); kernel/stride/dilation are [w, h]; pad is
[left, right, top, bottom].

This file deliberately does not share code or tables with the compiler: it is
written from the op definitions alone so that it can check the compiler's
own fixed-point interpreter bit for bit.

Compiled files (vai_c_xir's output): with --subgraph NAME only that child of
the root runs; INPUT is a comma-separated list of int8 .npy files holding the
codes its uploads receive, OUTPUT a directory receiving output_<i>.npy (int8
codes, one per download, in file order); const-fix ops whose `data` is empty
read their bytes from the subgraph's reg_id_to_parameter_value["REG_<reg_id>"]
at the tensor's ddr_addr; --compare DIR compares byte for byte with DIR's
output_<i>.npy.

With --whole, a compiled file runs end to end (execute_compiled): every op
in dependence order with upload/download passing their input on, the CPU
ops fix and float2fix (q = clip(floor(x * 2^fp + 1/2), -128, 127)),
fix2float, transpose and pointpillars' PPScatterV2 (ppscatter_v2) included;
INPUT is one .npy per data op in file order (int8 codes or floats for a
data-fix), OUTPUT a directory receiving <i>.npy for the return_ops (int8
codes) and the ops nobody reads (float32), listed in names.txt.

With --compare OURS.npy the reference output is also compared with OURS.npy
on the integer level (both divided by the output step 2^-fp and rounded);
the script prints `compared N outputs: M mismatches` and exits 1 if M > 0.
"""
import argparse
import collections
import os
import subprocess
import sys

import numpy as np

INT8_MIN, INT8_MAX = -128, 127

# ---------------------------------------------------------------------------
# protobuf text format (as printed by `protoc --decode`)
# ---------------------------------------------------------------------------

_SIMPLE_ESCAPES = {
    ord("n"): 10, ord("t"): 9, ord("r"): 13, ord("a"): 7, ord("b"): 8,
    ord("f"): 12, ord("v"): 11, ord("\\"): 92, ord("'"): 39, ord('"'): 34,
    ord("?"): 63,
}
_OCTAL = b"01234567"
_HEX = b"0123456789abcdefABCDEF"


def _unescape(raw):
    """Decodes the body of a C-escaped protobuf text string to bytes."""
    out = bytearray()
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c != 0x5C:  # backslash
            out.append(c)
            i += 1
            continue
        if i + 1 >= n:
            raise ValueError("dangling backslash in string literal")
        e = raw[i + 1]
        if e in _OCTAL:
            j = i + 1
            while j < n and j < i + 4 and raw[j] in _OCTAL:
                j += 1
            value = int(raw[i + 1:j], 8)
            if value > 255:
                raise ValueError("octal escape out of range: %r" % raw[i:j])
            out.append(value)
            i = j
        elif e in (ord("x"), ord("X")):
            j = i + 2
            while j < n and j < i + 4 and raw[j] in _HEX:
                j += 1
            if j == i + 2:
                raise ValueError("empty \\x escape")
            out.append(int(raw[i + 2:j], 16))
            i = j
        elif e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
            i += 2
        else:
            raise ValueError("unknown escape \\%s" % chr(e))
    return bytes(out)


class _String(bytes):
    """A decoded string literal (distinguished from bare scalar tokens)."""


def _tokens(data):
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c in b" \t\r\n":
            i += 1
        elif c == ord("#"):
            while i < n and data[i] != 10:
                i += 1
        elif c in b"{}:<>[],;":
            yield data[i:i + 1]
            i += 1
        elif c in (ord('"'), ord("'")):
            j = i + 1
            while j < n and data[j] != c:
                j += 2 if data[j] == 0x5C else 1
            if j >= n:
                raise ValueError("unterminated string literal")
            yield _String(_unescape(data[i + 1:j]))
            i = j + 1
        else:
            j = i
            while j < n and data[j] not in b" \t\r\n{}:<>[],;\"'#":
                j += 1
            yield data[i:j]
            i = j


class Message(object):
    """Fields of one text-format message: name -> list of values."""

    def __init__(self):
        self.fields = collections.OrderedDict()

    def all(self, name):
        return self.fields.get(name, [])

    def get(self, name, default=None):
        values = self.all(name)
        if len(values) > 1:
            raise ValueError("field %s is repeated" % name)
        return values[0] if values else default

    def has(self, name):
        return name in self.fields


def parse_text_format(data):
    toks = list(_tokens(data))
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        tok = peek()
        if tok is None:
            raise ValueError("unexpected end of text format")
        pos[0] += 1
        return tok

    def message(close):
        msg = Message()
        while True:
            tok = peek()
            if tok is None:
                if close is None:
                    return msg
                raise ValueError("missing '%s'" % close.decode())
            if close is not None and tok == close and not isinstance(tok, _String):
                take()
                return msg
            name = take()
            if isinstance(name, _String) or not name:
                raise ValueError("expected a field name, got %r" % name)
            name = name.decode()
            if name[0].isdigit():
                raise ValueError("unknown field number %s in the xmodel "
                                 "(schema mismatch)" % name)
            tok = take()
            if tok == b":":
                tok = take()
            if tok in (b"{", b"<") and not isinstance(tok, _String):
                value = message(b"}" if tok == b"{" else b">")
            elif isinstance(tok, _String):
                value = bytes(tok)
                while isinstance(peek(), _String):  # adjacent literals concat
                    value += bytes(take())
                value = _String(value)
            else:
                value = tok.decode()
            msg.fields.setdefault(name, []).append(value)
            if peek() in (b",", b";"):
                take()

    return message(None)


def decode_xmodel(path, protoc, proto_dir):
    proto = os.path.join(proto_dir, "xir_graph.proto")
    with open(path, "rb") as f:
        binary = f.read()
    result = subprocess.run(
        [protoc, "-I" + proto_dir, "--decode=serial_v2.Graph", proto],
        input=binary, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if result.returncode != 0:
        raise SystemExit("protoc failed: %s" % result.stderr.decode())
    return parse_text_format(result.stdout)


# ---------------------------------------------------------------------------
# attribute access
# ---------------------------------------------------------------------------


def _attr_value(value_msg):
    """Converts an AttrValue message to a Python value."""
    kinds = list(value_msg.fields.keys())
    if len(kinds) != 1:
        raise ValueError("AttrValue with %d kinds: %s" % (len(kinds), kinds))
    kind = kinds[0]
    v = value_msg.get(kind)
    if kind == "bool_value":
        return v == "true"
    if kind in ("int32_value", "uint32_value", "int64_value", "uint64_value"):
        return int(v)
    if kind in ("float_value", "double_value"):
        return float(v)
    if kind == "string_value":
        return bytes(v).decode("utf-8")
    if kind == "bytes_value":
        return bytes(v.get("value", _String(b"")))
    if kind.endswith("_vec_value"):
        elems = v.all("value")
        if kind in ("int32_vec_value", "uint32_vec_value", "int64_vec_value",
                    "uint64_vec_value"):
            return [int(e) for e in elems]
        if kind in ("float_vec_value", "double_vec_value"):
            return [float(e) for e in elems]
        if kind == "bool_vec_value":
            return [e == "true" for e in elems]
        if kind == "string_vec_value":
            return [bytes(e).decode("utf-8") for e in elems]
        if kind == "bytes_vec_value":
            return [bytes(e.get("value", _String(b""))) for e in elems]
    if kind.startswith("map_string_2_"):
        # map<string, X> entries: {key: "..." value: X}; bytes and vector
        # values are wrapper messages with their payload in `value`.
        out = {}
        for entry in v.all("value"):
            key = bytes(entry.get("key", _String(b""))).decode("utf-8")
            item = entry.get("value")
            if kind == "map_string_2_bytes_value":
                item = bytes((item or Message()).get("value", _String(b"")))
            elif kind == "map_string_2_string_value":
                item = bytes(item or b"").decode("utf-8")
            elif kind.endswith("_vec_value"):
                item = list((item or Message()).all("value"))
            else:
                item = int(item)
            out[key] = item
        return out
    raise NotImplementedError("attribute kind %s" % kind)


def _attr_map(msg, field):
    out = {}
    for entry in msg.all(field):
        key = bytes(entry.get("key")).decode("utf-8")
        out[key] = _attr_value(entry.get("value", Message()))
    return out


class Op(object):
    def __init__(self, node):
        self.name = bytes(node.get("op_name")).decode("utf-8")
        self.type = bytes(node.get("op_type")).decode("utf-8")
        self.attrs = _attr_map(node, "op_attr")
        self.args = collections.OrderedDict()
        for arg in node.all("args"):
            arg_name = bytes(arg.get("arg_name")).decode("utf-8")
            self.args.setdefault(arg_name, []).extend(
                bytes(a).decode("utf-8") for a in arg.all("arg_ops"))
        tensor = node.get("output_tensor")
        if tensor is None:
            raise ValueError("op %s has no output tensor" % self.name)
        self.dims = [int(d) for d in tensor.all("tensor_dim")]
        self.tensor_attrs = _attr_map(tensor, "tensor_attr")

    @property
    def fix_point(self):
        if "fix_point" not in self.tensor_attrs:
            raise ValueError("output of %s has no fix_point" % self.name)
        return self.tensor_attrs["fix_point"]

    def check_int8(self):
        bw = self.tensor_attrs.get("bit_width", 8)
        signed = self.tensor_attrs.get("if_signed", True)
        if bw != 8 or not signed:
            raise NotImplementedError(
                "%s: only signed 8-bit tensors are modelled (bit_width %s, "
                "if_signed %s)" % (self.name, bw, signed))
        mode = self.tensor_attrs.get("round_mode", "DPU_ROUND")
        if mode != "DPU_ROUND":
            raise NotImplementedError("%s: round_mode %s" % (self.name, mode))

    def arg(self, name, required=True):
        ops = self.args.get(name, [])
        if len(ops) > 1:
            raise ValueError("%s: arg %s has %d ops" % (self.name, name, len(ops)))
        if not ops:
            if required:
                raise ValueError("%s: missing arg %s" % (self.name, name))
            return None
        return ops[0]


# ---------------------------------------------------------------------------
# exact integer helpers
# ---------------------------------------------------------------------------

_LIMIT = 1 << 62


def _check_range(v, what):
    v = np.asarray(v)
    if v.size and int(np.abs(v).max()) >= _LIMIT:
        raise OverflowError("%s exceeds the exact int64 range" % what)


def round_shift(v, d):
    """floor(v / 2^d + 1/2) for an int64 array v and any integer d."""
    v = np.asarray(v, dtype=np.int64)
    if d <= 0:
        return shift_left(v, -d)
    _check_range(v, "value before rounding")
    # numpy's >> on int64 is an arithmetic shift: floor division by 2^d.
    return (v + np.int64(1 << (d - 1))) >> np.int64(d)


def shift_left(v, k):
    """v * 2^k exactly, k >= 0."""
    assert k >= 0
    v = np.asarray(v, dtype=np.int64)
    if v.size and int(np.abs(v).max()) >= (_LIMIT >> k):
        raise OverflowError("left shift by %d overflows int64" % k)
    return v << np.int64(k)


def saturate(v):
    return np.clip(v, INT8_MIN, INT8_MAX).astype(np.int64)


def round_half_up_pow2(value, fp):
    """floor(value * 2^fp + 1/2) for a small integer `value` (Python int)."""
    if fp >= 0:
        return value << fp
    d = -fp
    return (value + (1 << (d - 1))) >> d


# ---------------------------------------------------------------------------
# op kernels
# ---------------------------------------------------------------------------

# DPU average pooling: the window sum S is multiplied by m / 2^s rather than
# divided by the window area (kernel h*w -> (m, s)).
AVG_MULTIPLIERS = {
    1: (1, 0),
    4: (1, 2),
    9: (7, 6),
    25: (10, 8),
    36: (7, 8),
    49: (21, 10),
    196: (21, 12),
}


def _wh(attrs, key, default):
    v = attrs.get(key, default)
    if len(v) != 2:
        raise ValueError("attr %s should be [w, h], got %s" % (key, v))
    return int(v[0]), int(v[1])


def _pad(attrs):
    v = attrs.get("pad", [0, 0, 0, 0])
    if len(v) != 4:
        raise ValueError("attr pad should be [left, right, top, bottom]: %s" % v)
    return [int(p) for p in v]


def _windows(x, kh, kw, sh, sw, dh, dw, pads, out_hw, fill):
    """Yields (i, j, view) with view[n, oh, ow, c] = padded input under tap
    (i, j); positions outside the (padded) input read `fill`."""
    n, h, w, c = x.shape
    left, right, top, bottom = pads
    oh, ow = out_hw
    # Pad generously so that ceil-mode windows past the padding read `fill`.
    need_h = (oh - 1) * sh + (kh - 1) * dh + 1
    need_w = (ow - 1) * sw + (kw - 1) * dw + 1
    extra_b = max(need_h - (h + top + bottom), 0)
    extra_r = max(need_w - (w + left + right), 0)
    if top == bottom == left == right == extra_b == extra_r == 0:
        xp = x  # nothing to pad: no copy (the PFN pool reads 77 M values)
    else:
        xp = np.full((n, h + top + bottom + extra_b,
                      w + left + right + extra_r, c), fill, dtype=x.dtype)
        xp[:, top:top + h, left:left + w, :] = x
    for i in range(kh):
        for j in range(kw):
            yield i, j, xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh,
                              j * dw:j * dw + (ow - 1) * sw + 1:sw, :]


def _out_hw(op, x, kh, kw, sh, sw, dh, dw, pads):
    n, h, w, _ = x.shape
    left, right, top, bottom = pads
    oh, ow = op.dims[1], op.dims[2]
    mode = op.attrs.get("pad_mode", "FLOOR")
    eff_h, eff_w = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    if mode == "FLOOR":
        exp_h = (h + top + bottom - eff_h) // sh + 1
        exp_w = (w + left + right - eff_w) // sw + 1
    elif mode == "CEIL":
        exp_h = -(-(h + top + bottom - eff_h) // sh) + 1
        exp_w = -(-(w + left + right - eff_w) // sw) + 1
    else:
        raise NotImplementedError("%s: pad_mode %s" % (op.name, mode))
    if (exp_h, exp_w) != (oh, ow):
        raise ValueError("%s: output tensor is %dx%d but pad_mode %s gives "
                         "%dx%d" % (op.name, oh, ow, mode, exp_h, exp_w))
    return oh, ow


def apply_nonlinear(op, num, d, fp_out):
    """Rounds num / 2^d (num int64) with the op's nonlinearity; saturates."""
    kind = op.attrs.get("nonlinear", "NONE")
    if kind in ("NONE", ""):
        y = round_shift(num, d)
    elif kind == "RELU":
        y = np.maximum(round_shift(num, d), 0)
    elif kind == "RELU6":
        six = round_half_up_pow2(6, fp_out)
        y = np.clip(round_shift(num, d), 0, six)
    elif kind == "LEAKYRELU":
        # Negative inputs are scaled by 26/256 before the single rounding.
        pos = round_shift(num, d)
        neg = round_shift(num * np.int64(26), d + 8)
        y = np.where(num < 0, neg, pos)
    else:
        raise NotImplementedError("%s: nonlinear %s" % (op.name, kind))
    return saturate(y)


def _dot_nhwc(x, w):
    """sum_c x[n, h, w, c] * w[o, c] exactly, as int64. Integer products and
    sums below 2^24 (2^53) are exact in float32 (float64) whatever the
    summation order, so BLAS computes them when the bound allows (much faster
    than an int64 einsum), else int64 einsum."""
    k = x.shape[-1]
    bound = (int(np.abs(x).max(initial=0)) * int(np.abs(w).max(initial=0))
             * max(k, 1))
    if bound < (1 << 24):  # exact in float32 too, and twice as fast
        y = np.matmul(x.astype(np.float32), w.astype(np.float32).T)
        return y.astype(np.int64)
    if bound < (1 << 53):
        y = np.matmul(x.astype(np.float64), w.astype(np.float64).T)
        return y.astype(np.int64)
    return np.einsum("nhwc,oc->nhwo", x, w, dtype=np.int64)


def run_conv2d(op, x, w, b, fp_in, fp_w, fp_b, fp_out):
    kw_, kh_ = _wh(op.attrs, "kernel", None)
    sw, sh = _wh(op.attrs, "stride", [1, 1])
    dw, dh = _wh(op.attrs, "dilation", [1, 1])
    pads = _pad(op.attrs)
    group = int(op.attrs.get("group", 1))
    oc, kh, kw, icg = w.shape
    if (kh, kw) != (kh_, kw_):
        raise ValueError("%s: kernel attr %s vs weights %s"
                         % (op.name, op.attrs["kernel"], w.shape))
    n, h, wd, ic = x.shape
    if ic != icg * group or oc % group:
        raise ValueError("%s: %d input channels, weights %s, group %d"
                         % (op.name, ic, w.shape, group))
    oh, ow = _out_hw(op, x, kh, kw, sh, sw, dh, dw, pads)
    if op.dims[3] != oc:
        raise ValueError("%s: output channels %d vs weights %d"
                         % (op.name, op.dims[3], oc))
    if b is not None and b.shape != (oc,):
        raise ValueError("%s: bias shape %s" % (op.name, b.shape))
    # Blocks of output rows keep the int64 temporaries small (the PFN conv's
    # output has 77 M elements); each block reads its own input rows.
    left, right, top, bottom = pads
    rows = max(1, (1 << 20) // max(1, n * ow * oc))
    out = np.empty((n, oh, ow, oc), dtype=np.int64)
    for r0 in range(0, oh, rows):
        r1 = min(oh, r0 + rows)
        start = r0 * sh - top  # first input row, padded rows negative
        end = (r1 - 1) * sh + (kh - 1) * dh + 1 - top
        lo, hi = min(max(0, start), h), min(max(0, end), h)
        block = x[:, lo:hi]
        pad_top = max(0, min(0, end) - start)
        block_pads = [left, right, pad_top, (end - start) - (hi - lo) - pad_top]
        out[:, r0:r1] = _conv2d_rows(op, block, w, b, block_pads,
                                     (r1 - r0, ow), group,
                                     (fp_in, fp_w, fp_b, fp_out))
    return out


def _conv2d_rows(op, x, w, b, pads, out_hw, group, fps):
    """conv2d-fix on `x` (already cut to the rows of `out_hw`)."""
    fp_in, fp_w, fp_b, fp_out = fps
    kw, kh = _wh(op.attrs, "kernel", None)
    sw, sh = _wh(op.attrs, "stride", [1, 1])
    dw, dh = _wh(op.attrs, "dilation", [1, 1])
    oc, _, _, icg = w.shape
    oh, ow = out_hw
    acc = np.zeros((x.shape[0], oh, ow, oc), dtype=np.int64)
    ocg = oc // group
    for i, j, view in _windows(x, kh, kw, sh, sw, dh, dw, pads, (oh, ow), 0):
        for g in range(group):
            xs = view[..., g * icg:(g + 1) * icg]
            ws = w[g * ocg:(g + 1) * ocg, i, j, :]  # [ocg, icg]
            acc[..., g * ocg:(g + 1) * ocg] += _dot_nhwc(xs, ws)
    _check_range(acc, "accumulator")
    # value = (acc + b * 2^(fp_in + fp_w - fp_b)) / 2^(fp_in + fp_w - fp_out)
    shift_bias = fp_in + fp_w - fp_b
    shift_cut = fp_in + fp_w - fp_out
    k = max(0, -shift_bias)  # scale by 2^k so both terms are integers
    num = shift_left(acc, k)
    if b is not None:
        num = num + shift_left(b, shift_bias + k)
    return apply_nonlinear(op, num, shift_cut + k, fp_out)


def run_depthwise(op, x, w, b, fp_in, fp_w, fp_b, fp_out):
    kw_, kh_ = _wh(op.attrs, "kernel", None)
    sw, sh = _wh(op.attrs, "stride", [1, 1])
    dw, dh = _wh(op.attrs, "dilation", [1, 1])
    pads = _pad(op.attrs)
    mult, kh, kw, c = w.shape
    if (kh, kw) != (kh_, kw_) or x.shape[3] != c:
        raise ValueError("%s: kernel %s, weights %s, input %s"
                         % (op.name, op.attrs["kernel"], w.shape, x.shape))
    oh, ow = _out_hw(op, x, kh, kw, sh, sw, dh, dw, pads)
    if op.dims[3] != c * mult:
        raise ValueError("%s: output channels %d vs %d x %d"
                         % (op.name, op.dims[3], c, mult))
    acc = np.zeros((x.shape[0], oh, ow, c, mult), dtype=np.int64)
    for i, j, view in _windows(x, kh, kw, sh, sw, dh, dw, pads, (oh, ow), 0):
        acc += view[..., :, None] * w[:, i, j, :].T[None, None, None]
    acc = acc.reshape(x.shape[0], oh, ow, c * mult)
    shift_bias = fp_in + fp_w - fp_b
    shift_cut = fp_in + fp_w - fp_out
    k = max(0, -shift_bias)
    num = shift_left(acc, k)
    if b is not None:
        if b.shape != (c * mult,):
            raise ValueError("%s: bias shape %s" % (op.name, b.shape))
        num = num + shift_left(b, shift_bias + k)
    return apply_nonlinear(op, num, shift_cut + k, fp_out)


def run_transposed_conv2d(op, x, w, b, fp_in, fp_w, fp_b, fp_out):
    """XIR's transposed-conv2d(-fix): a correlation of the stride-dilated
    input, padded by kernel - 1 - pad on each side, with the [OC, kh, kw, IC]
    weights as stored (Vitis-AI cpu_task transposed-conv2d-fix). That is the
    textbook transposed convolution with the kernel rotated by 180 degrees:
    input pixel (y, x) adds x[y, x] * w[:, kh-1-ky, kw-1-kx, :] to
    full-output pixel (y*sh + ky*dh, x*sw + kx*dw), and pad [l, r, t, b]
    then crops the full output (pad_mode FLOOR)."""
    kw_, kh_ = _wh(op.attrs, "kernel", None)
    sw, sh = _wh(op.attrs, "stride", [1, 1])
    dw, dh = _wh(op.attrs, "dilation", [1, 1])
    left, right, top, bottom = _pad(op.attrs)
    if op.attrs.get("pad_mode", "FLOOR") != "FLOOR":
        raise NotImplementedError("%s: pad_mode %s"
                                  % (op.name, op.attrs["pad_mode"]))
    oc, kh, kw, ic = w.shape
    n, h, wd, c = x.shape
    if (kh, kw) != (kh_, kw_) or c != ic:
        raise ValueError("%s: kernel %s, weights %s, input %s"
                         % (op.name, op.attrs["kernel"], w.shape, x.shape))
    full_h = (h - 1) * sh + (kh - 1) * dh + 1
    full_w = (wd - 1) * sw + (kw - 1) * dw + 1
    full = np.zeros((n, full_h, full_w, oc), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            full[:, i * dh:i * dh + (h - 1) * sh + 1:sh,
                 j * dw:j * dw + (wd - 1) * sw + 1:sw, :] += _dot_nhwc(
                     x, w[:, kh - 1 - i, kw - 1 - j, :])
    acc = full[:, top:full_h - bottom, left:full_w - right, :]
    if acc.shape[1:3] != tuple(op.dims[1:3]):
        raise ValueError("%s: output tensor is %dx%d but the crops give %dx%d"
                         % (op.name, op.dims[1], op.dims[2], acc.shape[1],
                            acc.shape[2]))
    _check_range(acc, "accumulator")
    shift_bias = fp_in + fp_w - fp_b
    shift_cut = fp_in + fp_w - fp_out
    k = max(0, -shift_bias)
    num = shift_left(acc, k)
    if b is not None:
        if b.shape != (oc,):
            raise ValueError("%s: bias shape %s" % (op.name, b.shape))
        num = num + shift_left(b, shift_bias + k)
    return apply_nonlinear(op, num, shift_cut + k, fp_out)


def run_concat(op, inputs, fps, fp_out):
    axis = int(op.attrs["axis"])
    moved = [saturate(round_shift(a, fp - fp_out)) for a, fp in zip(inputs, fps)]
    return np.concatenate(moved, axis=axis)


def run_pool(op, x, fp_in, fp_out):
    kw, kh = _wh(op.attrs, "kernel", None)
    sw, sh = _wh(op.attrs, "stride", [1, 1])
    pads = _pad(op.attrs)
    kind = op.attrs.get("type")
    oh, ow = _out_hw(op, x, kh, kw, sh, sw, 1, 1, pads)
    if op.dims[3] != x.shape[3]:
        raise ValueError("%s: channel count changes" % op.name)
    if kind == "MAX":
        if fp_in != fp_out:
            raise NotImplementedError("%s: MAX pool with fix_point %d -> %d"
                                      % (op.name, fp_in, fp_out))
        sentinel = np.iinfo(np.int64).min  # padding never wins
        out = np.full((x.shape[0], oh, ow, x.shape[3]), sentinel, np.int64)
        for _, _, view in _windows(x, kh, kw, sh, sw, 1, 1, pads, (oh, ow),
                                   sentinel):
            out = np.maximum(out, view)
        if (out == sentinel).any():
            raise ValueError("%s: a window lies entirely in the padding"
                             % op.name)
        return saturate(out)
    if kind == "AVG":
        area = kh * kw
        if kh != kw or area not in AVG_MULTIPLIERS:
            raise NotImplementedError(
                "%s: AVG pool kernel %dx%d (area %d) has no DPU multiplier "
                "in this reference" % (op.name, kh, kw, area))
        m, s = AVG_MULTIPLIERS[area]
        total = np.zeros((x.shape[0], oh, ow, x.shape[3]), np.int64)
        for _, _, view in _windows(x, kh, kw, sh, sw, 1, 1, pads, (oh, ow), 0):
            total += view
        # floor(S * m / 2^s * 2^(fp_out - fp_in) + 1/2)
        return saturate(round_shift(total * np.int64(m), s + fp_in - fp_out))
    raise NotImplementedError("%s: pool type %s" % (op.name, kind))


def run_eltwise(op, inputs, fps, fp_out):
    kind = op.attrs.get("type", "ADD")
    if kind == "MUL":
        if len(inputs) != 2:
            raise ValueError("%s: MUL of %d inputs" % (op.name, len(inputs)))
        return saturate(round_shift(inputs[0] * inputs[1],
                                    fps[0] + fps[1] - fp_out))
    if kind != "ADD":
        raise NotImplementedError("%s: eltwise type %s" % (op.name, kind))
    # sum a_i * 2^(fp_out - fp_i) over a common denominator 2^D
    D = max([fp - fp_out for fp in fps] + [0])
    num = None
    for a, fp in zip(inputs, fps):
        term = shift_left(a, D + fp_out - fp)
        num = term if num is None else num + term
    kind = op.attrs.get("nonlinear", "NONE")
    if kind not in ("NONE", "", "RELU"):
        raise NotImplementedError("%s: eltwise nonlinear %s" % (op.name, kind))
    return apply_nonlinear(op, num, D, fp_out)


def run_pad(op, x):
    """XIR pad-fix: paddings {before_0, after_0, ...}; a copy."""
    paddings = [int(p) for p in op.attrs["paddings"]]
    if len(paddings) != 2 * x.ndim:
        raise ValueError("%s: %d paddings for rank %d"
                         % (op.name, len(paddings), x.ndim))
    width = [(paddings[2 * d], paddings[2 * d + 1]) for d in range(x.ndim)]
    if width[0] != (0, 0) or min(paddings) < 0:
        raise NotImplementedError("%s: paddings %s" % (op.name, paddings))
    mode = op.attrs.get("mode", "CONSTANT")
    if mode == "CONSTANT":
        values = np.frombuffer(op.attrs.get("constant_values", b""), np.int8)
        if values.size and (values != values[0]).any():
            raise NotImplementedError("%s: different constant_values %s"
                                      % (op.name, list(values)))
        fill = int(values[0]) if values.size else 0
        return np.pad(x, width, mode="constant", constant_values=fill)
    if mode in ("REFLECT", "SYMMETRIC"):
        return np.pad(x, width, mode=mode.lower())
    raise NotImplementedError("%s: pad mode %s" % (op.name, mode))


def run_upsample(op, x):
    """XIR upsample-fix, NEAREST: input index min(in - 1, floor(o * in / out))
    per spatial axis (XIR resize without align_corners / half pixels)."""
    if (op.attrs.get("mode") != "NEAREST" or op.attrs.get("align_corners")
            or op.attrs.get("half_pixel_centers")):
        raise NotImplementedError("%s: upsample %s" % (op.name, op.attrs))
    sw, sh = [float(s) for s in op.attrs["scale"]]
    h, w = x.shape[1], x.shape[2]
    oh, ow = op.dims[1], op.dims[2]
    if oh != h * sh or ow != w * sw:
        raise ValueError("%s: %dx%d -> %dx%d with scale {w %g, h %g}"
                         % (op.name, h, w, oh, ow, sw, sh))
    rows = np.minimum(h - 1, np.arange(oh) * h // oh)
    cols = np.minimum(w - 1, np.arange(ow) * w // ow)
    return x[:, rows][:, :, cols]


def run_hard_sigmoid(op, x, fp_in, fp_out):
    """XIR hard-sigmoid-fix (Vitis AI cpu-runner): min(2^32, max(0, x * 2731
    + 3 * 2731 * 2^hsigmoid_in)) / 2^shift_hsigmoid, DPU-rounded."""
    hin = int(op.attrs["hsigmoid_in"])
    shift = int(op.attrs["shift_hsigmoid"])
    if hin != fp_in or shift != 14 + fp_in - fp_out:
        raise ValueError("%s: hsigmoid_in %d, shift_hsigmoid %d for fix points"
                         " %d -> %d" % (op.name, hin, shift, fp_in, fp_out))
    num = np.clip(x * 2731 + 3 * 2731 * (1 << hin), 0, 1 << 32)
    return saturate(round_shift(num, shift))


# ---------------------------------------------------------------------------
# graph execution
# ---------------------------------------------------------------------------


def topological_order(ops):
    by_name = collections.OrderedDict((op.name, op) for op in ops)
    if len(by_name) != len(ops):
        raise ValueError("duplicate op names")
    order, state = [], {}

    def visit(name, stack):
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise ValueError("cycle through %s" % " -> ".join(stack + [name]))
        if name not in by_name:
            raise ValueError("unknown producer op %s" % name)
        state[name] = 1
        for producers in by_name[name].args.values():
            for p in producers:
                visit(p, stack + [name])
        state[name] = 2
        order.append(by_name[name])

    for name in by_name:
        visit(name, [])
    return order


def _batched_shape(op, n):
    if not op.dims or op.dims[0] != 1:
        raise ValueError("%s: expected a batch-1 tensor, dims %s"
                         % (op.name, op.dims))
    return [n] + op.dims[1:]


def _softmax(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _relu6(x):
    return np.minimum(np.maximum(x, 0.0), 6.0)


_FLOAT_UNARY = {
    "sigmoid": lambda op, x: 1.0 / (1.0 + np.exp(-x)),
    "tanh": lambda op, x: np.tanh(x),
    "swish": lambda op, x: x / (1.0 + np.exp(-x)),
    "hard-sigmoid": lambda op, x: _relu6(x + 3.0) / 6.0,
    "hard-swish": lambda op, x: x * _relu6(x + 3.0) / 6.0,
    "relu": lambda op, x: np.maximum(x, 0.0),
    "relu6": lambda op, x: _relu6(x),
    "leaky-relu": lambda op, x: np.where(x >= 0, x,
                                         float(op.attrs["alpha"]) * x),
    "softmax": lambda op, x: _softmax(x, int(op.attrs["axis"])),
    "transpose": lambda op, x: np.transpose(
        x, [int(a) for a in op.attrs["order"]]),
}
_FLOAT_BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply,
    "div": np.divide, "min": np.minimum, "max": np.maximum,
}


def run_float(op, values, fixpos):
    """A float op on float32 values; None if `op` is not one."""
    def arg(name):
        producer = op.arg(name)
        if fixpos[producer] is not None:
            raise ValueError("%s: input %s is fixed point, not float"
                             % (op.name, producer))
        return values[producer].astype(np.float64)

    if op.type == "const" and op.attrs.get("data_type") == "FLOAT32":
        shape = [int(d) for d in op.attrs.get("shape", op.dims)]
        return np.frombuffer(op.attrs["data"], dtype="<f4").reshape(shape)
    if op.type in _FLOAT_UNARY:
        out = _FLOAT_UNARY[op.type](op, arg("input"))
    elif op.type == "prelu":
        x, w = arg("input"), arg("weight")
        out = np.where(x >= 0, x, w * x)
    elif op.type in _FLOAT_BINARY:
        producers = op.args.get("input", [])
        if len(producers) != 2 or any(fixpos[p] is not None
                                      for p in producers):
            raise ValueError("%s: expects 2 float inputs" % op.name)
        out = _FLOAT_BINARY[op.type](values[producers[0]].astype(np.float64),
                                     values[producers[1]].astype(np.float64))
    else:
        return None
    return out.astype(np.float32)



# The conv-like -fix ops: input, weights, optional bias; the same
# requantization, their own accumulation.
LAYER_KERNELS = {
    "conv2d-fix": lambda *a: run_conv2d(*a),
    "depthwise-conv2d-fix": lambda *a: run_depthwise(*a),
    "transposed-conv2d-fix": lambda *a: run_transposed_conv2d(*a),
}

def run_fix_op(op, values, fixpos, n):
    """One fixed-point compute op (conv-like, concat, pool, eltwise, pad,
    upsample, hard-sigmoid, reshape) on the values of its producers."""
    fp_out = op.fix_point

    def fetch(op, name, required=True):
        producer = op.arg(name, required)
        if producer is None:
            return None, None
        return values[producer], fixpos[producer]

    if op.type in LAYER_KERNELS:
        x, fp_in = fetch(op, "input")
        w, fp_w = fetch(op, "weights")
        b, fp_b = fetch(op, "bias", required=False)
        if (op.type == "conv2d-fix" and
                op.attrs.get("bias_term", b is not None) != (b is not None)):
            raise ValueError("%s: bias_term %s but %s bias arg"
                             % (op.name, op.attrs.get("bias_term"),
                                "a" if b is not None else "no"))
        if w.ndim != 4:
            raise ValueError("%s: weights %s" % (op.name, w.shape))
        if b is None:
            fp_b = fp_in + fp_w
        out = LAYER_KERNELS[op.type](op, x, w, b, fp_in, fp_w, fp_b,
                                     fp_out)
    elif op.type == "concat-fix":
        producers = op.args.get("input", [])
        out = run_concat(op, [values[p] for p in producers],
                         [fixpos[p] for p in producers], fp_out)
    elif op.type == "pool-fix":
        x, fp_in = fetch(op, "input")
        out = run_pool(op, x, fp_in, fp_out)
    elif op.type == "eltwise-fix":
        producers = op.args.get("input", [])
        if len(producers) < 2:
            raise ValueError("%s: eltwise needs 2+ inputs" % op.name)
        out = run_eltwise(op, [values[p] for p in producers],
                          [fixpos[p] for p in producers], fp_out)
    elif op.type == "pad-fix":
        x, fp_in = fetch(op, "input")
        if fp_in != fp_out:
            raise NotImplementedError("%s: pad changes fix_point %d -> %d"
                                      % (op.name, fp_in, fp_out))
        out = run_pad(op, x)
    elif op.type == "upsample-fix":
        x, fp_in = fetch(op, "input")
        if fp_in != fp_out:
            raise NotImplementedError("%s: upsample changes fix_point "
                                      "%d -> %d" % (op.name, fp_in, fp_out))
        out = run_upsample(op, x)
    elif op.type == "hard-sigmoid-fix":
        x, fp_in = fetch(op, "input")
        out = run_hard_sigmoid(op, x, fp_in, fp_out)
    elif op.type == "reshape-fix":
        x, fp_in = fetch(op, "input")
        if fp_in != fp_out:
            raise NotImplementedError("%s: reshape changes fix_point "
                                      "%d -> %d" % (op.name, fp_in, fp_out))
        out = x.reshape(_batched_shape(op, n))
    else:
        raise NotImplementedError("op type %s (%s)" % (op.type, op.name))
    return out


def execute(graph, inputs):
    ops = [Op(node) for node in graph.all("op_node")]
    order = topological_order(ops)
    by_name = {op.name: op for op in ops}
    values, fixpos = {}, {}
    counts = collections.Counter()
    data_ops = [op for op in order if op.type == "data-fix"]
    if len(data_ops) != 1:
        raise NotImplementedError("%d data-fix ops (only one input is "
                                  "supported)" % len(data_ops))
    x_in = np.asarray(inputs, dtype=np.float64)
    n = x_in.shape[0]

    def fetch(op, name, required=True):
        producer = op.arg(name, required)
        if producer is None:
            return None, None
        return values[producer], fixpos[producer]

    for op in order:
        counts[op.type] += 1
        if op.type == "fix2float":
            producer = op.arg("input")
            fp = int(op.attrs.get("fix_point", fixpos[producer]))
            if fp != fixpos[producer]:
                raise ValueError("%s: fix_point attr %d but its input has %d"
                                 % (op.name, fp, fixpos[producer]))
            values[op.name] = values[producer].astype(np.float64) * 2.0 ** -fp
            fixpos[op.name] = None
            continue
        if op.type == "float2fix":
            op.check_int8()
            x = values[op.arg("input")].astype(np.float64)
            q = np.floor(x * 2.0 ** op.fix_point + 0.5)
            values[op.name] = np.clip(q, INT8_MIN, INT8_MAX).astype(np.int64)
            fixpos[op.name] = op.fix_point
            continue
        out = run_float(op, values, fixpos)
        if out is not None:
            if op.type != "const" and list(out.shape) != _batched_shape(op, n):
                raise ValueError("%s: computed shape %s, tensor says %s"
                                 % (op.name, list(out.shape), op.dims))
            values[op.name] = out
            fixpos[op.name] = None
            continue
        op.check_int8()
        fp_out = op.fix_point
        if op.type == "data-fix":
            shape = _batched_shape(op, n)
            if list(x_in.shape) != shape:
                raise ValueError("input has shape %s, %s expects %s"
                                 % (list(x_in.shape), op.name, shape))
            if not np.isfinite(x_in).all():
                raise ValueError("input has non-finite values")
            q = np.floor(x_in * 2.0 ** fp_out + 0.5)
            out = np.clip(q, INT8_MIN, INT8_MAX).astype(np.int64)
        elif op.type == "const-fix":
            raw = op.attrs["data"]
            shape = [int(d) for d in op.attrs.get("shape", op.dims)]
            if shape != op.dims:
                raise ValueError("%s: shape attr %s vs tensor %s"
                                 % (op.name, shape, op.dims))
            arr = np.frombuffer(raw, dtype=np.int8)
            if arr.size != int(np.prod(shape)):
                raise ValueError("%s: %d bytes for shape %s"
                                 % (op.name, arr.size, shape))
            out = arr.reshape(shape).astype(np.int64)
        else:
            out = run_fix_op(op, values, fixpos, n)
        if op.type != "const-fix":
            expected = _batched_shape(op, n)
            if list(out.shape) != expected:
                raise ValueError("%s: computed shape %s, tensor says %s"
                                 % (op.name, list(out.shape), expected))
        values[op.name] = out
        fixpos[op.name] = fp_out

    graph_attrs = _attr_map(graph, "graph_attr")
    returns = graph_attrs.get("return_ops")
    if not returns:
        consumed = {p for op in ops for ps in op.args.values() for p in ps}
        returns = [op.name for op in order
                   if op.type == "fix2float" and op.name not in consumed]
    if len(returns) != 1:
        raise NotImplementedError("graph has %d return ops: %s"
                                  % (len(returns), returns))
    ret = by_name[returns[0]]
    if fixpos[ret.name] is None and ret.type != "fix2float":
        # A float op (left float by the quantizer) produces the result.
        return values[ret.name].astype(np.float32), None, counts
    if ret.type != "fix2float":
        raise NotImplementedError("return op %s is a %s, not fix2float"
                                  % (ret.name, ret.type))
    out_fp = fixpos[ret.arg("input")]
    return values[ret.name].astype(np.float32), out_fp, counts

# ---------------------------------------------------------------------------
# compiled files: one DPU subgraph of vai_c_xir's output
# ---------------------------------------------------------------------------


def _leaf_op_names(subgraph):
    names = [bytes(n).decode("utf-8") for n in subgraph.all("op_name")]
    for child in subgraph.all("subg_child"):
        names.extend(_leaf_op_names(child))
    return names


def find_root_child(graph, name):
    root = graph.get("subg_root")
    if root is None:
        raise ValueError("the xmodel has no subgraph tree")
    children = root.all("subg_child")
    for child in children:
        if bytes(child.get("subgraph_name")).decode("utf-8") == name:
            return child
    raise ValueError("no child subgraph %s of the root; there are: %s" % (
        name, ", ".join(bytes(c.get("subgraph_name")).decode("utf-8")
                        for c in children)))


def compiled_const(op, params):
    """A const-fix of a compiled file: its `data`, or when that is empty
    (xcompiler moves it) the bytes at the tensor's ddr_addr in the DPU
    subgraph's reg_id_to_parameter_value["REG_<reg_id>"]; XIR layout."""
    shape = [int(d) for d in op.attrs.get("shape", op.dims)]
    count = int(np.prod(shape))
    raw = op.attrs.get("data", b"")
    if not raw:
        reg = "REG_%d" % op.tensor_attrs["reg_id"]
        addr = op.tensor_attrs["ddr_addr"]
        if reg not in params:
            raise ValueError("%s: no parameter value for %s" % (op.name, reg))
        blob = params[reg]
        if addr < 0 or addr + count > len(blob):
            raise ValueError("%s: [%d, %d) outside %s (%d bytes)"
                             % (op.name, addr, addr + count, reg, len(blob)))
        raw = blob[addr:addr + count]
    arr = np.frombuffer(raw, dtype=np.int8)
    if arr.size != count:
        raise ValueError("%s: %d bytes for shape %s" % (op.name, arr.size,
                                                        shape))
    return arr.reshape(shape).astype(np.int64)


# Attributes the kernels do not read (placement, bookkeeping, the output
# channel counts the weights give) and XIR's defaults of those they do: two
# op graphs equal after this normalization compute the same.
_NOT_SEMANTIC = {"device", "workload", "workload_on_arch", "in_dim", "out_dim",
                 "bias_term", "data"}
_DEFAULTS = {"stride": [1, 1], "dilation": [1, 1], "pad": [0, 0, 0, 0],
             "pad_mode": "FLOOR", "group": 1, "nonlinear": "NONE",
             "hsigmoid_in": -128, "shift_hsigmoid": -128,
             "shift_hswish": -128}


def subgraph_signature(graph, name):
    """A digest of what execute_subgraph computes for `name`: per output,
    a hash over the ops it depends on -- type, normalized attributes, dims,
    fix attributes, const values (read from this file's parameters) and
    producers' hashes; uploads by their position. Two builds of a model
    whose DPU subgraphs differ only in op order, addresses and bookkeeping
    (pointpillars 3.0 and 2.5) have equal signatures."""
    import hashlib
    child = find_root_child(graph, name)
    members = set(_leaf_op_names(child))
    params = _attr_map(child, "subg_attr").get("reg_id_to_parameter_value",
                                               {})
    ops = [op for op in topological_order([Op(n) for n in
                                           graph.all("op_node")])
           if op.name in members]
    uploads = [op.name for op in ops if op.type == "upload"]
    hashes = {}
    for op in ops:  # producers first
        attrs = dict(_DEFAULTS)
        attrs.update((k, v) for k, v in op.attrs.items()
                     if k not in _NOT_SEMANTIC)
        fix = {k: op.tensor_attrs.get(k) for k in
               ("fix_point", "bit_width", "if_signed", "round_mode")}
        args = [(k, [hashes.get(p, p) for p in ps])
                for k, ps in sorted(op.args.items())]
        if op.type == "upload":
            args = uploads.index(op.name)
        digest = hashlib.sha256(repr((op.type, sorted(attrs.items()), args,
                                      op.dims, sorted(fix.items())))
                                .encode())
        if op.type == "const-fix":
            digest.update(compiled_const(op, params).astype(np.int8)
                          .tobytes())
        hashes[op.name] = digest.hexdigest()
    return tuple(hashes[op.name] for op in ops if op.type == "download")


def execute_subgraph(graph, name, inputs):
    """Runs the root child `name` of a compiled graph: its uploads take
    `inputs` (int8 codes, in file order of the uploads), its downloads give
    the outputs (in file order). Returns [(download name, codes, fix_point)]
    and the op counts."""
    child = find_root_child(graph, name)
    members = set(_leaf_op_names(child))
    params = _attr_map(child, "subg_attr").get("reg_id_to_parameter_value",
                                               {})
    ops = [Op(node) for node in graph.all("op_node")]
    order = [op for op in topological_order(ops) if op.name in members]
    uploads = [op for op in order if op.type == "upload"]
    if len(uploads) != len(inputs):
        raise ValueError("subgraph %s has %d uploads, got %d inputs"
                         % (name, len(uploads), len(inputs)))
    feed = dict(zip((op.name for op in uploads), inputs))
    values, fixpos, counts, outputs = {}, {}, collections.Counter(), []
    for op in order:
        counts[op.type] += 1
        if op.type == "upload":
            x = np.asarray(feed[op.name])
            if x.dtype != np.int8 or list(x.shape) != op.dims:
                raise ValueError("%s: input %s %s, expected int8 %s"
                                 % (op.name, x.dtype, list(x.shape), op.dims))
            values[op.name] = x.astype(np.int64)
            fixpos[op.name] = op.fix_point
            continue
        for producers in op.args.values():
            for p in producers:
                if p not in members:
                    raise ValueError("%s reads %s from outside the subgraph "
                                     "without an upload" % (op.name, p))
        if op.type == "download":
            producer = op.arg("input")
            values[op.name], fixpos[op.name] = values[producer], \
                fixpos[producer]
            outputs.append((op.name, values[op.name], fixpos[op.name]))
            continue
        op.check_int8()
        if op.type == "const-fix":
            out = compiled_const(op, params)
        else:
            out = run_fix_op(op, values, fixpos, 1)
            if list(out.shape) != op.dims:
                raise ValueError("%s: computed shape %s, tensor says %s"
                                 % (op.name, list(out.shape), op.dims))
        values[op.name] = out
        fixpos[op.name] = op.fix_point
    return outputs, counts


# ---------------------------------------------------------------------------
# compiled files: the whole graph (--whole)
# ---------------------------------------------------------------------------


def ppscatter_v2(op, features, coords):
    """PPScatterV2, pointpillars' custom CPU op, from what Xilinx's example
    computes (Vitis-AI examples/custom_operator/.../op_PPScatter): a zero
    [1, C, ny, nx] grid; pillar p's C features go to (y, x) =
    (int(coords[0, p, 2]), int(coords[0, p, 3])), pillars end at the first
    x < 0, and a later pillar wins a shared cell."""
    ny, nx = int(op.attrs["ny"]), int(op.attrs["nx"])
    channels = int(op.attrs["nchannels"])
    if features.ndim != 4 or features.shape[0] != 1 or \
            features.shape[1] != channels or features.shape[3] != 1:
        raise ValueError("%s: features %s" % (op.name, features.shape))
    if coords.ndim != 3 or coords.shape[1] != features.shape[2]:
        raise ValueError("%s: coordinates %s" % (op.name, coords.shape))
    ys = np.trunc(coords[0, :, 2]).astype(np.int64)
    xs = np.trunc(coords[0, :, 3]).astype(np.int64)
    stop = np.nonzero(xs < 0)[0]
    count = int(stop[0]) if stop.size else xs.size
    ys, xs = ys[:count], xs[:count]
    if ((ys < 0) | (ys >= ny) | (xs >= nx)).any():
        raise ValueError("%s: a pillar lies outside the %dx%d grid"
                         % (op.name, ny, nx))
    out = np.zeros((1, channels, ny, nx), np.float64)
    # The last pillar of each cell: unique over the reversed order.
    cells = ys * nx + xs
    _, first_rev = np.unique(cells[::-1], return_index=True)
    keep = count - 1 - first_rev
    out[0][:, ys[keep], xs[keep]] = features[0, :, keep, 0].T
    return out


def execute_compiled(graph, inputs):
    """Runs every op of a compiled graph, ignoring the subgraph tree
    (upload and download pass their input on): `inputs` holds one array
    per data/data-fix op in file order (a data-fix takes int8 codes or
    float values). Returns {name: (array, fix_point or None)} for the
    graph's return_ops (int8 codes) and for the ops nobody reads (float
    fix2float results), and the op counts."""
    ops = [Op(node) for node in graph.all("op_node")]
    order = topological_order(ops)
    params = {}
    for child in graph.get("subg_root").all("subg_child"):
        attrs = _attr_map(child, "subg_attr")
        for name in _leaf_op_names(child):
            params[name] = attrs.get("reg_id_to_parameter_value", {})
    data_ops = [op for op in ops if op.type in ("data", "data-fix")]
    if len(inputs) != len(data_ops):
        raise ValueError("the graph has %d data ops, got %d inputs"
                         % (len(data_ops), len(inputs)))
    feed = dict(zip((op.name for op in data_ops), inputs))
    values, fixpos, counts = {}, {}, collections.Counter()

    def as_float(name):
        v = values[name].astype(np.float64)
        return v if fixpos[name] is None else v * 2.0 ** -fixpos[name]

    def quantize(x, fp):
        return np.clip(np.floor(x * 2.0 ** fp + 0.5), INT8_MIN,
                       INT8_MAX).astype(np.int64)

    for op in order:
        counts[op.type] += 1
        fp = None
        if op.type == "data":
            out = np.asarray(feed[op.name], dtype=np.float32)
        elif op.type == "data-fix":
            x = np.asarray(feed[op.name])
            fp = op.fix_point
            out = (x.astype(np.int64) if x.dtype == np.int8
                   else quantize(x.astype(np.float64), fp))
        elif op.type in ("upload", "download"):
            producer = op.arg("input")
            out, fp = values[producer], fixpos[producer]
        elif op.type == "const-fix":
            out, fp = compiled_const(op, params.get(op.name, {})), op.fix_point
        elif op.type == "fix2float":
            out = as_float(op.arg("input")).astype(np.float32)
        elif op.type in ("fix", "float2fix"):
            # XIR's fix carries its fix attributes on the op, float2fix on
            # the op and the tensor.
            fp = int(op.attrs["fix_point"])
            if op.attrs.get("round_mode", "DPU_ROUND") != "DPU_ROUND":
                raise NotImplementedError("%s: round_mode %s" % (
                    op.name, op.attrs.get("round_mode")))
            out = quantize(as_float(op.arg("input")), fp)
        elif op.type == "transpose":
            producer = op.arg("input")
            out = np.transpose(values[producer],
                               [int(a) for a in op.attrs["order"]])
            fp = fixpos[producer]
        elif op.type == "PPScatterV2":
            features, coords = op.args["input"]
            out = ppscatter_v2(op, as_float(features), as_float(coords))
            out = out.astype(np.float32)
        else:
            op.check_int8()
            fp = op.fix_point
            out = run_fix_op(op, values, fixpos, 1)
        if list(out.shape) != op.dims:
            raise ValueError("%s: computed shape %s, tensor says %s"
                             % (op.name, list(out.shape), op.dims))
        values[op.name], fixpos[op.name] = out, fp

    consumed = {p for op in ops for ps in op.args.values() for p in ps}
    # return_ops names tensors; in compiled files a download's output
    # tensor carries the name of the DPU op's original output.
    by_tensor = {bytes(node.get("output_tensor").get("tensor_name"))
                 .decode("utf-8"): op.name
                 for node, op in zip(graph.all("op_node"), ops)}
    results = {}
    for name in _attr_map(graph, "graph_attr").get("return_ops", []):
        producer = by_tensor.get(name, name)
        results[name] = (np.clip(values[producer], INT8_MIN, INT8_MAX)
                         .astype(np.int8), fixpos[producer])
    for op in order:
        if op.name not in consumed and op.name not in results:
            results[op.name] = (values[op.name].astype(np.float32), None)
    return results, counts


def main_whole(args):
    """--whole: INPUT is a comma-separated list of .npy files (one per data
    op), OUTPUT a directory receiving <i>.npy and names.txt (index, name)."""
    graph = decode_xmodel(args.model, args.protoc, args.proto_dir)
    inputs = [np.load(p) for p in args.input.split(",")]
    results, counts = execute_compiled(graph, inputs)
    print("reference executed %d ops: %s" % (
        sum(counts.values()),
        ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    os.makedirs(args.output, exist_ok=True)
    with open(os.path.join(args.output, "names.txt"), "w") as names:
        for i, (name, (value, fp)) in enumerate(results.items()):
            np.save(os.path.join(args.output, "%d.npy" % i), value)
            names.write("%d %s\n" % (i, name))
            print("output %d %s %s %s" % (i, name, list(value.shape),
                                          "float32" if fp is None
                                          else "fix_point=%d" % fp))
    return 0


def main_subgraph(args):
    """--subgraph: INPUT is a comma-separated list of int8 .npy codes and
    OUTPUT a directory receiving output_<i>.npy (int8 codes)."""
    graph = decode_xmodel(args.model, args.protoc, args.proto_dir)
    inputs = [np.load(p) for p in args.input.split(",")]
    outputs, counts = execute_subgraph(graph, args.subgraph, inputs)
    print("reference executed %d ops of %s: %s" % (
        sum(counts.values()), args.subgraph,
        ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    os.makedirs(args.output, exist_ok=True)
    ok, compared = True, 0
    for i, (name, codes, fp) in enumerate(outputs):
        ref = np.clip(codes, INT8_MIN, INT8_MAX).astype(np.int8)
        np.save(os.path.join(args.output, "output_%d.npy" % i), ref)
        print("output %d %s %s fix_point=%d" % (i, name, list(ref.shape), fp))
        if not args.compare:
            continue
        ours = np.load(os.path.join(args.compare, "output_%d.npy" % i))
        if ours.dtype != np.int8 or ours.shape != ref.shape:
            print("  ours is %s %s, the reference int8 %s"
                  % (ours.dtype, list(ours.shape), list(ref.shape)))
            ok = False
            continue
        bad = int((ours != ref).sum())
        compared += ref.size
        print("  compared %d bytes: %d differ" % (ref.size, bad))
        for idx in list(zip(*np.nonzero(ours != ref)))[:5]:
            print("    at %s: ours %d, reference %d"
                  % (list(map(int, idx)), int(ours[idx]), int(ref[idx])))
        ok &= bad == 0
    if args.compare:
        print("compared %d output bytes in all: %s"
              % (compared, "identical" if ok else "MISMATCH"))
    return 0 if ok else 1


def compare(ours_path, ref, fp):
    ours = np.load(ours_path)
    if ours.shape != ref.shape:
        print("shape mismatch: ours %s vs reference %s"
              % (ours.shape, ref.shape))
        return False
    if fp is None:
        # Float outputs: float32 arithmetic in both, relative 1e-6.
        diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
        bad = diff > 1e-6 * np.abs(ref.astype(np.float64)) + 1e-12
        print("compared %d float outputs: %d mismatches (relative 1e-6), "
              "max abs difference %.3g" % (ref.size, int(bad.sum()),
                                            float(diff.max(initial=0.0))))
        return not bad.any()
    scale = 2.0 ** fp
    ours_q = ours.astype(np.float64) * scale
    ref_q = ref.astype(np.float64) * scale
    ours_i = np.floor(ours_q + 0.5)
    ref_i = np.floor(ref_q + 0.5)
    off_grid = np.abs(ours_q - ours_i) > 1e-6
    bad = (ours_i != ref_i) | off_grid
    print("compared %d outputs: %d mismatches (output step 2^-%d)"
          % (ref.size, int(bad.sum()), fp))
    if off_grid.any():
        print("  %d of our outputs are not multiples of 2^-%d"
              % (int(off_grid.sum()), fp))
    for idx in list(zip(*np.nonzero(bad)))[:10]:
        print("  at %s: ours %d, reference %d"
              % (list(map(int, idx)), int(ours_i[idx]), int(ref_i[idx])))
    return not bad.any()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--protoc", default="protoc")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--proto-dir", default=os.path.normpath(
        os.path.join(here, "..", "..", "..", "lib", "Proto")))
    parser.add_argument("--compare", metavar="OURS.npy",
                        help="compare OURS.npy with the reference output on "
                             "the integer level; exit 1 on any mismatch")
    parser.add_argument("--subgraph", metavar="NAME",
                        help="run only this DPU subgraph of a compiled "
                             "xmodel: INPUT is a comma-separated list of "
                             "int8 .npy codes, OUTPUT a directory for "
                             "output_<i>.npy, --compare a directory of ours")
    parser.add_argument("--whole", action="store_true",
                        help="run a whole compiled xmodel: INPUT is a "
                             "comma-separated list of .npy (one per data "
                             "op), OUTPUT a directory for <i>.npy and "
                             "names.txt")
    args = parser.parse_args(argv)
    if args.whole:
        return main_whole(args)
    if args.subgraph:
        return main_subgraph(args)

    graph = decode_xmodel(args.model, args.protoc, args.proto_dir)
    inputs = np.load(args.input)
    out, fp, counts = execute(graph, inputs)
    np.save(args.output, out)
    print("reference executed %d ops: %s" % (
        sum(counts.values()),
        ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    if args.compare and not compare(args.compare, out, fp):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
