//===- Npz.cpp - NumPy .npz archives --------------------------------------===//
//
// Zip layout: PKWARE APPNOTE.TXT (sections 4.3.7 local file header, 4.3.12
// central directory header, 4.3.14-4.3.16 zip64 and end of central
// directory records, 4.5.3 zip64 extended information extra field). The
// central directory is authoritative: Python's zipfile may leave sizes in
// the local headers as placeholders (numpy.savez writes with
// force_zip64=True), so only the local header's name and extra lengths are
// read from it.
//
//===----------------------------------------------------------------------===//

#include "vai/Support/Npz.h"
#include "vai/Simulator/Npy.h"
#include "vai/Support/FileIO.h"

#include <zlib.h>

#include <cstring>

using namespace vai;

namespace {

const uint32_t kEndOfCentralDirSig = 0x06054b50;
const uint32_t kZip64LocatorSig = 0x07064b50;
const uint32_t kZip64EndSig = 0x06064b50;
const uint32_t kCentralHeaderSig = 0x02014b50;
const uint32_t kLocalHeaderSig = 0x04034b50;
const uint16_t kZip64ExtraId = 0x0001;
const size_t kEndOfCentralDirSize = 22;
const size_t kCentralHeaderSize = 46;
const size_t kLocalHeaderSize = 30;
const size_t kMaxCommentSize = 0xffff;

/// Bounds-checked little-endian reads from the archive bytes.
class Reader {
public:
  explicit Reader(const std::string &bytes) : bytes(bytes) {}

  bool has(uint64_t offset, uint64_t size) const {
    return offset <= bytes.size() && size <= bytes.size() - offset;
  }
  uint64_t le(uint64_t offset, unsigned size) const {
    uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i)
      v |= uint64_t(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
    return v;
  }
  const std::string &bytes;
};

struct Member {
  std::string name;
  uint16_t flags = 0;
  uint16_t method = 0;
  uint32_t crc = 0;
  uint64_t compressedSize = 0;
  uint64_t size = 0;
  uint64_t localOffset = 0;
};

bool fail(std::string &error, const std::string &message) {
  error = message;
  return false;
}

/// Finds the central directory: offset and entry count, from the end
/// record or, when that holds the 0xffff... escapes, the zip64 end record.
bool findCentralDirectory(const Reader &r, uint64_t &offset, uint64_t &count,
                          std::string &error) {
  const std::string &b = r.bytes;
  if (b.size() < kEndOfCentralDirSize)
    return fail(error, "not a zip archive (too short for an end record)");
  // The end record is last, followed only by a comment of at most 64 KiB.
  uint64_t lowest = b.size() > kEndOfCentralDirSize + kMaxCommentSize
                        ? b.size() - kEndOfCentralDirSize - kMaxCommentSize
                        : 0;
  uint64_t end = b.size() - kEndOfCentralDirSize;
  while (true) {
    if (r.le(end, 4) == kEndOfCentralDirSig)
      break;
    if (end == lowest)
      return fail(error, "not a zip archive (no end of central directory)");
    --end;
  }
  if (r.le(end + 4, 2) != 0 || r.le(end + 6, 2) != 0)
    return fail(error, "multi-volume zip archives are not supported");
  count = r.le(end + 10, 2);
  offset = r.le(end + 16, 4);
  if (count != 0xffff && offset != 0xffffffff)
    return true;
  // Zip64: a 20-byte locator just before the end record points to the
  // zip64 end record.
  if (end < 20 || r.le(end - 20, 4) != kZip64LocatorSig)
    return fail(error, "zip64 end record locator is missing");
  uint64_t zip64End = r.le(end - 20 + 8, 8);
  if (!r.has(zip64End, 56) || r.le(zip64End, 4) != kZip64EndSig)
    return fail(error, "zip64 end record is missing or truncated");
  count = r.le(zip64End + 32, 8);
  offset = r.le(zip64End + 48, 8);
  return true;
}

/// Replaces 0xffffffff sizes and offsets with the zip64 extra field's
/// 8-byte values, which appear in that order for the escaped fields only.
bool applyZip64Extra(const Reader &r, uint64_t extra, uint64_t extraLen,
                     Member &m, std::string &error) {
  bool needSize = m.size == 0xffffffff;
  bool needCompressed = m.compressedSize == 0xffffffff;
  bool needOffset = m.localOffset == 0xffffffff;
  if (!needSize && !needCompressed && !needOffset)
    return true;
  uint64_t pos = extra, stop = extra + extraLen;
  while (pos + 4 <= stop) {
    uint64_t id = r.le(pos, 2), len = r.le(pos + 2, 2);
    if (pos + 4 + len > stop)
      break;
    if (id == kZip64ExtraId) {
      uint64_t field = pos + 4, fieldStop = field + len;
      auto take = [&](uint64_t &value) {
        if (field + 8 > fieldStop)
          return false;
        value = r.le(field, 8);
        field += 8;
        return true;
      };
      if ((needSize && !take(m.size)) ||
          (needCompressed && !take(m.compressedSize)) ||
          (needOffset && !take(m.localOffset)))
        break;
      return true;
    }
    pos += 4 + len;
  }
  return fail(error, "member '" + m.name +
                         "': zip64 sizes are escaped but its zip64 extra "
                         "field is missing or short");
}

bool readCentralDirectory(const Reader &r, std::vector<Member> &members,
                          std::string &error) {
  uint64_t pos, count;
  if (!findCentralDirectory(r, pos, count, error))
    return false;
  for (uint64_t i = 0; i < count; ++i) {
    if (!r.has(pos, kCentralHeaderSize) || r.le(pos, 4) != kCentralHeaderSig)
      return fail(error, "central directory entry " + std::to_string(i) +
                             " is truncated or corrupt");
    Member m;
    m.flags = r.le(pos + 8, 2);
    m.method = r.le(pos + 10, 2);
    m.crc = r.le(pos + 16, 4);
    m.compressedSize = r.le(pos + 20, 4);
    m.size = r.le(pos + 24, 4);
    uint64_t nameLen = r.le(pos + 28, 2), extraLen = r.le(pos + 30, 2),
             commentLen = r.le(pos + 32, 2);
    m.localOffset = r.le(pos + 42, 4);
    uint64_t variable = nameLen + extraLen + commentLen;
    if (!r.has(pos + kCentralHeaderSize, variable))
      return fail(error, "central directory entry " + std::to_string(i) +
                             " is truncated");
    m.name = r.bytes.substr(pos + kCentralHeaderSize, nameLen);
    if (!applyZip64Extra(r, pos + kCentralHeaderSize + nameLen, extraLen, m,
                         error))
      return false;
    members.push_back(std::move(m));
    pos += kCentralHeaderSize + variable;
  }
  return true;
}

/// Raw deflate (RFC 1951, no zlib header: windowBits -15).
bool inflateMember(const char *data, uint64_t size, uint64_t expected,
                   std::string &out, std::string &error) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (inflateInit2(&zs, -15) != Z_OK)
    return fail(error, "zlib initialisation failed");
  out.assign(expected, '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
  zs.avail_in = static_cast<uInt>(size);
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = static_cast<uInt>(expected);
  int rc = inflate(&zs, Z_FINISH);
  uint64_t produced = zs.total_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || produced != expected)
    return fail(error, "corrupt deflate data");
  return true;
}

