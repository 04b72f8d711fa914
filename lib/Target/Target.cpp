//===- Target.cpp - DPU target description --------------------------------===//
//
// arch.json parsing, the embedded catalog of targets/*.json, and the decoding
// of DPU fingerprints. Built with -fno-exceptions: nlohmann_json is only used
// through its non-throwing paths (parse with allow_exceptions = false, type
// checks before every get<>, find() instead of at()).
//
//===----------------------------------------------------------------------===//

#include "vai/Target/Target.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>

using namespace vai;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

namespace {

//===----------------------------------------------------------------------===//
// Embedded catalog files (generated from targets/*.json by EmbedTargets.cmake)
//===----------------------------------------------------------------------===//

struct EmbeddedFile {
  const char *name;
  const char *text;
};

const EmbeddedFile kEmbeddedFiles[] = {
#include "TargetCatalog.inc"
};

const char *const kBoardsFile = "boards.json";

//===----------------------------------------------------------------------===//
// Facts about fingerprints
//===----------------------------------------------------------------------===//

struct Family {
  uint8_t code;
  const char *name;
};

// Fingerprint bits [63:56]; Vitis-AI
// src/vai_runtime/target_factory/src/target_factory.cpp (type2int/int2type).
const Family kFamilies[] = {
    {1, "DPUCZDX8G"}, {2, "DPUCAHX8H"}, {3, "DPUCAHX8L"},
    {4, "DPUCZDI4G"}, {5, "DPUCVDX8H"}, {6, "DPUCVDX8G"},
    {7, "DPUCADF8H"}, {8, "IPU_PHX"},   {9, "DPUCV2DX8G"},
};

const char *familyName(uint8_t code) {
  for (const Family &f : kFamilies)
    if (f.code == code)
      return f.name;
  return nullptr;
}

std::optional<uint8_t> familyCode(const std::string &name) {
  for (const Family &f : kFamilies)
    if (name == f.name)
      return f.code;
  return std::nullopt;
}

struct ArchParallel {
  int pixel, channel;
};

// DPUCZDX8G ISA1 feature code bits [3:0] -> (pixel, channel) parallelism;
// Vitis-AI src/vai_runtime/target_factory/src/create_target_DPUCZDX8G_ISA1.cpp.
const ArchParallel kZdx8gIsa1Arch[] = {
    {4, 8},  {4, 10}, {8, 8}, {4, 12}, {8, 10}, {8, 12},
    {8, 14}, {8, 16}, {4, 4}, {2, 6},  {2, 8},  {2, 4},
};
constexpr unsigned kZdx8gIsa1ArchCount =
    sizeof(kZdx8gIsa1Arch) / sizeof(kZdx8gIsa1Arch[0]);

// DPUCZDX8G ISA0 has the same table without code 11;
// Vitis-AI src/vai_runtime/target_factory/src/create_target_v2.cpp.
constexpr unsigned kZdx8gIsa0ArchCount = 11;

// Bank depth that create_target_DPUCZDX8G_ISA1.cpp gives every bank.
constexpr int kDefaultBankDepth = 2048;

// Feature-code fields of DPUCZDX8G ISA1 (same source file).
struct Zdx8gFeatures {
  unsigned arch = 0;                  // [3:0]
  unsigned aluPixelParallel = 0;      // [11:8]
  unsigned imageBankGroups = 0;       // [25:24]
  bool channelAugmentation = false;   // [26]
  bool convLeakyRelu = false;         // [28]
  bool aluLeakyRelu = false;          // [29]
  bool saveArgmax = false;            // [30]
  unsigned convWriteParallelLog2 = 0; // [33:32]
  unsigned aluWriteParallelLog2 = 0;  // [35:34]
  uint64_t undecoded = 0;             // feature-code bits not listed above
};

constexpr uint64_t kZdx8gDecodedMask =
    0xFull | 0xF00ull | 0x3000000ull | 0x4000000ull | 0x10000000ull |
    0x20000000ull | 0x40000000ull | 0x300000000ull | 0xC00000000ull;

// Feature-code fields of DPUCZDX8G ISA0 (create_target_v2.cpp). It has
// separate pool and depthwise engines instead of an ALU.
struct Zdx8gIsa0Features {
  unsigned arch = 0;                 // [3:0]
  unsigned poolPixelParallel = 0;    // [11:8]
  unsigned dwconvPixelParallel = 0;  // [15:12], 0 = no depthwise engine
  unsigned eltwisePixelParallel = 0; // [19:16]
  unsigned imageBankGroups = 0;      // [25:24]
  bool channelAugmentation = false;  // [26]
  bool convLeakyRelu = false;        // [28]
  bool convRelu6 = false;            // [29]
  bool poolAverage = false;          // [30]
  bool dwconvRelu6 = false;          // [31]
  bool eltwiseMult = false;          // [36]
  bool poolMaxReduce = false;        // [37]
  uint64_t undecoded = 0;            // includes [27] LD_MEAN, unused upstream
};

constexpr uint64_t kZdx8gIsa0DecodedMask =
    0xFull | 0xF00ull | 0xF000ull | 0xF0000ull | 0x3000000ull | 0x4000000ull |
    0xF0000000ull | 0x1000000000ull | 0x2000000000ull;

Zdx8gIsa0Features decodeZdx8gIsa0Features(uint64_t fingerprint) {
  Zdx8gIsa0Features f;
  f.arch = fingerprint & 0xF;
  f.poolPixelParallel = (fingerprint >> 8) & 0xF;
  f.dwconvPixelParallel = (fingerprint >> 12) & 0xF;
  f.eltwisePixelParallel = (fingerprint >> 16) & 0xF;
  f.imageBankGroups = (fingerprint >> 24) & 0x3;
  f.channelAugmentation = (fingerprint >> 26) & 1;
  f.convLeakyRelu = (fingerprint >> 28) & 1;
  f.convRelu6 = (fingerprint >> 29) & 1;
  f.poolAverage = (fingerprint >> 30) & 1;
  f.dwconvRelu6 = (fingerprint >> 31) & 1;
  f.eltwiseMult = (fingerprint >> 36) & 1;
  f.poolMaxReduce = (fingerprint >> 37) & 1;
  f.undecoded = fingerprint & 0xFFFFFFFFFFFFull & ~kZdx8gIsa0DecodedMask;
  return f;
}

// Bit 30 of a DPUCZDX8G ISA1 feature code: save argmax. Vitis AI 3.x sets it
// in every catalog prototxt, 2.5 in none.
constexpr uint64_t kZdx8gIsa1SaveArgmaxBit = uint64_t(1) << 30;

Zdx8gFeatures decodeZdx8gFeatures(uint64_t fingerprint) {
  Zdx8gFeatures f;
  f.arch = fingerprint & 0xF;
  f.aluPixelParallel = (fingerprint >> 8) & 0xF;
  f.imageBankGroups = (fingerprint >> 24) & 0x3;
  f.channelAugmentation = (fingerprint >> 26) & 1;
  f.convLeakyRelu = (fingerprint >> 28) & 1;
  f.aluLeakyRelu = (fingerprint >> 29) & 1;
  f.saveArgmax = (fingerprint >> 30) & 1;
  f.convWriteParallelLog2 = (fingerprint >> 32) & 0x3;
  f.aluWriteParallelLog2 = (fingerprint >> 34) & 0x3;
  f.undecoded = fingerprint & 0xFFFFFFFFFFFFull & ~kZdx8gDecodedMask;
  return f;
}

//===----------------------------------------------------------------------===//
// Names accepted in lists
//===----------------------------------------------------------------------===//

// Vitis-AI src/vai_runtime/target_factory/src/target.proto (Nonlinear, Alu,
// Eltwise enums); "relu_six" is spelled "relu6" here.
const std::vector<std::string> kNonlinearNames = {
    "relu", "prelu", "leaky_relu", "relu6", "hsigmoid", "hswish"};
const std::vector<std::string> kAluTypeNames = {
    "dwconv",     "prelu",          "avg_pool",  "max_pool", "leaky_relu",
    "max_reduce", "dwconv_no_bias", "hsigmoid",  "w16b0",    "macc_temp",
    "comp_temp",  "elew_add",       "elew_mult", "softmax"};
const std::vector<std::string> kEltwiseTypeNames = {"add", "mult"};
const std::vector<std::string> kPoolTypeNames = {"max", "avg", "max_reduce"};
const std::vector<std::pair<std::string, std::string>> kNameAliases = {
    {"relu_six", "relu6"}};

// Limits that keep every product of sizes well inside int64_t.
constexpr int64_t kMaxParallel = 1024;
constexpr int64_t kMaxBankGroups = 64;
constexpr int64_t kMaxBanks = 4096;
constexpr int64_t kMaxBankWidth = 4096;
constexpr int64_t kMaxBankDepth = int64_t(1) << 20;
constexpr int64_t kMaxLimit = int64_t(1) << 20;
constexpr int64_t kMaxWriteParallel = 64;

//===----------------------------------------------------------------------===//
// Small string helpers
//===----------------------------------------------------------------------===//

std::string join(const std::vector<std::string> &items,
                 const char *separator = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i)
      out += separator;
    out += items[i];
  }
  return out;
}

