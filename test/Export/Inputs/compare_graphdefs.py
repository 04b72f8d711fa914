"""Compares two binary GraphDefs node by node, independently of vai.

Both files are decoded by protoc (--decode=tensorflow.GraphDef) and the text
format is parsed here. Nodes are matched by name; for each, the op, device,
inputs (in order) and every attribute must be equal. Tensors are compared by
dtype, shape and values, whichever encoding (tensor_content or *_val) a file
used. Prints what was compared; exits 1 naming the first differences.

usage: compare_graphdefs.py PROTOC PROTO_DIR A.pb B.pb
"""
import codecs
import os
import subprocess
import sys

import numpy as np

# tensorflow/core/framework/types.proto
NP_DTYPES = {
    "DT_FLOAT": np.float32, "DT_DOUBLE": np.float64, "DT_INT32": np.int32,
    "DT_UINT8": np.uint8, "DT_INT16": np.int16, "DT_INT8": np.int8,
    "DT_INT64": np.int64, "DT_BOOL": np.bool_, "DT_UINT16": np.uint16,
    "DT_HALF": np.float16, "DT_UINT32": np.uint32, "DT_UINT64": np.uint64,
}
VAL_FIELDS = {
    "DT_FLOAT": "float_val", "DT_DOUBLE": "double_val", "DT_INT32": "int_val",
    "DT_UINT8": "int_val", "DT_INT16": "int_val", "DT_INT8": "int_val",
    "DT_INT64": "int64_val", "DT_BOOL": "bool_val", "DT_UINT16": "int_val",
    "DT_HALF": "half_val", "DT_UINT32": "uint32_val",
    "DT_UINT64": "uint64_val",
}


def tokens(text):
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "{}:":
            yield c
            i += 1
        elif c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            yield text[i:j + 1]
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "{}:":
                j += 1
            yield text[i:j]
            i = j


def parse(tokens_iter):
    """A message as a list of (field, value); value is str or a message."""
    fields = []
    for tok in tokens_iter:
        if tok == "}":
            return fields
        nxt = next(tokens_iter)
        if nxt == ":":
            fields.append((tok, next(tokens_iter)))
        elif nxt == "{":
            fields.append((tok, parse(tokens_iter)))
        else:
            raise ValueError("unexpected %r after %r" % (nxt, tok))
    return fields


def get(msg, field):
    return [v for k, v in msg if k == field]


def unquote(s):
    return codecs.escape_decode(s[1:-1].encode("latin-1"))[0]


def scalar(s):
    if s in ("true", "false"):
        return s == "true"
    try:
        return int(s)
    except ValueError:
        try:
            return float(s)
        except ValueError:
            return s


def shape_of(msg):
    if get(msg, "unknown_rank"):
        return "unknown_rank"
    return tuple(int((get(d, "size") or ["0"])[0]) for d in get(msg, "dim"))


def tensor_of(msg):
    dtype = (get(msg, "dtype") or ["DT_INVALID"])[0]
    shape = shape_of((get(msg, "tensor_shape") or [[]])[0])
    count = int(np.prod(shape)) if shape != "unknown_rank" else 0
    if dtype == "DT_STRING":
        return (dtype, shape, tuple(unquote(s) for s in get(msg, "string_val")))
    np_type = NP_DTYPES[dtype]
    content = get(msg, "tensor_content")
    if content:
        values = np.frombuffer(unquote(content[0]), dtype=np_type)
    else:
        raw = [scalar(v) for v in get(msg, VAL_FIELDS[dtype])]
        if dtype == "DT_HALF":
            raw = np.array(raw, np.uint16).view(np.float16)
        values = np.array(raw, dtype=np_type)
        # A short *_val list repeats its last value (tensor_util).
        if 0 < values.size < count:
            values = np.concatenate(
                [values, np.full(count - values.size, values[-1], np_type)])
        elif values.size == 0:
            values = np.zeros(count, np_type)
    if values.size != count:
        raise ValueError("tensor of shape %s holds %d values" % (shape,
                                                                 values.size))
    return (dtype, shape, values.tobytes())


def attr_value(msg):
    """A hashable normal form of an AttrValue."""
    (kind, value), = msg if msg else [("none", "")]
    if kind == "tensor":
        return ("tensor", tensor_of(value))
    if kind == "shape":
        return ("shape", shape_of(value))
    if kind == "list":
        items = []
        for k, v in value:
            if k == "tensor":
                items.append((k, tensor_of(v)))
            elif k == "shape":
                items.append((k, shape_of(v)))
            elif k == "func":
                items.append((k, repr(v)))
            else:
                items.append((k, scalar(v) if not v.startswith('"')
                              else unquote(v)))
        return ("list", tuple(items))
    if kind == "func":
        return ("func", repr(value))
    if isinstance(value, str) and value.startswith('"'):
        return (kind, unquote(value))
    return (kind, scalar(value))


def load(protoc, proto_dir, path):
    with open(path, "rb") as f:
        text = subprocess.run(
            [protoc, "-I" + proto_dir, "--decode=tensorflow.GraphDef",
             os.path.join(proto_dir, "tf_graph.proto")], stdin=f,
            capture_output=True, check=True).stdout.decode("latin-1")
    nodes = {}
    for node in get(parse(tokens(text)), "node"):
        name = unquote(get(node, "name")[0]).decode()
        attrs = {}
        for entry in get(node, "attr"):
            key = unquote(get(entry, "key")[0]).decode()
            attrs[key] = attr_value((get(entry, "value") or [[]])[0])
        nodes[name] = {
            "op": unquote(get(node, "op")[0]).decode(),
            "device": b"".join(unquote(d) for d in get(node, "device")),
            "inputs": [unquote(i).decode() for i in get(node, "input")],
            "attrs": attrs,
        }
    return nodes


def main():
    protoc, proto_dir, a_path, b_path = sys.argv[1:5]
    a = load(protoc, proto_dir, a_path)
    b = load(protoc, proto_dir, b_path)
    errors = []
    for name in sorted(set(a) ^ set(b)):
        errors.append("node '%s' only in %s" % (name, a_path if name in a
                                                 else b_path))
    inputs = attrs = values = 0
    for name in sorted(set(a) & set(b)):
        x, y = a[name], b[name]
        for field in ("op", "device", "inputs"):
            if x[field] != y[field]:
                errors.append("node '%s': %s %r != %r" % (name, field,
                                                          x[field], y[field]))
        inputs += len(x["inputs"])
        for key in sorted(set(x["attrs"]) | set(y["attrs"])):
            if key not in x["attrs"] or key not in y["attrs"]:
                errors.append("node '%s': attr '%s' missing in %s" % (
                    name, key, b_path if key in x["attrs"] else a_path))
                continue
            if x["attrs"][key] != y["attrs"][key]:
                errors.append("node '%s': attr '%s' differs: %.200r != %.200r"
                              % (name, key, x["attrs"][key], y["attrs"][key]))
                continue
            attrs += 1
            if x["attrs"][key][0] == "tensor":
                values += len(x["attrs"][key][1][2])
    if errors:
        for e in errors[:20]:
            print("MISMATCH " + e)
        print("%d differences" % len(errors))
        sys.exit(1)
    print("identical: %d nodes, %d inputs, %d attrs (%d tensor bytes)"
          % (len(a), inputs, attrs, values))


if __name__ == "__main__":
    main()
