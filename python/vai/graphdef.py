"""Minimal, dependency-free writer (and reader) of TensorFlow GraphDef protos.

No dependency on the ``protobuf`` package or on TensorFlow: the wire format
(varints, length-delimited fields, fixed32 floats) and the protobuf text format
are produced by hand.  NumPy is only needed for ``const()``/tensor attributes.

Field numbers follow TensorFlow's public .proto files
(github.com/tensorflow/tensorflow, tensorflow/core/framework/):

  graph.proto        GraphDef   { repeated NodeDef node = 1; int32 version = 3
                                  (deprecated); VersionDef versions = 4; }
  node_def.proto     NodeDef    { string name = 1; string op = 2;
                                  repeated string input = 3; string device = 4;
                                  map<string, AttrValue> attr = 5; }
  attr_value.proto   AttrValue  { oneof value { ListValue list = 1; bytes s = 2;
                                  int64 i = 3; float f = 4; bool b = 5;
                                  DataType type = 6; TensorShapeProto shape = 7;
                                  TensorProto tensor = 8; } }
                     ListValue  { repeated bytes s = 2;
                                  repeated int64 i = 3 [packed];
                                  repeated float f = 4 [packed];
                                  repeated bool b = 5 [packed];
                                  repeated DataType type = 6 [packed];
                                  repeated TensorShapeProto shape = 7;
                                  repeated TensorProto tensor = 8; }
  tensor.proto       TensorProto { DataType dtype = 1;
                                  TensorShapeProto tensor_shape = 2;
                                  bytes tensor_content = 4;
                                  repeated float float_val = 5 [packed];
                                  repeated int32 int_val = 7 [packed];
                                  repeated int64 int64_val = 10 [packed];
                                  repeated bool bool_val = 11 [packed]; }
  tensor_shape.proto TensorShapeProto { repeated Dim dim = 2; bool unknown_rank = 3; }
                     Dim        { int64 size = 1; string name = 2; }
  versions.proto     VersionDef { int32 producer = 1; int32 min_consumer = 2; }
  types.proto        enum DataType { DT_FLOAT = 1; DT_DOUBLE = 2; DT_INT32 = 3;
                                  DT_UINT8 = 4; DT_INT16 = 5; DT_INT8 = 6;
                                  DT_STRING = 7; DT_INT64 = 9; DT_BOOL = 10; ...}

A ``map<string, AttrValue>`` is encoded as repeated entry messages
``{ string key = 1; AttrValue value = 2; }``; entries are emitted sorted by key
(like protobuf's deterministic serialization and Python's text_format).

Text output mimics ``google.protobuf.text_format.MessageToString`` (2-space
indent, fields in field-number order, enums by name, bytes C-escaped with
octal escapes, floats printed as the shortest decimal that round-trips to the
same float32).

Example::

    g = Graph()
    g.placeholder("input", [-1, 28, 28, 1])
    g.const("w", np.zeros((3, 3, 1, 8), np.float32))
    g.node("conv", "Conv2D", ["input", "w"], T=DT_FLOAT,
           strides=[1, 1, 1, 1], padding="SAME")
    open("m.pb", "wb").write(g.serialize())
    open("m.pbtxt", "w").write(g.to_text())
"""

import math
import struct

__all__ = [
    "DType", "Shape", "S", "I", "F", "B", "Tensor", "List",
    "Graph", "parse_graphdef",
    "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8",
    "DT_STRING", "DT_INT64", "DT_BOOL", "DT_HALF",
]

# ---------------------------------------------------------------------------
# DataType enum (types.proto)
# ---------------------------------------------------------------------------

_DTYPE_NAMES = {
    0: "DT_INVALID", 1: "DT_FLOAT", 2: "DT_DOUBLE", 3: "DT_INT32",
    4: "DT_UINT8", 5: "DT_INT16", 6: "DT_INT8", 7: "DT_STRING",
    8: "DT_COMPLEX64", 9: "DT_INT64", 10: "DT_BOOL", 11: "DT_QINT8",
    12: "DT_QUINT8", 13: "DT_QINT32", 14: "DT_BFLOAT16", 15: "DT_QINT16",
    16: "DT_QUINT16", 17: "DT_UINT16", 18: "DT_COMPLEX128", 19: "DT_HALF",
    20: "DT_RESOURCE", 21: "DT_VARIANT", 22: "DT_UINT32", 23: "DT_UINT64",
}
_DTYPE_NAMES.update({k + 100: v + "_REF" for k, v in list(_DTYPE_NAMES.items())
                     if 0 < k})