std::string toLower(std::string s) {
  for (char &c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string hex(uint64_t value, int width = 0, bool upper = false) {
  char buf[32];
  if (upper)
    std::snprintf(buf, sizeof(buf), "%0*" PRIX64, width, value);
  else
    std::snprintf(buf, sizeof(buf), "%0*" PRIx64, width, value);
  return buf;
}

std::string quote(const std::string &s) { return "'" + s + "'"; }

size_t editDistance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// The closest candidate to `word` if it is close enough to be a typo.
std::optional<std::string> closestName(const std::string &word,
                                       const std::vector<std::string> &names) {
  std::optional<std::string> best;
  size_t bestDistance = 0;
  for (const std::string &name : names) {
    size_t d = editDistance(word, name);
    if (!best || d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  // Short words ("foo") are not typos of anything: require that most of the
  // word survives.
  if (best && bestDistance <= std::max<size_t>(2, word.size() / 3) &&
      2 * bestDistance < word.size())
    return best;
  // "clock" for "clock_mhz": a prefix of a name (or the other way round).
  if (word.size() >= 3)
    for (const std::string &name : names)
      if (name.compare(0, word.size(), word) == 0 ||
          word.compare(0, name.size(), name) == 0)
        return name;
  return std::nullopt;
}

/// "byte N (line L, column C)" for nlohmann's error position, which counts the
/// characters read including the offending one (so it is the 1-based index of
/// that character), or "end of input" when the text ended too early.
std::string describePosition(const std::string &text, size_t position) {
  if (position > text.size())
    return "end of input";
  size_t byte = std::max<size_t>(position, 1);
  size_t line = 1, column = 1;
  for (size_t i = 0; i + 1 < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "byte " + std::to_string(byte) + " (line " + std::to_string(line) +
         ", column " + std::to_string(column) + ")";
}

/// Records where nlohmann's parser gave up; every other event is accepted.
class ErrorLocator : public nlohmann::json_sax<Json> {
public:
  size_t position = 0;
  std::string reason;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t &) override { return true; }
  bool string(string_t &) override { return true; }
  bool binary(binary_t &) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t &) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string &,
                   const nlohmann::detail::exception &ex) override {
    position = pos;
    // "[json.exception.parse_error.101] parse error at line 1, column 2:
    // syntax error ..." -> "syntax error ...".
    std::string what = ex.what();
    size_t colon = what.find(": ");
    reason = colon == std::string::npos ? what : what.substr(colon + 2);
    return false;
  }
};

/// Parses a fingerprint string: hexadecimal digits with an optional 0x.
bool parseHexFingerprint(const std::string &s, uint64_t &out,
                         std::string &reason) {
  size_t start = 0;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    start = 2;
  if (start == s.size()) {
    reason = "expected a hexadecimal number";
    return false;
  }
  uint64_t value = 0;
  for (size_t i = start; i < s.size(); ++i) {
    char c = s[i];
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      digit = c - 'A' + 10;
    else {
      reason = "expected a hexadecimal number";
      return false;
    }
    if (value >> 60) {
      reason = "more than 64 bits";
      return false;
    }
    value = (value << 4) | digit;
  }
  out = value;
  return true;
}

//===----------------------------------------------------------------------===//
// Target construction
//===----------------------------------------------------------------------===//

/// The configuration Vitis AI's target_factory builds for DPUCZDX8G ISA1, for
/// the given parallelism, with every optional feature the catalog entries
/// have (channel augmentation, conv leaky ReLU) and none they lack.
Target makeIsa1Defaults(int pp, int icp, int ocp) {
  Target t;
  t.pixelParallel = pp;
  t.inputChannelParallel = icp;
  t.outputChannelParallel = ocp;
  t.aluPixelParallel = std::max(1, pp / 2);
  t.imageBankGroups = 2;
  t.imageBanksPerGroup = pp;
  t.imageBankWidth = icp;
  t.imageBankDepth = kDefaultBankDepth;
  t.weightBanks = ocp;
  t.weightBankWidth = icp;
  t.weightBankDepth = kDefaultBankDepth;
  t.biasBankWidth = icp;
  t.biasBankDepth = kDefaultBankDepth;
  t.aluWeightBankWidth = icp;
  t.aluWeightBankDepth = kDefaultBankDepth;
  t.convKernel = {1, 16};
  t.convStride = {1, 8};
  t.convNonlinear = {"relu", "leaky_relu", "relu6"};
  t.convStrideOutH = Range{1, 4};
  t.aluStrideOutH = Range{1, 4};
  t.aluKernel = {1, 256};
  t.aluStride = {1, 256};
  t.aluPad = {0, 15};
  t.aluPadEnd = {0, 255};
  t.aluTypes = {"dwconv",         "prelu",      "avg_pool",
                "max_pool",       "leaky_relu", "max_reduce",
                "dwconv_no_bias", "hsigmoid",   "w16b0"};
  t.aluNonlinear = {"relu", "relu6"};
  t.eltwiseTypes = {"add", "mult"};
  t.eltwiseNonlinear = {"relu"};
  t.channelAugmentation = true;
  t.saveArgmax = false;
  return t;
}

std::string fingerprintText(uint64_t fingerprint) {
  return "0x" + hex(fingerprint);
}

Range intersect(const Range &a, const Range &b) {
  return {std::max(a.min, b.min), std::min(a.max, b.max)};
}

/// Fills the ALU fields of a design without an ALU (DPUCZDX8G ISA0) from its
/// pool and depthwise engines: the ALU types they offer, and the limits and
/// nonlinearities that hold for all of them. Code that checks only the ALU is
/// then conservative: it never places an op on an engine that cannot run it.
void projectEnginesOntoAlu(Target &t) {
  t.aluTypes.clear();
  t.aluNonlinear.clear();
  std::optional<Range> kernel, stride;
  std::optional<std::vector<std::string>> nonlinear;
  auto addLimits = [&](const Range &k, const Range &s,
                       const std::vector<std::string> &nl) {
    kernel = kernel ? intersect(*kernel, k) : k;
    stride = stride ? intersect(*stride, s) : s;
    if (!nonlinear) {
      nonlinear = nl;
      return;
    }
    std::vector<std::string> common;
    for (const std::string &n : *nonlinear)
      if (std::find(nl.begin(), nl.end(), n) != nl.end())
        common.push_back(n);
    nonlinear = common;
  };
  if (t.dwconv.present()) {
    t.aluTypes.push_back("dwconv");
    addLimits(t.dwconv.kernel, t.dwconv.stride, t.dwconv.nonlinear);
  }
  if (t.pool.present()) {
    auto has = [&](const char *type) {
      return std::find(t.pool.types.begin(), t.pool.types.end(), type) !=
             t.pool.types.end();
    };
    if (has("max")) {
      t.aluTypes.push_back("max_pool");
      addLimits(t.pool.maxKernel, t.pool.maxStride, t.pool.nonlinear);
    }
    if (has("avg")) {
      t.aluTypes.push_back("avg_pool");
      addLimits(t.pool.avgKernel, t.pool.avgStride, t.pool.nonlinear);
    }
    if (has("max_reduce"))
      t.aluTypes.push_back("max_reduce");
  }
  // An empty range (min > max) means no ALU op fits; keep it well-formed.
  t.aluKernel = kernel ? *kernel : Range{1, 1};
  t.aluStride = stride ? *stride : Range{1, 1};
  if (t.aluKernel.min > t.aluKernel.max || t.aluStride.min > t.aluStride.max)
    t.aluTypes.clear();
  if (t.aluKernel.min > t.aluKernel.max)
    t.aluKernel = {1, 1};
  if (t.aluStride.min > t.aluStride.max)
    t.aluStride = {1, 1};
  if (nonlinear)
    t.aluNonlinear = *nonlinear;
  t.aluStrideOutH.reset();
  t.aluWriteParallel = 1;
}

/// What every DPUCZDX8G code shares: the arch code indexes the parallelism
/// table (bits [3:0]) and the image bank groups (bits [25:24]) are not 0.
std::optional<Target> startZdx8g(uint64_t fingerprint, unsigned isa,
                                 unsigned archCode, unsigned archCount,
                                 unsigned imageBankGroups,
                                 unsigned channelAugmentation,
                                 std::string &error) {
  std::string where = "fingerprint " + fingerprintText(fingerprint) + ": ";
  if (archCode >= archCount) {
    error = where + "arch code " + std::to_string(archCode) +
            " in bits [3:0] is not a DPUCZDX8G ISA" + std::to_string(isa) +
            " configuration (valid: 0-" + std::to_string(archCount - 1) + ")";
    return std::nullopt;
  }
  if (imageBankGroups == 0) {
    error = where + "image bank group count in bits [25:24] is 0";
    return std::nullopt;
  }
  const ArchParallel &arch = kZdx8gIsa1Arch[archCode];
  Target t = makeIsa1Defaults(arch.pixel, arch.channel, arch.channel);
  t.type = "DPUCZDX8G";
  t.isaVersion = isa;
  t.fingerprint = fingerprint;
  t.imageBankGroups = imageBankGroups;
  t.channelAugmentation = channelAugmentation;
  return t;
}

/// The configuration create_target_v2.cpp builds for a DPUCZDX8G ISA0 code.
std::optional<Target> decodeZdx8gIsa0(uint64_t fingerprint,
                                      std::string &error) {
  Zdx8gIsa0Features f = decodeZdx8gIsa0Features(fingerprint);
  std::optional<Target> started =
      startZdx8g(fingerprint, 0, f.arch, kZdx8gIsa0ArchCount, f.imageBankGroups,
                 f.channelAugmentation, error);
  if (!started)
    return std::nullopt;
  std::string where = "fingerprint " + fingerprintText(fingerprint) + ": ";
  if (f.poolPixelParallel == 0) {
    error = where + "pool pixel parallelism in bits [11:8] is 0";
    return std::nullopt;
  }
  if (f.eltwisePixelParallel == 0) {
    error = where + "eltwise pixel parallelism in bits [19:16] is 0";
    return std::nullopt;
  }
  Target t = *started;
  t.hasAlu = false;
  // ISA0 has no ALU; its eltwise parallelism takes the ALU/eltwise field.
  t.aluPixelParallel = f.eltwisePixelParallel;
  t.convNonlinear = {"relu"};
  if (f.convLeakyRelu)
    t.convNonlinear.push_back("leaky_relu");
  if (f.convRelu6)
    t.convNonlinear.push_back("relu6");
  t.convStrideOutH.reset();
  t.eltwiseTypes = {"add"};
  if (f.eltwiseMult)
    t.eltwiseTypes.push_back("mult");
  t.eltwiseNonlinear = {"relu"};
  t.pool.pixelParallel = f.poolPixelParallel;
  t.pool.types = {"max"};
  if (f.poolAverage)
    t.pool.types.push_back("avg");
  if (f.poolMaxReduce)
    t.pool.types.push_back("max_reduce");
  t.pool.maxKernel = {1, 8};
  t.pool.maxStride = {1, 8};
  t.pool.avgKernel = {2, 8};
  t.pool.avgStride = {1, 8};
  t.pool.nonlinear = {"relu"};
  if (f.dwconvPixelParallel) {
    t.dwconv.pixelParallel = f.dwconvPixelParallel;
    t.dwconv.kernel = {1, 16};
    t.dwconv.stride = {1, 8};
    t.dwconv.nonlinear = {"relu"};
    if (f.dwconvRelu6)
      t.dwconv.nonlinear.push_back("relu6");
  } else {
    // No DWCONVW bank without a depthwise engine.
    t.aluWeightBankWidth = 0;
    t.aluWeightBankDepth = 0;
  }
  t.saveArgmax = false;
  projectEnginesOntoAlu(t);
  t.name = "DPUCZDX8G_ISA0_B" + std::to_string(t.peakOpsPerCycle()) + "_" +
           hex(fingerprint, 16, /*upper=*/true);
  return t;
}

/// Builds a DPUCZDX8G ISA1 target from its fingerprint alone.
std::optional<Target> decodeFromFeatureCode(uint64_t fingerprint,
                                            std::string &error) {
  uint8_t typeByte = fingerprint >> 56;
  unsigned isa = (fingerprint >> 48) & 0xFF;
  const char *family = familyName(typeByte);
  if (!family) {
    error = "fingerprint type byte 0x" + hex(typeByte, 2) +
            " is not a known DPU family";
    return std::nullopt;
  }
  if (typeByte == 1 && isa == 0)
    return decodeZdx8gIsa0(fingerprint, error);
  if (typeByte != 1 || isa != 1) {
    error = "fingerprint " + fingerprintText(fingerprint) + " (" + family +
            " ISA" + std::to_string(isa) +
            ") is not in the catalog, and decoding of family " + family +
            (typeByte == 1 ? " ISA" + std::to_string(isa) : std::string()) +
            "'s feature code is not supported (only DPUCZDX8G ISA0 and ISA1); "
            "describe the target inline (docs/arch-json.md)";
    return std::nullopt;
  }
  Zdx8gFeatures f = decodeZdx8gFeatures(fingerprint);
  std::optional<Target> started =
      startZdx8g(fingerprint, 1, f.arch, kZdx8gIsa1ArchCount, f.imageBankGroups,
                 f.channelAugmentation, error);
  if (!started)
    return std::nullopt;
  if (f.aluPixelParallel == 0) {
    error = "fingerprint " + fingerprintText(fingerprint) +
            ": ALU pixel parallelism in bits [11:8] is 0";
    return std::nullopt;
  }
  Target t = *started;
  t.aluPixelParallel = f.aluPixelParallel;
  t.convNonlinear = {"relu"};
  if (f.convLeakyRelu)
    t.convNonlinear.push_back("leaky_relu");
  t.convNonlinear.push_back("relu6");
  t.aluNonlinear = {"relu"};
  if (f.aluLeakyRelu)
    t.aluNonlinear.push_back("leaky_relu");
  t.aluNonlinear.push_back("relu6");
  t.saveArgmax = f.saveArgmax;
  t.convWriteParallel = 1 << f.convWriteParallelLog2;
  t.aluWriteParallel = 1 << f.aluWriteParallelLog2;
  // create_target_DPUCZDX8G_ISA1.cpp: 1-4, or 1-PP/WP when that is below 4.
  auto strideOutH = [&](int wp) {
    return Range{1, (wp == 1 || t.pixelParallel / wp >= 4)
                        ? 4
                        : std::max(1, t.pixelParallel / wp)};
  };
  t.convStrideOutH = strideOutH(t.convWriteParallel);
  t.aluStrideOutH = strideOutH(t.aluWriteParallel);
  // Same naming as target_factory for fingerprints it has no prototxt for.
  t.name = "DPUCZDX8G_ISA1_B" + std::to_string(t.peakOpsPerCycle()) + "_" +
           hex(fingerprint, 16, /*upper=*/true);
  return t;
}

//===----------------------------------------------------------------------===//
// arch.json reader
//===----------------------------------------------------------------------===//

// Keys of the inline (full description) form.
const std::vector<std::string> kInlineKeys = {
    "name",
    "type",
    "isa_version",
    "fingerprint",
    "pixel_parallel",
    "input_channel_parallel",
    "output_channel_parallel",
    "alu_pixel_parallel",
    "image_bank",
    "weight_bank",
    "bias_bank",
    "alu_weight_bank",
    "conv",
    "alu",
    "eltwise",
    "has_alu",
    "pool",
    "dwconv",
    "channel_augmentation",
    "save_argmax",
    "clock_mhz",
    "ddr_bandwidth_gbps",
    "source",
    "comment",
};
// Keys of the reference forms ({"fingerprint"}, {"target"}, {"board"}).
const std::vector<std::string> kReferenceKeys = {
    "fingerprint",        "target", "board",  "clock_mhz",
    "ddr_bandwidth_gbps", "source", "comment"};

std::string keyPath(const std::string &prefix, const std::string &key) {
  return prefix.empty() ? key : prefix + "." + key;
}

class ArchReader {
public:
  ArchReader(std::string fileName, std::string &error)
      : fileName(std::move(fileName)), error(error) {}

  std::optional<Json> parseDocument(const std::string &text);
  std::optional<Target> parseTop(const Json &doc);
  std::optional<Target> parseInline(const Json &doc);

  bool fail(const std::string &message) {
    error = fileName + ": " + message;
    return false;
  }

private:
  std::optional<Target> parseReference(const Json &doc);

  bool checkKeys(const Json &object, const std::string &prefix,
                 const std::vector<std::string> &allowed,
                 const std::vector<std::string> &suggestions);
  bool readInt(const Json &object, const std::string &prefix, const char *key,
               int &out, int64_t minValue, int64_t maxValue, bool required);
  bool readDouble(const Json &object, const std::string &prefix,
                  const char *key, double &out);
  bool readBool(const Json &object, const std::string &prefix, const char *key,
                bool &out);
  bool readString(const Json &object, const std::string &prefix,
                  const char *key, std::string &out, bool required);
  bool readRange(const Json &object, const std::string &prefix, const char *key,
                 Range &out, int64_t minValue);
  bool readOptionalRange(const Json &object, const std::string &prefix,
                         const char *key, std::optional<Range> &out);
  bool readNames(const Json &object, const std::string &prefix, const char *key,
                 const std::vector<std::string> &known,
                 std::vector<std::string> &out);
  bool readFingerprint(const Json &value, uint64_t &out);
  const Json *readSection(const Json &object, const char *key,
                          const std::vector<std::string> &allowed, bool &ok);

  std::string fileName;
  std::string &error;
};

std::optional<Json> ArchReader::parseDocument(const std::string &text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    fail("empty file: expected a JSON object");
    return std::nullopt;
  }
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    ErrorLocator locator;
    Json::sax_parse(text, &locator);
    std::string message =
        "not valid JSON at " + describePosition(text, locator.position);
    if (!locator.reason.empty())
      message += ": " + locator.reason;
    fail(message);
    return std::nullopt;
  }
  if (!doc.is_object()) {
    fail(std::string("expected a JSON object at the top level, found ") +
         doc.type_name());
    return std::nullopt;
  }
  return doc;
}

