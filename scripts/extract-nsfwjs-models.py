#!/usr/bin/env python3
"""Extract the TF.js models bundled in the nsfwjs npm package.

nsfwjs (4.x) ships each model under dist/models/<model>/ as browserify
bundles: model.min.js exports the model.json content as a minified
JavaScript object literal, and each group1-shardNofM.min.js exports one
weight shard as a base64 string. This script writes the plain TF.js form:

    extract-nsfwjs-models.py PACKAGE_DIR OUT_DIR

gives OUT_DIR/<model>/model.json plus the binary shard files named as the
manifest's `paths`. PACKAGE_DIR is the unpacked package (the directory that
holds dist/, e.g. `package/` from `npm pack nsfwjs@4.4.0`). Only the
standard library is used; nothing is executed.
"""

import base64
import json
import os
import re
import sys

# The browserify prelude ends with `{1:[function(a,b,c){b.exports=` followed
# by the module's value.
EXPORTS = re.compile(
    r"\{1:\[function\(([\w$]+),([\w$]+),([\w$]+)\)\{\2\.exports=")


class LiteralError(Exception):
    pass


class Parser:
    """Reads the subset of JavaScript literals a minifier emits for JSON
    data: objects with bare or quoted keys, arrays, strings, numbers such as
    `.5` and `1e-3`, `!0`/`!1` for booleans, `null` and `void 0`."""

    def __init__(self, text, pos):
        self.text = text
        self.pos = pos

    def error(self, what):
        raise LiteralError("%s at offset %d" % (what, self.pos))

    def peek(self):
        if self.pos >= len(self.text):
            self.error("unexpected end of file")
        return self.text[self.pos]

    def expect(self, ch):
        if self.peek() != ch:
            self.error("expected %r" % ch)
        self.pos += 1

    def value(self):
        ch = self.peek()
        if ch == "{":
            return self.obj()
        if ch == "[":
            return self.array()
        if ch in "\"'":
            return self.string()
        for word, val in (("!0", True), ("!1", False), ("true", True),
                          ("false", False), ("null", None), ("void 0", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return val
        return self.number()

    def obj(self):
        self.expect("{")
        out = {}
        if self.peek() == "}":
            self.pos += 1
            return out
        while True:
            if self.peek() in "\"'":
                key = self.string()
            else:
                m = re.compile(r"[\w$]+").match(self.text, self.pos)
                if not m:
                    self.error("expected a key")
                key = m.group(0)
                self.pos = m.end()
            self.expect(":")
            out[key] = self.value()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return out

    def array(self):
        self.expect("[")
        out = []
        if self.peek() == "]":
            self.pos += 1
            return out
        while True:
            out.append(self.value())
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return out

    def string(self):
        quote = self.peek()
        self.pos += 1
        parts = []
        escapes = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f",
                   "v": "\v", "0": "\0"}
        while True:
            ch = self.peek()
            self.pos += 1
            if ch == quote:
                return "".join(parts)
            if ch != "\\":
                parts.append(ch)
                continue
            esc = self.peek()
            self.pos += 1
            if esc == "u":
                parts.append(chr(int(self.text[self.pos:self.pos + 4], 16)))
                self.pos += 4
            elif esc == "x":
                parts.append(chr(int(self.text[self.pos:self.pos + 2], 16)))
                self.pos += 2
            else:
                parts.append(escapes.get(esc, esc))

    def number(self):
        m = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?").match(
            self.text, self.pos)
        if not m:
            self.error("unexpected character %r" % self.peek())
        self.pos = m.end()
        s = m.group(0)
        return float(s) if any(c in s for c in ".eE") else int(s)


def exported_value(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = EXPORTS.search(text)
    if not m:
        raise LiteralError("no browserify module 1 with an exports value")
    return Parser(text, m.end()).value()


def extract_model(model_dir, out_dir):
    model = exported_value(os.path.join(model_dir, "model.min.js"))
    if not isinstance(model, dict) or "weightsManifest" not in model:
        raise LiteralError("model.min.js holds no weightsManifest")
    os.makedirs(out_dir, exist_ok=True)
    for group in model["weightsManifest"]:
        for shard in group["paths"]:
            data = exported_value(os.path.join(model_dir, shard + ".min.js"))
            if not isinstance(data, str):
                raise LiteralError("%s.min.js holds no base64 string" % shard)
            with open(os.path.join(out_dir, shard), "wb") as f:
                f.write(base64.b64decode(data, validate=True))
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(model, f)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-nsfwjs-models.py PACKAGE_DIR OUT_DIR")
    models = os.path.join(sys.argv[1], "dist", "models")
    if not os.path.isdir(models):
        sys.exit("error: %s: no dist/models directory" % sys.argv[1])
    names = sorted(n for n in os.listdir(models)
                   if os.path.isfile(os.path.join(models, n, "model.min.js")))
    if not names:
        sys.exit("error: %s: no model.min.js under dist/models" % models)
    for name in names:
        try:
            extract_model(os.path.join(models, name),
                          os.path.join(sys.argv[2], name))
        except (LiteralError, OSError, ValueError, KeyError) as e:
            sys.exit("error: %s: %s" % (os.path.join(models, name), e))
        print("%s -> %s" % (name, os.path.join(sys.argv[2], name)))


if __name__ == "__main__":
    main()