bool extractMember(const Reader &r, const Member &m, std::string &out,
                   std::string &error) {
  std::string where = "member '" + m.name + "': ";
  if (m.flags & 1)
    return fail(error, where + "encrypted members are not supported");
  if (!r.has(m.localOffset, kLocalHeaderSize) ||
      r.le(m.localOffset, 4) != kLocalHeaderSig)
    return fail(error, where + "local header is missing or truncated");
  uint64_t data = m.localOffset + kLocalHeaderSize +
                  r.le(m.localOffset + 26, 2) + r.le(m.localOffset + 28, 2);
  if (!r.has(data, m.compressedSize))
    return fail(error, where + "truncated data: expected " +
                           std::to_string(m.compressedSize) + " bytes");
  // zlib's sizes are 32-bit; calibration arrays beyond 4 GiB are not sane.
  if (m.size > 0xffffffffu || m.compressedSize > 0xffffffffu)
    return fail(error, where + "larger than 4 GiB");
  const char *begin = r.bytes.data() + data;
  if (m.method == 0) {
    if (m.compressedSize != m.size)
      return fail(error, where + "stored sizes disagree");
    out.assign(begin, m.size);
  } else if (m.method == 8) {
    if (!inflateMember(begin, m.compressedSize, m.size, out, error)) {
      error = where + error;
      return false;
    }
  } else {
    return fail(error, where + "compression method " +
                           std::to_string(m.method) +
                           " is not supported (only stored and deflate, as "
                           "numpy.savez and savez_compressed write)");
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef *>(out.data()),
              static_cast<uInt>(out.size()));
  if (crc != m.crc)
    return fail(error, where + "CRC mismatch (corrupt archive)");
  return true;
}

} // namespace

bool vai::parseNpz(const std::string &bytes, std::vector<NpzEntry> &out,
                   std::string &error) {
  Reader r(bytes);
  std::vector<Member> members;
  if (!readCentralDirectory(r, members, error))
    return false;
  out.clear();
  for (const Member &m : members) {
    // Directories and non-array members (a zip made by hand) are skipped.
    if (m.name.empty() || m.name.back() == '/')
      continue;
    const std::string suffix = ".npy";
    if (m.name.size() <= suffix.size() ||
        m.name.compare(m.name.size() - suffix.size(), suffix.size(), suffix) !=
            0)
      return fail(error, "member '" + m.name + "' is not a .npy array");
    std::string npy;
    if (!extractMember(r, m, npy, error))
      return false;
    NpzEntry entry;
    entry.name = m.name.substr(0, m.name.size() - suffix.size());
    if (!parseNpy(npy, entry.array, error)) {
      error = "member '" + m.name + "': " + error;
      return false;
    }
    out.push_back(std::move(entry));
  }
  if (out.empty())
    return fail(error, "the archive holds no arrays");
  return true;
}

bool vai::readNpzFloat(const std::string &path, std::vector<NpzEntry> &out,
                       std::string &error) {
  std::string bytes;
  if (!readWholeFile(path, bytes, error))
    return false;
  if (!parseNpz(bytes, out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}