bool ArchReader::checkKeys(const Json &object, const std::string &prefix,
                           const std::vector<std::string> &allowed,
                           const std::vector<std::string> &suggestions) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string &key = it.key();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
      continue;
    std::string message = "unknown key " + quote(keyPath(prefix, key));
    if (std::optional<std::string> near = closestName(key, suggestions))
      message += " (did you mean " + quote(keyPath(prefix, *near)) + "?)";
    return fail(message);
  }
  return true;
}

bool ArchReader::readInt(const Json &object, const std::string &prefix,
                         const char *key, int &out, int64_t minValue,
                         int64_t maxValue, bool required) {
  std::string path = keyPath(prefix, key);
  auto it = object.find(key);
  if (it == object.end())
    return required ? fail("missing required key " + quote(path)) : true;
  if (!it->is_number_integer())
    return fail(path + " must be an integer, found " + it->type_name());
  bool tooLarge = it->is_number_unsigned() &&
                  it->get<uint64_t>() > static_cast<uint64_t>(maxValue);
  int64_t value = tooLarge ? maxValue + 1 : it->get<int64_t>();
  if (value < minValue) {
    if (minValue == 1)
      return fail(path + " must be > 0");
    return fail(path + " must be >= " + std::to_string(minValue));
  }
  if (value > maxValue)
    return fail(path + " must be <= " + std::to_string(maxValue));
  out = static_cast<int>(value);
  return true;
}