class DType(int):
    """A TensorFlow DataType enum value (an ``int`` with a nice repr)."""

    def __repr__(self):
        return _DTYPE_NAMES.get(int(self), "DType(%d)" % int(self))

    __str__ = __repr__

    @property
    def name(self):
        return _DTYPE_NAMES.get(int(self), str(int(self)))


DT_FLOAT = DType(1)
DT_DOUBLE = DType(2)
DT_INT32 = DType(3)
DT_UINT8 = DType(4)
DT_INT16 = DType(5)
DT_INT8 = DType(6)
DT_STRING = DType(7)
DT_INT64 = DType(9)
DT_BOOL = DType(10)
DT_HALF = DType(19)

# numpy dtype string -> (DataType, packed value field number, kind)
_NP_TO_DT = {
    "float32": DT_FLOAT, "float64": DT_DOUBLE, "int32": DT_INT32,
    "uint8": DT_UINT8, "int16": DT_INT16, "int8": DT_INT8,
    "int64": DT_INT64, "bool": DT_BOOL, "float16": DT_HALF,
}
_DT_TO_NP = {int(v): k for k, v in _NP_TO_DT.items()}


def dtype_of(x):
    """DataType of a DType/int, numpy dtype, numpy scalar type or name."""
    if isinstance(x, DType):
        return x
    if isinstance(x, str) and x.startswith("DT_"):
        for k, v in _DTYPE_NAMES.items():
            if v == x:
                return DType(k)
        raise ValueError("unknown DataType %r" % x)
    import numpy as np
    name = np.dtype(x).name
    if name not in _NP_TO_DT:
        raise ValueError("no TF DataType for numpy dtype %s" % name)
    return _NP_TO_DT[name]


# ---------------------------------------------------------------------------
# Attribute value wrappers
# ---------------------------------------------------------------------------

class Shape(object):
    """TensorShapeProto.  ``Shape(None)`` is an unknown-rank shape; -1 (or
    None) in a dimension is an unknown dimension."""

    def __init__(self, dims):
        if dims is None:
            self.dims = None
        else:
            self.dims = [-1 if d is None else int(d) for d in dims]

    def __repr__(self):
        return "Shape(%r)" % (self.dims,)

    def __eq__(self, other):
        return isinstance(other, Shape) and self.dims == other.dims


class _Scalar(object):
    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.value)


class S(_Scalar):
    """String/bytes attribute (AttrValue.s)."""


class I(_Scalar):
    """Integer attribute (AttrValue.i)."""


class F(_Scalar):
    """Float attribute (AttrValue.f)."""


class B(_Scalar):
    """Bool attribute (AttrValue.b)."""


class Tensor(object):
    """Tensor attribute (AttrValue.tensor) built from a numpy array.

    ``encoding`` is "content" (raw little-endian bytes in tensor_content),
    "values" (typed repeated *_val field), or "auto" (values for
    single-element tensors, content otherwise)."""

    def __init__(self, array, dtype=None, encoding="content"):
        import numpy as np
        arr = np.asarray(array)
        if dtype is not None:
            arr = arr.astype(_DT_TO_NP[int(dtype_of(dtype))])
        self.array = arr
        self.dtype = dtype_of(arr.dtype)
        assert encoding in ("content", "values", "auto")
        self.encoding = encoding


class List(object):
    """List attribute (AttrValue.list).  ``kind`` is one of s, i, f, b, type,
    shape, tensor; if omitted it is inferred from the elements (an empty list
    without a kind is written as an empty ``list {}``)."""

    def __init__(self, values, kind=None):
        self.values = list(values)
        self.kind = kind if kind is not None else _infer_list_kind(self.values)


def _infer_list_kind(values):
    if not values:
        return None
    kinds = set(_scalar_kind(v) for v in values)
    if kinds == {"i", "f"}:
        return "f"
    if len(kinds) != 1:
        raise TypeError("heterogeneous list attribute: %r" % (values,))
    return kinds.pop()


