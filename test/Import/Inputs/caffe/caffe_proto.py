"""Loads caffe_pb2, generated from vai's lib/Proto/caffe.proto into a
temporary directory with protoc (Caffe itself is not in Debian)."""

import importlib
import os
import shutil
import subprocess
import sys
import tempfile

_HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.normpath(os.path.join(_HERE, "..", "..", "..", "..", "lib",
                                      "Proto", "caffe.proto"))


def load():
    protoc = os.environ.get("PROTOC") or shutil.which("protoc")
    out = tempfile.mkdtemp(prefix="vai-caffe-pb2-")
    subprocess.check_call([protoc, "-I", os.path.dirname(PROTO),
                           "--python_out=" + out, PROTO])
    sys.path.insert(0, out)
    try:
        return importlib.import_module("caffe_pb2")
    finally:
        sys.path.remove(out)
        shutil.rmtree(out, ignore_errors=True)