bool ArchReader::readDouble(const Json &object, const std::string &prefix,
                            const char *key, double &out) {
  std::string path = keyPath(prefix, key);
  auto it = object.find(key);
  if (it == object.end())
    return true;
  if (!it->is_number())
    return fail(path + " must be a number, found " + it->type_name());
  double value = it->get<double>();
  if (!(value >= 0) || value > 1e9)
    return fail(path + " must be >= 0 (0 means unknown)");
  out = value;
  return true;
}

bool ArchReader::readBool(const Json &object, const std::string &prefix,
                          const char *key, bool &out) {
  std::string path = keyPath(prefix, key);
  auto it = object.find(key);
  if (it == object.end())
    return true;
  if (!it->is_boolean())
    return fail(path + " must be true or false, found " + it->type_name());
  out = it->get<bool>();
  return true;
}

bool ArchReader::readString(const Json &object, const std::string &prefix,
                            const char *key, std::string &out, bool required) {
  std::string path = keyPath(prefix, key);
  auto it = object.find(key);
  if (it == object.end())
    return required ? fail("missing required key " + quote(path)) : true;
  if (!it->is_string())
    return fail(path + " must be a string, found " + it->type_name());
  out = it->get<std::string>();
  return true;
}

bool ArchReader::readRange(const Json &object, const std::string &prefix,
                           const char *key, Range &out, int64_t minValue) {
  std::string path = keyPath(prefix, key);
  auto it = object.find(key);
  if (it == object.end())
    return true;
  const Json &v = *it;
  if (!v.is_array() || v.size() != 2 || !v[0].is_number_integer() ||
      !v[1].is_number_integer())
    return fail(path + " must be an array [min, max] of two integers");
  int64_t bounds[2];
  for (size_t i = 0; i < 2; ++i) {
    bool tooLarge = v[i].is_number_unsigned() &&
                    v[i].get<uint64_t>() > static_cast<uint64_t>(kMaxLimit);
    bounds[i] = tooLarge ? kMaxLimit + 1 : v[i].get<int64_t>();
    if (bounds[i] < minValue)
      return fail(path + " must be within [" + std::to_string(minValue) + ", " +
                  std::to_string(kMaxLimit) + "]");
    if (bounds[i] > kMaxLimit)
      return fail(path + " must be within [" + std::to_string(minValue) + ", " +
                  std::to_string(kMaxLimit) + "]");
  }
  if (bounds[0] > bounds[1])
    return fail(path + ": min " + std::to_string(bounds[0]) +
                " is greater than max " + std::to_string(bounds[1]));
  out = {bounds[0], bounds[1]};
  return true;
}

bool ArchReader::readOptionalRange(const Json &object,
                                   const std::string &prefix, const char *key,
                                   std::optional<Range> &out) {
  if (object.find(key) == object.end())
    return true;
  Range r;
  if (!readRange(object, prefix, key, r, 1))
    return false;
  out = r;
  return true;
}

bool ArchReader::readNames(const Json &object, const std::string &prefix,
                           const char *key,
                           const std::vector<std::string> &known,
                           std::vector<std::string> &out) {
  std::string path = keyPath(prefix, key);
  auto it = object.find(key);
  if (it == object.end())
    return true;
  if (!it->is_array())
    return fail(path + " must be an array of strings, found " +
                it->type_name());
  std::vector<std::string> names;
  for (const Json &item : *it) {
    if (!item.is_string())
      return fail(path +
                  " must be an array of strings, found an element "
                  "of type " +
                  item.type_name());
    std::string name = item.get<std::string>();
    for (const auto &alias : kNameAliases)
      if (name == alias.first)
        name = alias.second;
    if (std::find(known.begin(), known.end(), name) == known.end())
      return fail(path + ": unknown name " + quote(name) +
                  " (known: " + join(known) + ")");
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  }
  out = std::move(names);
  return true;
}

bool ArchReader::readFingerprint(const Json &value, uint64_t &out) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    std::string reason;
    if (!parseHexFingerprint(text, out, reason))
      return fail("malformed fingerprint " + quote(text) + ": " + reason);
    return true;
  }
  if (value.is_number_unsigned()) {
    out = value.get<uint64_t>();
    return true;
  }
  return fail(
      std::string("fingerprint must be a hexadecimal string such as "
                  "\"0x101000016010407\" or a non-negative integer, "
                  "found ") +
      (value.is_number_integer() ? "a negative integer" : value.type_name()));
}

const Json *ArchReader::readSection(const Json &object, const char *key,
                                    const std::vector<std::string> &allowed,
                                    bool &ok) {
  ok = true;
  auto it = object.find(key);
  if (it == object.end())
    return nullptr;
  if (!it->is_object()) {
    ok =
        fail(std::string(key) + " must be an object, found " + it->type_name());
    return nullptr;
  }
  ok = checkKeys(*it, key, allowed, allowed);
  return ok ? &*it : nullptr;
}

std::optional<Target> ArchReader::parseTop(const Json &doc) {
  if (doc.empty()) {
    fail("expected 'fingerprint', 'target', 'board', or a full description "
         "with 'type' (see docs/arch-json.md)");
    return std::nullopt;
  }
  bool reference = doc.contains("target") || doc.contains("board");
  if (!reference) {
    // Any key that only a full description has makes this one.
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const std::string &key = it.key();
      bool isInlineKey = std::find(kInlineKeys.begin(), kInlineKeys.end(),
                                   key) != kInlineKeys.end();
      bool isReferenceKey =
          std::find(kReferenceKeys.begin(), kReferenceKeys.end(), key) !=
          kReferenceKeys.end();
      if (isInlineKey && !isReferenceKey)
        return parseInline(doc);
    }
  }
  return parseReference(doc);
}

std::optional<Target> ArchReader::parseReference(const Json &doc) {
  const char *form = doc.contains("target")  ? "target"
                     : doc.contains("board") ? "board"
                                             : "fingerprint";
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string &key = it.key();
    if (std::find(kReferenceKeys.begin(), kReferenceKeys.end(), key) !=
        kReferenceKeys.end())
      continue;
    if (std::find(kInlineKeys.begin(), kInlineKeys.end(), key) !=
        kInlineKeys.end()) {
      fail("key " + quote(key) + " cannot be combined with " + quote(form) +
           "; only clock_mhz, ddr_bandwidth_gbps, source and comment can");
      return std::nullopt;
    }
    std::vector<std::string> all = kInlineKeys;
    all.insert(all.end(), {"target", "board"});
    std::string message = "unknown key " + quote(key);
    if (std::optional<std::string> near = closestName(key, all))
      message += " (did you mean " + quote(*near) + "?)";
    fail(message);
    return std::nullopt;
  }
  int forms = doc.contains("fingerprint") + doc.contains("target") +
              doc.contains("board");
  if (forms == 0) {
    fail("expected 'fingerprint', 'target', 'board', or a full description "
         "with 'type' (see docs/arch-json.md)");
    return std::nullopt;
  }
  if (forms > 1) {
    fail("give only one of 'fingerprint', 'target' and 'board'");
    return std::nullopt;
  }

  std::optional<Target> target;
  std::string lookupError;
  if (auto it = doc.find("fingerprint"); it != doc.end()) {
    uint64_t fingerprint = 0;
    if (!readFingerprint(*it, fingerprint))
      return std::nullopt;
    target = targetFromFingerprint(fingerprint, lookupError);
  } else if (doc.contains("target")) {
    std::string name;
    if (!readString(doc, "", "target", name, /*required=*/true))
      return std::nullopt;
    target = lookupTarget(name, lookupError);
  } else {
    std::string board;
    if (!readString(doc, "", "board", board, /*required=*/true))
      return std::nullopt;
    target = lookupBoard(board, lookupError);
  }
  if (!target) {
    fail(lookupError);
    return std::nullopt;
  }
  std::string ignored;
  if (!readDouble(doc, "", "clock_mhz", target->clockMHz) ||
      !readDouble(doc, "", "ddr_bandwidth_gbps", target->ddrBandwidthGBps) ||
      !readString(doc, "", "source", ignored, false) ||
      !readString(doc, "", "comment", ignored, false))
    return std::nullopt;
  return target;
}