def _scalar_kind(v):
    import numbers
    if isinstance(v, (S, str, bytes)):
        return "s"
    if isinstance(v, (B, bool)):
        return "b"
    if isinstance(v, DType):
        return "type"
    if isinstance(v, I):
        return "i"
    if isinstance(v, F):
        return "f"
    if isinstance(v, Shape):
        return "shape"
    if isinstance(v, Tensor):
        return "tensor"
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if np is not None:
        if isinstance(v, np.dtype) or (isinstance(v, type) and
                                       issubclass(v, np.generic)):
            return "type"
        if isinstance(v, np.ndarray):
            return "tensor"
        if isinstance(v, np.bool_):
            return "b"
    if isinstance(v, numbers.Integral):
        return "i"
    if isinstance(v, numbers.Real):
        return "f"
    raise TypeError("cannot convert %r to an AttrValue" % (v,))


def _unwrap(v):
    return v.value if isinstance(v, _Scalar) else v


# ---------------------------------------------------------------------------
# Generic message model: one tree, serialized to both binary and text.
# ---------------------------------------------------------------------------

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5


class _Msg(object):
    """An ordered list of fields.  Each field is a tuple
    (number, name, kind, value, enum_names) with kind in
    'varint', 'bool', 'enum', 'float', 'bytes', 'message',
    'packed_varint', 'packed_bool', 'packed_enum', 'packed_float'."""

    def __init__(self):
        self.fields = []

    # -- adders (proto3: scalars without presence are dropped at default) --
    def varint(self, num, name, value, presence=False):
        if presence or value:
            self.fields.append((num, name, "varint", int(value), None))
        return self

    def boolean(self, num, name, value, presence=False):
        if presence or value:
            self.fields.append((num, name, "bool", bool(value), None))
        return self

    def enum(self, num, name, value, names, presence=False):
        if presence or value:
            self.fields.append((num, name, "enum", int(value), names))
        return self

    def float32(self, num, name, value, presence=False):
        if presence or value != 0.0 or math.copysign(1.0, value) < 0:
            self.fields.append((num, name, "float", float(value), None))
        return self

    def string(self, num, name, value, presence=False):
        if isinstance(value, str):
            value = value.encode("utf-8")
        if presence or value:
            self.fields.append((num, name, "bytes", bytes(value), None))
        return self

    def message(self, num, name, msg):
        self.fields.append((num, name, "message", msg, None))
        return self

    def packed(self, num, name, kind, values, names=None):
        values = list(values)
        if values:
            self.fields.append((num, name, "packed_" + kind, values, names))
        return self

    # -- binary ------------------------------------------------------------
    def serialize(self):
        out = bytearray()
        # Stable sort: field-number order, insertion order within a field.
        for num, _name, kind, value, _names in sorted(self.fields,
                                                      key=lambda f: f[0]):
            if kind in ("varint", "enum", "bool"):
                out += _key(num, _VARINT) + _varint(int(value))
            elif kind == "float":
                out += _key(num, _I32) + struct.pack("<f", value)
            elif kind == "bytes":
                out += _key(num, _LEN) + _varint(len(value)) + value
            elif kind == "message":
                body = value.serialize()
                out += _key(num, _LEN) + _varint(len(body)) + body
            elif kind in ("packed_varint", "packed_enum", "packed_bool"):
                body = b"".join(_varint(int(v)) for v in value)
                out += _key(num, _LEN) + _varint(len(body)) + body
            elif kind == "packed_float":
                body = struct.pack("<%df" % len(value), *value)
                out += _key(num, _LEN) + _varint(len(body)) + body
            else:
                raise AssertionError(kind)
        return bytes(out)

    # -- text --------------------------------------------------------------
    def to_text(self, indent=0):
        pad = " " * indent
        lines = []
        for num, name, kind, value, names in sorted(self.fields,
                                                    key=lambda f: f[0]):
            if kind == "message":
                lines.append("%s%s {\n" % (pad, name))
                lines.append(value.to_text(indent + 2))
                lines.append("%s}\n" % pad)
                continue
            if kind.startswith("packed_"):
                scalar_kind, items = kind[len("packed_"):], value
            else:
                scalar_kind, items = kind, [value]
            for v in items:
                lines.append("%s%s: %s\n" % (pad, name,
                                             _text_scalar(scalar_kind, v, names)))
        return "".join(lines)


def _key(num, wire_type):
    return _varint((num << 3) | wire_type)


