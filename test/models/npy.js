// Minimal .npy (format 1.0/2.0) reader and writer for the reference runners:
// little-endian float32, int32 and uint8 arrays in C order, which is all the
// model tests exchange. Layout from numpy's format documentation
// (numpy/lib/format.py): magic "\x93NUMPY", version, header length (u16 for
// 1.0, u32 for 2.0), an ASCII dict literal padded to 64 bytes, the data.
'use strict';
const fs = require('fs');

const DTYPES = {
  '<f4' : Float32Array,
  '<i4' : Int32Array,
  '|u1' : Uint8Array,
  '<u1' : Uint8Array,
};

function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shape)
    throw new Error(`${path}: bad header`);
  if (order[1] === 'True')
    throw new Error(`${path}: Fortran order`);
  const Type = DTYPES[descr[1]];
  if (!Type)
    throw new Error(`${path}: unsupported dtype ${descr[1]}`);
  const dims =
      shape[1].split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (buf.length < offset + count * Type.BYTES_PER_ELEMENT)
    throw new Error(`${path}: truncated data`);
  // Copy so the typed array is aligned whatever the header length.
  const bytes = buf.subarray(offset, offset + count * Type.BYTES_PER_ELEMENT);
  const data = new Type(new Uint8Array(bytes).buffer);
  return {data, shape : dims};
}

function writeNpy(path, data, shape) {
  let descr;
  if (data instanceof Float32Array)
    descr = '<f4';
  else if (data instanceof Int32Array)
    descr = '<i4';
  else if (data instanceof Uint8Array)
    descr = '|u1';
  else
    throw new Error('writeNpy: unsupported array type');
  const shapeStr =
      shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header =
      `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad with spaces so magic + version + length + header + '\n' is a
  // multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(path, Buffer.concat([
    head, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  ]));
}

module.exports = {
  readNpy,
  writeNpy
};