std::optional<Target> ArchReader::parseInline(const Json &doc) {
  if (!checkKeys(doc, "", kInlineKeys, kInlineKeys))
    return std::nullopt;

  std::string name, type, ignored;
  int isa = 0, pp = 0, icp = 0, ocp = 0;
  if (!readString(doc, "", "name", name, true) ||
      !readString(doc, "", "type", type, true) ||
      !readInt(doc, "", "isa_version", isa, 0, 255, true) ||
      !readInt(doc, "", "pixel_parallel", pp, 1, kMaxParallel, true) ||
      !readInt(doc, "", "input_channel_parallel", icp, 1, kMaxParallel, true) ||
      !readInt(doc, "", "output_channel_parallel", ocp, 1, kMaxParallel,
               true) ||
      !readString(doc, "", "source", ignored, false) ||
      !readString(doc, "", "comment", ignored, false))
    return std::nullopt;
  if (name.empty()) {
    fail("name must not be empty");
    return std::nullopt;
  }
  if (type.empty() ||
      type.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                             "vwxyz0123456789_") != std::string::npos) {
    fail("type must be a non-empty identifier such as \"DPUCZDX8G\", found " +
         quote(type));
    return std::nullopt;
  }

  Target t = makeIsa1Defaults(pp, icp, ocp);
  t.name = name;
  t.type = type;
  t.isaVersion = isa;
  if (!readInt(doc, "", "alu_pixel_parallel", t.aluPixelParallel, 1,
               kMaxParallel, false))
    return std::nullopt;

  if (auto it = doc.find("fingerprint"); it != doc.end()) {
    if (!readFingerprint(*it, t.fingerprint))
      return std::nullopt;
    uint8_t typeByte = t.fingerprint >> 56;
    const char *fingerprintFamily = familyName(typeByte);
    if (fingerprintFamily && type != fingerprintFamily) {
      fail("fingerprint " + fingerprintText(t.fingerprint) +
           " has type byte 0x" + hex(typeByte, 2) + " (" + fingerprintFamily +
           ") but type is " + quote(type));
      return std::nullopt;
    }
    if (!fingerprintFamily && familyCode(type)) {
      fail("fingerprint type byte 0x" + hex(typeByte, 2) +
           " is not a known DPU family (type " + quote(type) + " is 0x" +
           hex(*familyCode(type), 2) + ")");
      return std::nullopt;
    }
    unsigned fingerprintIsa = (t.fingerprint >> 48) & 0xFF;
    if (fingerprintIsa != static_cast<unsigned>(isa)) {
      fail("fingerprint " + fingerprintText(t.fingerprint) +
           " has ISA version " + std::to_string(fingerprintIsa) +
           " but isa_version is " + std::to_string(isa));
      return std::nullopt;
    }
  }

  bool ok = true;
  if (const Json *bank = readSection(
          doc, "image_bank", {"groups", "banks", "width", "depth"}, ok)) {
    if (!readInt(*bank, "image_bank", "groups", t.imageBankGroups, 1,
                 kMaxBankGroups, false) ||
        !readInt(*bank, "image_bank", "banks", t.imageBanksPerGroup, 1,
                 kMaxBanks, false) ||
        !readInt(*bank, "image_bank", "width", t.imageBankWidth, 1,
                 kMaxBankWidth, false) ||
        !readInt(*bank, "image_bank", "depth", t.imageBankDepth, 1,
                 kMaxBankDepth, false))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (const Json *bank =
          readSection(doc, "weight_bank", {"banks", "width", "depth"}, ok)) {
    if (!readInt(*bank, "weight_bank", "banks", t.weightBanks, 1, kMaxBanks,
                 false) ||
        !readInt(*bank, "weight_bank", "width", t.weightBankWidth, 1,
                 kMaxBankWidth, false) ||
        !readInt(*bank, "weight_bank", "depth", t.weightBankDepth, 1,
                 kMaxBankDepth, false))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (const Json *bank =
          readSection(doc, "bias_bank", {"width", "depth"}, ok)) {
    if (!readInt(*bank, "bias_bank", "width", t.biasBankWidth, 1, kMaxBankWidth,
                 false) ||
        !readInt(*bank, "bias_bank", "depth", t.biasBankDepth, 1, kMaxBankDepth,
                 false))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (const Json *bank =
          readSection(doc, "alu_weight_bank", {"width", "depth"}, ok)) {
    // 0 x 0: no depthwise weight bank (ISA0 without a depthwise engine).
    if (!readInt(*bank, "alu_weight_bank", "width", t.aluWeightBankWidth, 0,
                 kMaxBankWidth, false) ||
        !readInt(*bank, "alu_weight_bank", "depth", t.aluWeightBankDepth, 0,
                 kMaxBankDepth, false))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  // Designs without an ALU (ISA0) state no stride_out_h unless given.
  if (!readBool(doc, "", "has_alu", t.hasAlu))
    return std::nullopt;
  if (!t.hasAlu) {
    t.convStrideOutH.reset();
    if (doc.contains("alu")) {
      fail("'alu' cannot be combined with \"has_alu\": false; the ALU "
           "limits are derived from 'pool' and 'dwconv'");
      return std::nullopt;
    }
    if (!doc.contains("pool") && !doc.contains("dwconv")) {
      fail("\"has_alu\": false needs a 'pool' or 'dwconv' engine");
      return std::nullopt;
    }
  } else if (doc.contains("pool") || doc.contains("dwconv")) {
    fail(std::string("'") + (doc.contains("pool") ? "pool" : "dwconv") +
         "' engines are only for designs without an ALU (\"has_alu\": "
         "false); an ALU design pools and runs depthwise convs on 'alu'");
    return std::nullopt;
  }
  if (const Json *conv = readSection(
          doc, "conv",
          {"kernel", "stride", "stride_out_h", "nonlinear", "write_parallel"},
          ok)) {
    if (!readRange(*conv, "conv", "kernel", t.convKernel, 1) ||
        !readOptionalRange(*conv, "conv", "stride_out_h", t.convStrideOutH) ||
        !readRange(*conv, "conv", "stride", t.convStride, 1) ||
        !readNames(*conv, "conv", "nonlinear", kNonlinearNames,
                   t.convNonlinear) ||
        !readInt(*conv, "conv", "write_parallel", t.convWriteParallel, 1,
                 kMaxWriteParallel, false))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (const Json *alu =
          readSection(doc, "alu",
                      {"kernel", "stride", "stride_out_h", "pad", "pad_end",
                       "types", "nonlinear", "write_parallel"},
                      ok)) {
    if (!readRange(*alu, "alu", "kernel", t.aluKernel, 1) ||
        !readOptionalRange(*alu, "alu", "stride_out_h", t.aluStrideOutH) ||
        !readRange(*alu, "alu", "stride", t.aluStride, 1) ||
        !readRange(*alu, "alu", "pad", t.aluPad, 0) ||
        !readRange(*alu, "alu", "pad_end", t.aluPadEnd, 0) ||
        !readNames(*alu, "alu", "types", kAluTypeNames, t.aluTypes) ||
        !readNames(*alu, "alu", "nonlinear", kNonlinearNames, t.aluNonlinear) ||
        !readInt(*alu, "alu", "write_parallel", t.aluWriteParallel, 1,
                 kMaxWriteParallel, false))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (const Json *eltwise =
          readSection(doc, "eltwise", {"types", "nonlinear"}, ok)) {
    if (!readNames(*eltwise, "eltwise", "types", kEltwiseTypeNames,
                   t.eltwiseTypes) ||
        !readNames(*eltwise, "eltwise", "nonlinear", kNonlinearNames,
                   t.eltwiseNonlinear))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (const Json *pool =
          readSection(doc, "pool",
                      {"pixel_parallel", "types", "max_kernel", "max_stride",
                       "avg_kernel", "avg_stride", "nonlinear"},
                      ok)) {
    // Defaults: create_target_v2.cpp's limits.
    t.pool.types = {"max"};
    t.pool.maxKernel = {1, 8};
    t.pool.maxStride = {1, 8};
    t.pool.avgKernel = {2, 8};
    t.pool.avgStride = {1, 8};
    t.pool.nonlinear = {"relu"};
    if (!readInt(*pool, "pool", "pixel_parallel", t.pool.pixelParallel, 1,
                 kMaxParallel, true) ||
        !readNames(*pool, "pool", "types", kPoolTypeNames, t.pool.types) ||
        !readRange(*pool, "pool", "max_kernel", t.pool.maxKernel, 1) ||
        !readRange(*pool, "pool", "max_stride", t.pool.maxStride, 1) ||
        !readRange(*pool, "pool", "avg_kernel", t.pool.avgKernel, 1) ||
        !readRange(*pool, "pool", "avg_stride", t.pool.avgStride, 1) ||
        !readNames(*pool, "pool", "nonlinear", kNonlinearNames,
                   t.pool.nonlinear))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (const Json *dwconv = readSection(
          doc, "dwconv", {"pixel_parallel", "kernel", "stride", "nonlinear"},
          ok)) {
    t.dwconv.kernel = {1, 16};
    t.dwconv.stride = {1, 8};
    t.dwconv.nonlinear = {"relu"};
    if (!readInt(*dwconv, "dwconv", "pixel_parallel", t.dwconv.pixelParallel, 1,
                 kMaxParallel, true) ||
        !readRange(*dwconv, "dwconv", "kernel", t.dwconv.kernel, 1) ||
        !readRange(*dwconv, "dwconv", "stride", t.dwconv.stride, 1) ||
        !readNames(*dwconv, "dwconv", "nonlinear", kNonlinearNames,
                   t.dwconv.nonlinear))
      return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (!t.hasAlu)
    projectEnginesOntoAlu(t);

  if (!readBool(doc, "", "channel_augmentation", t.channelAugmentation) ||
      !readBool(doc, "", "save_argmax", t.saveArgmax) ||
      !readDouble(doc, "", "clock_mhz", t.clockMHz) ||
      !readDouble(doc, "", "ddr_bandwidth_gbps", t.ddrBandwidthGBps))
    return std::nullopt;
  return t;
}

//===----------------------------------------------------------------------===//
// Catalog
//===----------------------------------------------------------------------===//

struct BoardEntry {
  std::string target;
  int cores = 0;
  double clockMHz = 0;
  double ddrBandwidthGBps = 0;
};

struct Catalog {
  std::vector<Target> targets; // ordered by family, ISA, peak ops, name
  std::map<std::string, BoardEntry> boards; // lower-case board name
  std::string error; // the first problem found in the embedded files
};

void noteCatalogError(Catalog &catalog, const std::string &message) {
  if (catalog.error.empty())
    catalog.error = message;
}

void parseBoards(const char *text, Catalog &catalog) {
  std::string error;
  std::string fileName = std::string("targets/") + kBoardsFile;
  ArchReader reader(fileName, error);
  std::optional<Json> doc = reader.parseDocument(text);
  if (!doc) {
    noteCatalogError(catalog, error);
    return;
  }
  auto boards = doc->find("boards");
  if (boards == doc->end() || !boards->is_object()) {
    noteCatalogError(catalog, fileName + ": expected an object 'boards'");
    return;
  }
  for (auto it = boards->begin(); it != boards->end(); ++it) {
    const Json &entry = it.value();
    auto target = entry.is_object() ? entry.find("target") : entry.end();
    if (!entry.is_object() || target == entry.end() || !target->is_string()) {
      noteCatalogError(catalog, fileName + ": board " + quote(it.key()) +
                                    " needs a string 'target'");
      continue;
    }
    BoardEntry board;
    board.target = target->get<std::string>();
    auto clock = entry.find("clock_mhz");
    if (clock != entry.end() && clock->is_number())
      board.clockMHz = clock->get<double>();
    auto cores = entry.find("cores");
    if (cores != entry.end() && cores->is_number_unsigned())
      board.cores = static_cast<int>(cores->get<uint64_t>());
    auto ddr = entry.find("ddr_bandwidth_gbps");
    if (ddr != entry.end() && ddr->is_number())
      board.ddrBandwidthGBps = ddr->get<double>();
    catalog.boards[toLower(it.key())] = board;
  }
}

Catalog buildCatalog() {
  Catalog catalog;
  for (const EmbeddedFile &file : kEmbeddedFiles) {
    std::string fileName = std::string("targets/") + file.name;
    if (std::strcmp(file.name, kBoardsFile) == 0) {
      parseBoards(file.text, catalog);
      continue;
    }
    std::string error;
    ArchReader reader(fileName, error);
    std::optional<Json> doc = reader.parseDocument(file.text);
    std::optional<Target> target;
    if (doc && !doc->contains("type"))
      reader.fail("a catalog entry must be a full description with 'type'");
    else if (doc)
      target = reader.parseInline(*doc);
    if (!target) {
      noteCatalogError(catalog, error);
      continue;
    }
    std::string stem = file.name;
    stem = stem.substr(0, stem.rfind('.'));
    if (target->name != stem) {
      noteCatalogError(catalog, fileName + ": name " + quote(target->name) +
                                    " differs from the file name");
      continue;
    }
    if (target->fingerprint == 0) {
      noteCatalogError(catalog, fileName + ": a catalog entry needs a "
                                           "fingerprint");
      continue;
    }
    bool duplicate = false;
    for (const Target &other : catalog.targets)
      if (other.fingerprint == target->fingerprint) {
        noteCatalogError(catalog, fileName + ": fingerprint " +
                                      target->fingerprintHex() +
                                      " is also that of " + other.name);
        duplicate = true;
      }
    if (!duplicate)
      catalog.targets.push_back(std::move(*target));
  }
  std::sort(catalog.targets.begin(), catalog.targets.end(),
            [](const Target &a, const Target &b) {
              return std::make_tuple(a.type, a.isaVersion, a.peakOpsPerCycle(),
                                     a.name) <
                     std::make_tuple(b.type, b.isaVersion, b.peakOpsPerCycle(),
                                     b.name);
            });
  for (const auto &entry : catalog.boards) {
    bool found = false;
    for (const Target &t : catalog.targets)
      found |= t.name == entry.second.target;
    if (!found)
      noteCatalogError(catalog, std::string("targets/") + kBoardsFile +
                                    ": board " + quote(entry.first) +
                                    " names unknown target " +
                                    quote(entry.second.target));
  }
  return catalog;
}

const Catalog &getCatalog() {
  static const Catalog catalog = buildCatalog();
  return catalog;
}

void appendNames(std::ostringstream &os, const char *label,
                 const std::vector<std::string> &names) {
  os << label << (names.empty() ? "none" : join(names));
}

std::string rangeText(const Range &r) {
  return std::to_string(r.min) + "-" + std::to_string(r.max);
}

bool containsName(const std::vector<std::string> &names,
                  const std::string &name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string dumpScalar(const OrderedJson &j) {
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

bool isFlat(const OrderedJson &j) {
  for (const OrderedJson &item : j)
    if (item.is_structured())
      return false;
  return true;
}

/// Pretty-prints like dump(2), but keeps arrays and objects of scalars on one
/// line ("kernel": [1, 16]), as the catalog files are written.
void writeJson(const OrderedJson &j, int indent, std::string &out) {
  if (!j.is_structured()) {
    out += dumpScalar(j);
    return;
  }
  bool flat = isFlat(j);
  const char *open = j.is_object() ? "{" : "[";
  const char *close = j.is_object() ? "}" : "]";
  std::string pad(indent + 2, ' ');
  out += open;
  bool first = true;
  for (auto it = j.begin(); it != j.end(); ++it) {
    out += first ? "" : ",";
    out += flat ? (first ? "" : " ") : "\n" + pad;
    first = false;
    if (j.is_object())
      out += dumpScalar(OrderedJson(it.key())) + ": ";
    writeJson(it.value(), indent + 2, out);
  }
  if (!flat && !j.empty())
    out += "\n" + std::string(indent, ' ');
  out += close;
}

} // namespace

//===----------------------------------------------------------------------===//
// Target members
//===----------------------------------------------------------------------===//

int64_t Target::peakOpsPerCycle() const {
  return 2 * int64_t(pixelParallel) * inputChannelParallel *
         outputChannelParallel;
}

double Target::peakGops() const {
  return double(peakOpsPerCycle()) * clockMHz / 1000.0;
}

std::string Target::fingerprintHex() const {
  return fingerprintText(fingerprint);
}

bool Target::supportsConvNonlinear(const std::string &kind) const {
  return containsName(convNonlinear, kind);
}
bool Target::supportsAluType(const std::string &kind) const {
  return containsName(aluTypes, kind);
}
bool Target::supportsAluNonlinear(const std::string &kind) const {
  return containsName(aluNonlinear, kind);
}
bool Target::supportsEltwiseType(const std::string &kind) const {
  return containsName(eltwiseTypes, kind);
}
bool Target::supportsEltwiseNonlinear(const std::string &kind) const {
  return containsName(eltwiseNonlinear, kind);
}

int64_t Target::imageBankGroupBytes() const {
  return int64_t(imageBanksPerGroup) * imageBankWidth * imageBankDepth;
}
int64_t Target::imageBankBytes() const {
  return imageBankGroups * imageBankGroupBytes();
}
int64_t Target::weightBankBytes() const {
  return int64_t(weightBanks) * weightBankWidth * weightBankDepth;
}

bool Target::convWeightsFit(int64_t kernelW, int64_t kernelH,
                            int64_t inputChannels) const {
  if (kernelW <= 0 || kernelH <= 0 || inputChannels <= 0 ||
      inputChannelParallel <= 0)
    return false;
  int64_t channelGroups =
      (inputChannels + inputChannelParallel - 1) / inputChannelParallel;
  // Divide instead of multiplying so that huge inputs cannot overflow.
  int64_t depth = weightBankDepth;
  return kernelW <= depth && kernelH <= depth / kernelW &&
         channelGroups <= depth / (kernelW * kernelH);
}

int64_t Target::maxConvOutputChannels() const {
  return 256 * int64_t(outputChannelParallel);
}

bool Target::padFitsKernel(int64_t pad, int64_t kernel, int64_t dilation) {
  return pad >= 0 && kernel >= 1 && dilation >= 1 &&
         pad <= (kernel - 1) * dilation;
}

std::string Target::toJson() const {
  OrderedJson j;
  j["name"] = name;
  j["type"] = type;
  j["isa_version"] = isaVersion;
  if (fingerprint)
    j["fingerprint"] = fingerprintHex();
  j["pixel_parallel"] = pixelParallel;
  j["input_channel_parallel"] = inputChannelParallel;
  j["output_channel_parallel"] = outputChannelParallel;
  j["alu_pixel_parallel"] = aluPixelParallel;
  j["image_bank"] = {{"groups", imageBankGroups},
                     {"banks", imageBanksPerGroup},
                     {"width", imageBankWidth},
                     {"depth", imageBankDepth}};
  j["weight_bank"] = {{"banks", weightBanks},
                      {"width", weightBankWidth},
                      {"depth", weightBankDepth}};
  j["bias_bank"] = {{"width", biasBankWidth}, {"depth", biasBankDepth}};
  j["alu_weight_bank"] = {{"width", aluWeightBankWidth},
                          {"depth", aluWeightBankDepth}};
  auto range = [](const Range &r) {
    return OrderedJson::array({r.min, r.max});
  };
  j["conv"] = {{"kernel", range(convKernel)}, {"stride", range(convStride)}};
  if (convStrideOutH)
    j["conv"]["stride_out_h"] = range(*convStrideOutH);
  j["conv"]["nonlinear"] = convNonlinear;
  j["conv"]["write_parallel"] = convWriteParallel;
  if (hasAlu) {
    j["alu"] = {{"kernel", range(aluKernel)}, {"stride", range(aluStride)}};
    if (aluStrideOutH)
      j["alu"]["stride_out_h"] = range(*aluStrideOutH);
    j["alu"]["pad"] = range(aluPad);
    j["alu"]["pad_end"] = range(aluPadEnd);
    j["alu"]["types"] = aluTypes;
    j["alu"]["nonlinear"] = aluNonlinear;
    j["alu"]["write_parallel"] = aluWriteParallel;
  } else {
    j["has_alu"] = false;
  }
  if (pool.present())
    j["pool"] = {{"pixel_parallel", pool.pixelParallel},
                 {"types", pool.types},
                 {"max_kernel", range(pool.maxKernel)},
                 {"max_stride", range(pool.maxStride)},
                 {"avg_kernel", range(pool.avgKernel)},
                 {"avg_stride", range(pool.avgStride)},
                 {"nonlinear", pool.nonlinear}};
  if (dwconv.present())
    j["dwconv"] = {{"pixel_parallel", dwconv.pixelParallel},
                   {"kernel", range(dwconv.kernel)},
                   {"stride", range(dwconv.stride)},
                   {"nonlinear", dwconv.nonlinear}};
  j["eltwise"] = {{"types", eltwiseTypes}, {"nonlinear", eltwiseNonlinear}};
  j["channel_augmentation"] = channelAugmentation;
  j["save_argmax"] = saveArgmax;
  if (clockMHz > 0)
    j["clock_mhz"] = clockMHz;
  if (ddrBandwidthGBps > 0)
    j["ddr_bandwidth_gbps"] = ddrBandwidthGBps;
  std::string out;
  writeJson(j, 0, out);
  return out + "\n";
}

std::string Target::summary() const {
  std::ostringstream os;
  os << name << " (" << type << " ISA" << isaVersion;
  if (fingerprint)
    os << ", fingerprint " << fingerprintHex();
  os << ")\n";
  if (!note.empty())
    os << "  note: " << note << "\n";
  if (!board.empty()) {
    os << "  board " << board << ":";
    if (boardCores > 0)
      os << " " << boardCores << " x " << name;
    if (clockMHz > 0)
      os << " at " << clockMHz << " MHz";
    if (boardCores > 0 && clockMHz > 0)
      os << " (" << boardCores * peakGops() << " GOP/s peak in all)";
    os << "\n";
  }
  os << "  parallelism: pixel " << pixelParallel << ", input channel "
     << inputChannelParallel << ", output channel " << outputChannelParallel
     << (hasAlu ? ", ALU pixel " : ", eltwise pixel ") << aluPixelParallel
     << "; peak " << peakOpsPerCycle() << " ops/cycle";
  if (clockMHz > 0)
    os << " (" << peakGops() << " GOP/s at " << clockMHz << " MHz)";
  os << "\n";
  os << "  image banks: " << imageBankGroups << " groups x "
     << imageBanksPerGroup << " banks x " << imageBankWidth << " B x "
     << imageBankDepth << " (" << imageBankBytes() / 1024 << " KiB)\n";
  os << "  weight banks: " << weightBanks << " x " << weightBankWidth << " B x "
     << weightBankDepth << " (" << weightBankBytes() / 1024 << " KiB); bias "
     << biasBankWidth << " B x " << biasBankDepth << "; ALU weights "
     << aluWeightBankWidth << " B x " << aluWeightBankDepth << "\n";
  os << "  conv: kernel " << rangeText(convKernel) << ", stride "
     << rangeText(convStride);
  if (convStrideOutH)
    os << ", stride_out_h " << rangeText(*convStrideOutH);
  os << ", write parallel " << convWriteParallel;
  appendNames(os, "; nonlinear ", convNonlinear);
  if (hasAlu) {
    os << "\n  alu: kernel " << rangeText(aluKernel) << ", stride "
       << rangeText(aluStride);
    if (aluStrideOutH)
      os << ", stride_out_h " << rangeText(*aluStrideOutH);
    os << ", pad " << rangeText(aluPad) << " (left/top) "
       << rangeText(aluPadEnd) << " (right/bottom), write parallel "
       << aluWriteParallel;
    appendNames(os, "; types ", aluTypes);
    appendNames(os, "; nonlinear ", aluNonlinear);
  } else {
    os << "\n  alu: none";
  }
  if (pool.present()) {
    os << "\n  pool: pixel parallel " << pool.pixelParallel;
    appendNames(os, "; types ", pool.types);
    os << "; max kernel " << rangeText(pool.maxKernel) << " stride "
       << rangeText(pool.maxStride) << "; avg kernel "
       << rangeText(pool.avgKernel) << " stride " << rangeText(pool.avgStride);
    appendNames(os, "; nonlinear ", pool.nonlinear);
  }
  if (dwconv.present()) {
    os << "\n  dwconv: pixel parallel " << dwconv.pixelParallel << "; kernel "
       << rangeText(dwconv.kernel) << ", stride " << rangeText(dwconv.stride);
    appendNames(os, "; nonlinear ", dwconv.nonlinear);
  } else if (!hasAlu) {
    os << "\n  dwconv: none";
  }
  appendNames(os, "\n  eltwise: ", eltwiseTypes);
  appendNames(os, "; nonlinear ", eltwiseNonlinear);
  os << "\n  channel augmentation " << (channelAugmentation ? "yes" : "no")
     << ", save argmax " << (saveArgmax ? "yes" : "no");
  if (ddrBandwidthGBps > 0)
    os << ", DDR " << ddrBandwidthGBps << " GB/s";
  os << "\n";
  return os.str();
}

bool Target::operator==(const Target &o) const {
  return name == o.name && type == o.type && fingerprint == o.fingerprint &&
         isaVersion == o.isaVersion && pixelParallel == o.pixelParallel &&
         inputChannelParallel == o.inputChannelParallel &&
         outputChannelParallel == o.outputChannelParallel &&
         aluPixelParallel == o.aluPixelParallel &&
         imageBankGroups == o.imageBankGroups &&
         imageBanksPerGroup == o.imageBanksPerGroup &&
         imageBankWidth == o.imageBankWidth &&
         imageBankDepth == o.imageBankDepth && weightBanks == o.weightBanks &&
         weightBankWidth == o.weightBankWidth &&
         weightBankDepth == o.weightBankDepth &&
         biasBankWidth == o.biasBankWidth && biasBankDepth == o.biasBankDepth &&
         aluWeightBankWidth == o.aluWeightBankWidth &&
         aluWeightBankDepth == o.aluWeightBankDepth &&
         convKernel == o.convKernel && convStride == o.convStride &&
         convNonlinear == o.convNonlinear &&
         convWriteParallel == o.convWriteParallel && aluKernel == o.aluKernel &&
         aluStride == o.aluStride && aluPad == o.aluPad &&
         aluPadEnd == o.aluPadEnd && aluTypes == o.aluTypes &&
         aluNonlinear == o.aluNonlinear &&
         aluWriteParallel == o.aluWriteParallel &&
         convStrideOutH == o.convStrideOutH &&
         aluStrideOutH == o.aluStrideOutH && hasAlu == o.hasAlu &&
         pool == o.pool && dwconv == o.dwconv &&
         eltwiseTypes == o.eltwiseTypes &&
         eltwiseNonlinear == o.eltwiseNonlinear &&
         channelAugmentation == o.channelAugmentation &&
         saveArgmax == o.saveArgmax && clockMHz == o.clockMHz &&
         ddrBandwidthGBps == o.ddrBandwidthGBps;
}

//===----------------------------------------------------------------------===//
// Free functions
//===----------------------------------------------------------------------===//

std::optional<Target> vai::parseArchJson(const std::string &text,
                                         const std::string &fileName,
                                         std::string &error) {
  error.clear();
  ArchReader reader(fileName, error);
  std::optional<Json> doc = reader.parseDocument(text);
  if (!doc)
    return std::nullopt;
  return reader.parseTop(*doc);
}

std::optional<Target> vai::loadArchJson(const std::string &path,
                                        std::string &error) {
  error.clear();
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = "cannot open " + quote(path) + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0)
    text.append(buffer, n);
  bool failed = std::ferror(file);
  int savedErrno = errno;
  std::fclose(file);
  if (failed) {
    error = "cannot read " + quote(path) + ": " + std::strerror(savedErrno);
    return std::nullopt;
  }
  return parseArchJson(text, path, error);
}

std::optional<Target> vai::lookupTarget(const std::string &name,
                                        std::string &error) {
  error.clear();
  const Catalog &catalog = getCatalog();
  for (const Target &t : catalog.targets)
    if (t.name == name)
      return t;
  error = "unknown target " + quote(name) +
          " (known: " + join(knownTargetNames()) + ")";
  return std::nullopt;
}

std::optional<Target> vai::lookupBoard(const std::string &board,
                                       std::string &error) {
  error.clear();
  const Catalog &catalog = getCatalog();
  auto it = catalog.boards.find(toLower(board));
  if (it == catalog.boards.end()) {
    error = "unknown board " + quote(board) +
            " (known: " + join(knownBoardNames()) + ")";
    return std::nullopt;
  }
  std::optional<Target> target = lookupTarget(it->second.target, error);
  if (!target) {
    error = "board " + quote(board) + ": " + error;
    return std::nullopt;
  }
  target->board = it->first;
  target->boardCores = it->second.cores;
  if (it->second.clockMHz > 0)
    target->clockMHz = it->second.clockMHz;
  if (it->second.ddrBandwidthGBps > 0)
    target->ddrBandwidthGBps = it->second.ddrBandwidthGBps;
  return target;
}

std::optional<Target> vai::targetFromFingerprint(uint64_t fingerprint,
                                                 std::string &error) {
  error.clear();
  for (const Target &t : getCatalog().targets)
    if (t.fingerprint == fingerprint)
      return t;
  // A Vitis AI 3.x code is the 2.5 code plus save argmax (bit 30).
  bool zdx8gIsa1 = (fingerprint >> 48) == 0x101;
  if (zdx8gIsa1 && (fingerprint & kZdx8gIsa1SaveArgmaxBit))
    for (const Target &t : getCatalog().targets)
      if (t.fingerprint == (fingerprint & ~kZdx8gIsa1SaveArgmaxBit)) {
        Target alias = t;
        alias.fingerprint = fingerprint;
        alias.saveArgmax = true;
        alias.note = "fingerprint " + fingerprintText(fingerprint) +
                     " is the Vitis AI 3.x code of " + t.name + " (" +
                     t.fingerprintHex() + " plus bit 30, save argmax)";
        return alias;
      }
  return decodeFromFeatureCode(fingerprint, error);
}

std::optional<Target> vai::decodeFingerprint(uint64_t fingerprint,
                                             std::string &error) {
  error.clear();
  return decodeFromFeatureCode(fingerprint, error);
}

std::string vai::familyNameOfTypeByte(uint8_t typeByte) {
  const char *name = familyName(typeByte);
  return name ? name : "";
}

std::vector<std::string> vai::knownTargetNames() {
  std::vector<std::string> names;
  for (const Target &t : getCatalog().targets)
    names.push_back(t.name);
  return names;
}

std::vector<std::string> vai::knownBoardNames() {
  std::vector<std::string> names;
  for (const auto &entry : getCatalog().boards)
    names.push_back(entry.first);
  return names;
}

bool vai::verifyCatalog(std::string &error) {
  error = getCatalog().error;
  return error.empty();
}

/// An arch code with the parallelism it selects (the table both ISAs use).
static std::string describeArchCode(unsigned code, unsigned count) {
  std::string text = std::to_string(code);
  if (code >= count)
    return text + " (invalid: 0-" + std::to_string(count - 1) + " are defined)";
  const ArchParallel &a = kZdx8gIsa1Arch[code];
  return text + " -> pixel parallel " + std::to_string(a.pixel) +
         ", channel parallel " + std::to_string(a.channel) + " (B" +
         std::to_string(2 * a.pixel * a.channel * a.channel) + ")";
}

std::string vai::describeFingerprint(uint64_t fingerprint) {
  std::ostringstream os;
  auto field = [&os](const char *bits, const char *label,
                     const std::string &value) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "  %-8s %-22s ", bits, label);
    os << buf << value << "\n";
  };
  uint8_t typeByte = fingerprint >> 56;
  unsigned isa = (fingerprint >> 48) & 0xFF;
  const char *family = familyName(typeByte);
  os << "fingerprint " << fingerprintText(fingerprint) << "\n";
  field("[63:56]", "type",
        "0x" + hex(typeByte, 2) + " " + (family ? family : "(unknown family)"));
  field("[55:48]", "ISA version", std::to_string(isa));
  field("[47:0]", "feature code",
        "0x" + hex(fingerprint & 0xFFFFFFFFFFFFull, 12));
  auto flag = [](bool b) { return std::string(b ? "yes" : "no"); };
  if (typeByte == 1 && isa == 1) {
    Zdx8gFeatures f = decodeZdx8gFeatures(fingerprint);
    std::string arch = describeArchCode(f.arch, kZdx8gIsa1ArchCount);
    auto parallel = [](unsigned log2) {
      return std::to_string(1u << log2) + " (log2 " + std::to_string(log2) +
             ")";
    };
    field("[3:0]", "arch", arch);
    field("[11:8]", "ALU pixel parallel", std::to_string(f.aluPixelParallel));
    field("[25:24]", "image bank groups", std::to_string(f.imageBankGroups));
    field("[26]", "channel augmentation", flag(f.channelAugmentation));
    field("[28]", "conv leaky ReLU", flag(f.convLeakyRelu));
    field("[29]", "depthwise leaky ReLU", flag(f.aluLeakyRelu));
    field("[30]", "save argmax", flag(f.saveArgmax));
    field("[33:32]", "conv write parallel", parallel(f.convWriteParallelLog2));
    field("[35:34]", "ALU write parallel", parallel(f.aluWriteParallelLog2));
    if (f.undecoded)
      field("other", "bits (not decoded)", "0x" + hex(f.undecoded, 12));
  } else if (typeByte == 1 && isa == 0) {
    Zdx8gIsa0Features f = decodeZdx8gIsa0Features(fingerprint);
    std::string arch = describeArchCode(f.arch, kZdx8gIsa0ArchCount);
    field("[3:0]", "arch", arch);
    field("[11:8]", "pool pixel parallel", std::to_string(f.poolPixelParallel));
    field("[15:12]", "dwconv pixel parallel",
          std::to_string(f.dwconvPixelParallel) +
              (f.dwconvPixelParallel ? "" : " (no depthwise engine)"));
    field("[19:16]", "eltwise pixel parallel",
          std::to_string(f.eltwisePixelParallel));
    field("[25:24]", "image bank groups", std::to_string(f.imageBankGroups));
    field("[26]", "channel augmentation", flag(f.channelAugmentation));
    field("[28]", "conv leaky ReLU", flag(f.convLeakyRelu));
    field("[29]", "conv ReLU6", flag(f.convRelu6));
    field("[30]", "average pool", flag(f.poolAverage));
    field("[31]", "dwconv ReLU6", flag(f.dwconvRelu6));
    field("[36]", "eltwise multiply", flag(f.eltwiseMult));
    field("[37]", "pool max_reduce", flag(f.poolMaxReduce));
    if (f.undecoded)
      field("other", "bits (not decoded)", "0x" + hex(f.undecoded, 12));
  } else if (family) {
    os << "  decoding of family " << family
       << (typeByte == 1 ? " ISA" + std::to_string(isa) : std::string())
       << "'s feature code is not supported (only DPUCZDX8G ISA0 and ISA1)\n";
  }
  bool inCatalog = false;
  for (const Target &t : getCatalog().targets)
    if (t.fingerprint == fingerprint) {
      field("", "catalog entry", t.name);
      inCatalog = true;
    }
  if (!inCatalog && typeByte == 1 && isa == 1 &&
      (fingerprint & kZdx8gIsa1SaveArgmaxBit))
    for (const Target &t : getCatalog().targets)
      if (t.fingerprint == (fingerprint & ~kZdx8gIsa1SaveArgmaxBit))
        field("", "catalog entry",
              t.name + " (Vitis AI 3.x code: " + t.fingerprintHex() +
                  " + save argmax)");
  return os.str();
}