def _varint(v):
    """Base-128 varint; negative values as 10-byte two's complement (how
    int32/int64/enum fields are encoded)."""
    if v < 0:
        v += 1 << 64
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _shortest_float(x):
    """Shortest decimal that round-trips to the same float32 (as in
    protobuf's python type_checkers.ToShortestFloat), printed like str()."""
    if math.isnan(x) or math.isinf(x):
        return str(x)
    x = _f32(x)
    precision = 6
    rounded = float("{0:.{1}g}".format(x, precision))
    while _f32(rounded) != x:
        precision += 1
        rounded = float("{0:.{1}g}".format(x, precision))
    return str(rounded)


# Same table as protobuf's text_encoding.CEscape(..., as_utf8=False).
_CESCAPE = ["\\%03o" % i for i in range(0, 32)] + \
           [chr(i) for i in range(32, 127)] + \
           ["\\%03o" % i for i in range(127, 256)]
_CESCAPE[9] = "\\t"
_CESCAPE[10] = "\\n"
_CESCAPE[13] = "\\r"
_CESCAPE[34] = '\\"'
_CESCAPE[39] = "\\'"
_CESCAPE[92] = "\\\\"


def _cescape(b):
    return "".join(_CESCAPE[c] for c in b)


def _text_scalar(kind, v, names):
    if kind == "varint":
        return str(int(v))
    if kind == "bool":
        return "true" if v else "false"
    if kind == "enum":
        return names.get(int(v), str(int(v))) if names else str(int(v))
    if kind == "float":
        return _shortest_float(v)
    if kind == "bytes":
        return '"%s"' % _cescape(v)
    raise AssertionError(kind)


# ---------------------------------------------------------------------------
# TF message builders
# ---------------------------------------------------------------------------

def _shape_msg(shape):
    m = _Msg()
    if shape.dims is None:
        m.boolean(3, "unknown_rank", True)
    else:
        for d in shape.dims:
            m.message(2, "dim", _Msg().varint(1, "size", d))
    return m


def _tensor_msg(t):
    import numpy as np
    arr = t.array
    m = _Msg()
    m.enum(1, "dtype", t.dtype, _DTYPE_NAMES)
    m.message(2, "tensor_shape", _shape_msg(Shape(arr.shape)))
    encoding = t.encoding
    if encoding == "auto":
        encoding = "values" if arr.size == 1 else "content"
    if encoding == "content":
        le = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
        m.string(4, "tensor_content", np.ascontiguousarray(le).tobytes())
        return m
    flat = arr.reshape(-1).tolist()
    dt = int(t.dtype)
    if dt == int(DT_FLOAT):
        m.packed(5, "float_val", "float", flat)
    elif dt == int(DT_DOUBLE):
        raise NotImplementedError("double_val not supported; use content")
    elif dt in (int(DT_INT32), int(DT_INT16), int(DT_INT8), int(DT_UINT8)):
        m.packed(7, "int_val", "varint", flat)
    elif dt == int(DT_INT64):
        m.packed(10, "int64_val", "varint", flat)
    elif dt == int(DT_BOOL):
        m.packed(11, "bool_val", "bool", flat)
    else:
        raise NotImplementedError("values encoding for %r" % t.dtype)
    return m


def _attr_value_msg(v):
    """AttrValue message from a python value / wrapper.  Members of the
    ``value`` oneof always have presence, so defaults (0, false, "") are
    still written."""
    import numpy as np
    m = _Msg()
    if isinstance(v, (list, tuple)) or isinstance(v, List):
        lst = v if isinstance(v, List) else List(v)
        lm = _Msg()
        vals, kind = lst.values, lst.kind
        if kind == "s":
            for x in vals:
                lm.string(2, "s", _unwrap(x), presence=True)
        elif kind == "i":
            lm.packed(3, "i", "varint", [int(_unwrap(x)) for x in vals])
        elif kind == "f":
            lm.packed(4, "f", "float", [float(_unwrap(x)) for x in vals])
        elif kind == "b":
            lm.packed(5, "b", "bool", [bool(_unwrap(x)) for x in vals])
        elif kind == "type":
            lm.packed(6, "type", "enum", [dtype_of(x) for x in vals],
                      _DTYPE_NAMES)
        elif kind == "shape":
            for x in vals:
                lm.message(7, "shape", _shape_msg(
                    x if isinstance(x, Shape) else Shape(x)))
        elif kind == "tensor":
            for x in vals:
                lm.message(8, "tensor", _tensor_msg(
                    x if isinstance(x, Tensor) else Tensor(x)))
        elif kind is not None:
            raise ValueError("bad list kind %r" % kind)
        return m.message(1, "list", lm)
    if isinstance(v, Shape):
        return m.message(7, "shape", _shape_msg(v))
    if isinstance(v, Tensor):
        return m.message(8, "tensor", _tensor_msg(v))
    if isinstance(v, np.ndarray):
        return m.message(8, "tensor", _tensor_msg(Tensor(v)))
    kind = _scalar_kind(v)
    x = _unwrap(v)
    if kind == "s":
        return m.string(2, "s", x, presence=True)
    if kind == "i":
        return m.varint(3, "i", int(x), presence=True)
    if kind == "f":
        return m.float32(4, "f", float(x), presence=True)
    if kind == "b":
        return m.boolean(5, "b", bool(x), presence=True)
    if kind == "type":
        return m.enum(6, "type", dtype_of(x), _DTYPE_NAMES, presence=True)
    raise TypeError("cannot convert %r to an AttrValue" % (v,))


class Node(object):
    def __init__(self, name, op, inputs=(), attrs=None, device=""):
        self.name = name
        self.op = op
        self.inputs = list(inputs)
        self.attrs = dict(attrs or {})
        self.device = device

    def _msg(self):
        m = _Msg()
        m.string(1, "name", self.name)
        m.string(2, "op", self.op)
        for i in self.inputs:
            m.string(3, "input", i, presence=True)
        m.string(4, "device", self.device)
        for key in sorted(self.attrs):
            entry = _Msg()
            entry.string(1, "key", key, presence=True)
            entry.message(2, "value", _attr_value_msg(self.attrs[key]))
            m.message(5, "attr", entry)
        return m


class Graph(object):
    """GraphDef builder.  Nodes are kept in insertion order."""

    def __init__(self, producer=27):
        self.nodes = []
        self._by_name = {}
        self.producer = producer

    def node(self, name, op, inputs=(), device="", **attrs):
        if name in self._by_name:
            raise ValueError("duplicate node name %r" % name)
        n = Node(name, op, inputs, attrs, device)
        self.nodes.append(n)
        self._by_name[name] = n
        return n

    def placeholder(self, name, shape, dtype=DT_FLOAT):
        return self.node(name, "Placeholder", [], dtype=dtype_of(dtype),
                         shape=Shape(shape))

    def const(self, name, value, dtype=None, encoding="content"):
        t = value if isinstance(value, Tensor) else \
            Tensor(value, dtype=dtype, encoding=encoding)
        return self.node(name, "Const", [], dtype=t.dtype, value=t)

    def __getitem__(self, name):
        return self._by_name[name]

    def _msg(self):
        m = _Msg()
        for n in self.nodes:
            m.message(1, "node", n._msg())
        m.message(4, "versions", _Msg().varint(1, "producer", self.producer))
        return m

    def serialize(self):
        """Binary GraphDef (what ``tf.io.write_graph(as_text=False)`` writes)."""
        return self._msg().serialize()

    def to_text(self):
        """Protobuf text format of the GraphDef."""
        return self._msg().to_text()


# ---------------------------------------------------------------------------
# Minimal reader (for self-checks): binary GraphDef -> python structures.
# ---------------------------------------------------------------------------

def _read_varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _fields(buf):
    """Yield (field_number, wire_type, value) of a serialized message."""
    pos, n = 0, len(buf)
    while pos < n:
        key, pos = _read_varint(buf, pos)
        num, wt = key >> 3, key & 7
        if wt == _VARINT:
            v, pos = _read_varint(buf, pos)
        elif wt == _I64:
            v, pos = buf[pos:pos + 8], pos + 8
        elif wt == _LEN:
            ln, pos = _read_varint(buf, pos)
            v, pos = bytes(buf[pos:pos + ln]), pos + ln
        elif wt == _I32:
            v, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        if pos > n:
            raise ValueError("truncated message")
        yield num, wt, v


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _packed_varints(data):
    out, pos = [], 0
    while pos < len(data):
        v, pos = _read_varint(data, pos)
        out.append(_signed64(v))
    return out


def _parse_shape(buf):
    dims, unknown = [], False
    for num, _wt, v in _fields(buf):
        if num == 2:
            size = 0
            for n2, _w2, v2 in _fields(v):
                if n2 == 1:
                    size = _signed64(v2)
            dims.append(size)
        elif num == 3:
            unknown = bool(v)
    return Shape(None if unknown else dims)


def _parse_tensor(buf):
    import numpy as np
    dtype, shape, content = DType(0), Shape([]), None
    float_val, int_val = [], []
    for num, wt, v in _fields(buf):
        if num == 1:
            dtype = DType(v)
        elif num == 2:
            shape = _parse_shape(v)
        elif num == 4:
            content = v
        elif num == 5:
            float_val += (list(struct.unpack("<%df" % (len(v) // 4), v))
                          if wt == _LEN else [struct.unpack("<f", v)[0]])
        elif num in (7, 10, 11):
            int_val += _packed_varints(v) if wt == _LEN else [_signed64(v)]
    np_dtype = np.dtype(_DT_TO_NP[int(dtype)]).newbyteorder("<")
    dims = shape.dims or []
    if content is not None:
        arr = np.frombuffer(content, dtype=np_dtype).astype(np_dtype.newbyteorder("="))
        return arr.reshape(dims)
    vals = float_val if float_val else int_val
    count = int(np.prod(dims)) if dims else 1
    arr = np.array(vals, dtype=np_dtype.newbyteorder("="))
    if arr.size == 0:
        arr = np.zeros(count, arr.dtype)
    elif arr.size < count:  # TF: last value repeated to fill the shape
        arr = np.concatenate([arr, np.full(count - arr.size, arr[-1], arr.dtype)])
    return arr.reshape(dims)


def _parse_attr_value(buf):
    for num, wt, v in _fields(buf):
        if num == 2:
            return v
        if num == 3:
            return _signed64(v)
        if num == 4:
            return struct.unpack("<f", v)[0]
        if num == 5:
            return bool(v)
        if num == 6:
            return DType(v)
        if num == 7:
            return _parse_shape(v)
        if num == 8:
            return _parse_tensor(v)
        if num == 1:
            out = []
            for n2, w2, v2 in _fields(v):
                if n2 == 2:
                    out.append(v2)
                elif n2 == 3:
                    out += _packed_varints(v2) if w2 == _LEN else [_signed64(v2)]
                elif n2 == 4:
                    out += (list(struct.unpack("<%df" % (len(v2) // 4), v2))
                            if w2 == _LEN else [struct.unpack("<f", v2)[0]])
                elif n2 == 5:
                    out += [bool(x) for x in (_packed_varints(v2) if w2 == _LEN else [v2])]
                elif n2 == 6:
                    out += [DType(x) for x in (_packed_varints(v2) if w2 == _LEN else [v2])]
                elif n2 == 7:
                    out.append(_parse_shape(v2))
                elif n2 == 8:
                    out.append(_parse_tensor(v2))
            return out
    return None


def parse_graphdef(data):
    """Decode a binary GraphDef into ``(nodes, producer)`` where ``nodes`` is
    a list of :class:`Node` whose attrs are python values (bytes for s,
    int, float, bool, DType, Shape, numpy array for tensors, list for list)."""
    nodes, producer = [], None
    for num, _wt, v in _fields(data):
        if num == 1:
            name = op = device = ""
            inputs, attrs = [], {}
            for n2, _w2, v2 in _fields(v):
                if n2 == 1:
                    name = v2.decode("utf-8")
                elif n2 == 2:
                    op = v2.decode("utf-8")
                elif n2 == 3:
                    inputs.append(v2.decode("utf-8"))
                elif n2 == 4:
                    device = v2.decode("utf-8")
                elif n2 == 5:
                    key, val = "", None
                    for n3, _w3, v3 in _fields(v2):
                        if n3 == 1:
                            key = v3.decode("utf-8")
                        elif n3 == 2:
                            val = _parse_attr_value(v3)
                    attrs[key] = val
            nodes.append(Node(name, op, inputs, attrs, device))
        elif num == 4:
            for n2, _w2, v2 in _fields(v):
                if n2 == 1:
                    producer = _signed64(v2)
    return nodes, producer
