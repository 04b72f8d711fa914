//===- Target.h - DPU target description ------------------------*- C++ -*-===//
//
// A `Target` describes one DPU configuration: its family and ISA, its
// parallelism, its on-chip banks and the operator limits of its engines.
// Targets come from an `arch.json` (see docs/arch-json.md), which names a
// catalog entry, a board, a 64-bit fingerprint, or describes a new
// architecture inline. The catalog (targets/*.json) is embedded into the
// library at build time, so nothing is read from an install path at run time.
//
// This header uses only the standard library so that any part of the project
// (MLIR passes, simulators, plain tools) can include it. The implementation
// is built with -fno-exceptions: every function reports failure through its
// return value and an error string, never by throwing.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_TARGET_TARGET_H
#define VAI_TARGET_TARGET_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vai {

/// An inclusive integer interval [min, max].
struct Range {
  int64_t min = 0, max = 0;

  bool contains(int64_t v) const { return v >= min && v <= max; }
  bool operator==(const Range &other) const {
    return min == other.min && max == other.max;
  }
  bool operator!=(const Range &other) const { return !(*this == other); }
};

/// The separate pooling engine of DPUCZDX8G ISA0 (ISA1 pools on the ALU).
/// Absent when pixelParallel is 0.
struct PoolEngine {
  int pixelParallel = 0;
  std::vector<std::string> types; ///< "max", "avg", "max_reduce"
  Range maxKernel, maxStride;     ///< limits of "max" (and "max_reduce")
  Range avgKernel, avgStride;     ///< limits of "avg"
  std::vector<std::string> nonlinear;

  bool present() const { return pixelParallel > 0; }
  bool operator==(const PoolEngine &o) const {
    return pixelParallel == o.pixelParallel && types == o.types &&
           maxKernel == o.maxKernel && maxStride == o.maxStride &&
           avgKernel == o.avgKernel && avgStride == o.avgStride &&
           nonlinear == o.nonlinear;
  }
};

/// The separate depthwise-convolution engine of DPUCZDX8G ISA0. Absent when
/// pixelParallel is 0.
struct DwconvEngine {
  int pixelParallel = 0;
  Range kernel, stride;
  std::vector<std::string> nonlinear;

  bool present() const { return pixelParallel > 0; }
  bool operator==(const DwconvEngine &o) const {
    return pixelParallel == o.pixelParallel && kernel == o.kernel &&
           stride == o.stride && nonlinear == o.nonlinear;
  }
};

/// One DPU configuration. Bank widths are in bytes (int8 elements) per bank
/// word, depths in words.
struct Target {
  std::string name; ///< e.g. DPUCZDX8G_ISA1_B4096
  std::string type; ///< DPU family, e.g. DPUCZDX8G
  /// [63:56] family, [55:48] ISA version, [47:0] feature code; 0 when the
  /// description did not give one (an inline description of a new design).
  uint64_t fingerprint = 0;
  int isaVersion = 0;

  // Parallelism.
  int pixelParallel = 0;
  int inputChannelParallel = 0;
  int outputChannelParallel = 0;
  int aluPixelParallel = 0; ///< pixel parallelism of the ALU/eltwise engines

  // Image (feature map) banks: groups x banksPerGroup banks.
  int imageBankGroups = 0, imageBanksPerGroup = 0;
  int imageBankWidth = 0, imageBankDepth = 0;
  // Convolution weight banks.
  int weightBanks = 0, weightBankWidth = 0, weightBankDepth = 0;
  // Bias bank (one bank).
  int biasBankWidth = 0, biasBankDepth = 0;
  // Depthwise/ALU weight bank (one bank).
  int aluWeightBankWidth = 0, aluWeightBankDepth = 0;

  // Convolution engine.
  Range convKernel, convStride;
  /// "relu", "prelu", "leaky_relu", "relu6", "hsigmoid", "hswish".
  std::vector<std::string> convNonlinear;
  int convWriteParallel = 1;
  /// Output rows written per step ("stride_out_h" of the ISA1 prototxts);
  /// unset for designs that do not state it (ISA0).
  std::optional<Range> convStrideOutH;

  // ALU engine (depthwise conv, pooling, ...).
  Range aluKernel, aluStride;
  Range aluPad;    ///< pad left/top
  Range aluPadEnd; ///< pad right/bottom
  /// "dwconv", "prelu", "avg_pool", "max_pool", "leaky_relu", "max_reduce",
  /// "dwconv_no_bias", "hsigmoid", "w16b0", ...
  std::vector<std::string> aluTypes;
  std::vector<std::string> aluNonlinear;
  int aluWriteParallel = 1;
  std::optional<Range> aluStrideOutH;
  /// False for designs without an ALU (DPUCZDX8G ISA0). The alu* fields then
  /// hold the conservative intersection of the pool and dwconv engines below,
  /// so that code checking only the ALU never places an op the engines
  /// cannot run.
  bool hasAlu = true;

  // Separate engines of ISA0 designs.
  PoolEngine pool;
  DwconvEngine dwconv;

  // Elementwise engine: "add", "mult"; nonlinear as for conv.
  std::vector<std::string> eltwiseTypes, eltwiseNonlinear;

  bool channelAugmentation = false; ///< load engine doubles small channels
  bool saveArgmax = false;          ///< save engine can compute argmax

  double clockMHz = 0;         ///< 0 when unknown
  double ddrBandwidthGBps = 0; ///< 0 when unknown

  // Set by lookupBoard / {"board": ...}; not part of the inline schema.
  std::string board;  ///< e.g. "zcu102"
  int boardCores = 0; ///< DPU cores on the board's image; 0 when unknown
  /// How the target was found when that is not obvious, e.g. a Vitis AI 3.x
  /// fingerprint resolved to its 2.5 catalog entry. Not part of equality.
  std::string note;

  /// 2 * PP * ICP * OCP (a multiply-accumulate counts as two operations).
  int64_t peakOpsPerCycle() const;
  /// peakOpsPerCycle() * clock, in GOP/s; 0 when the clock is unknown.
  double peakGops() const;
  /// "0x101000016010407" (lower case, no leading zeros, as Vitis AI prints).
  std::string fingerprintHex() const;
  uint8_t fingerprintType() const {
    return static_cast<uint8_t>(fingerprint >> 56);
  }
  uint64_t featureCode() const { return fingerprint & 0xFFFFFFFFFFFFull; }

  bool supportsConvNonlinear(const std::string &kind) const;
  bool supportsAluType(const std::string &kind) const;
  bool supportsAluNonlinear(const std::string &kind) const;
  bool supportsEltwiseType(const std::string &kind) const;
  bool supportsEltwiseNonlinear(const std::string &kind) const;

  /// Bytes of one image bank group / all image banks / all weight banks.
  int64_t imageBankGroupBytes() const;
  int64_t imageBankBytes() const;
  int64_t weightBankBytes() const;

  // Operator limits of UG1414 ("Operators Supported by DPU").
  /// kw * kh * ceil(ic / ICP) <= weight bank depth.
  bool convWeightsFit(int64_t kernelW, int64_t kernelH,
                      int64_t inputChannels) const;
  /// Largest output channel count of a convolution: 256 * OCP.
  int64_t maxConvOutputChannels() const;
  /// pad <= (kernel - 1) * dilation.
  static bool padFitsKernel(int64_t pad, int64_t kernel, int64_t dilation = 1);

  /// This target in the arch.json inline schema (pretty-printed). Parsing the
  /// result with parseArchJson gives back an equal Target.
  std::string toJson() const;
  /// A short multi-line human-readable summary.
  std::string summary() const;

  bool operator==(const Target &other) const;
  bool operator!=(const Target &other) const { return !(*this == other); }
};

/// Parses the text of an arch.json. `fileName` prefixes every message. On
/// error returns std::nullopt and sets `error`, e.g.
///   "arch.json: unknown target 'X' (known: DPUCZDX8G_ISA1_B512, ...)".
std::optional<Target> parseArchJson(const std::string &text,
                                    const std::string &fileName,
                                    std::string &error);

/// Reads `path`, then parses it as parseArchJson does (messages are prefixed
/// with `path`); "cannot open 'x.json': No such file or directory".
std::optional<Target> loadArchJson(const std::string &path, std::string &error);

/// A catalog entry by name, e.g. "DPUCZDX8G_ISA1_B4096".
std::optional<Target> lookupTarget(const std::string &name, std::string &error);

/// A board's default DPU, e.g. "zcu102" (case-insensitive).
std::optional<Target> lookupBoard(const std::string &board, std::string &error);

/// The target with this fingerprint: the catalog entry that has it; else, for
/// a DPUCZDX8G ISA1 code that differs from a catalog entry only in bit 30
/// (save argmax, set by Vitis AI 3.x), that entry with saveArgmax and a note;
/// else (DPUCZDX8G ISA0/ISA1) a target decoded from the feature code, named
/// "DPUCZDX8G_ISA<n>_B<peak>_<16 hex digits>" as Vitis AI's target_factory
/// does.
std::optional<Target> targetFromFingerprint(uint64_t fingerprint,
                                            std::string &error);

/// Decodes a DPUCZDX8G ISA0 or ISA1 fingerprint into a target without
/// consulting the catalog (banks get the defaults of docs/arch-json.md).
/// Fails for other families, whose feature-code layout is not decoded here.
std::optional<Target> decodeFingerprint(uint64_t fingerprint,
                                        std::string &error);

/// The DPU family of a fingerprint type byte (bits [63:56]), e.g. 1 ->
/// "DPUCZDX8G"; empty for an unknown byte.
std::string familyNameOfTypeByte(uint8_t typeByte);

/// Catalog names, ordered by family, ISA and peak ops (B512 before B4096).
std::vector<std::string> knownTargetNames();
/// Board names of targets/boards.json, sorted.
std::vector<std::string> knownBoardNames();

/// Checks the embedded catalog (every entry parses, names and fingerprints are
/// unique, boards name known targets). Returns false and sets `error` if not.
bool verifyCatalog(std::string &error);

/// Human-readable, multi-line decoding of a fingerprint: family, ISA and each
/// feature-code field (DPUCZDX8G ISA0 and ISA1), plus the catalog name if any.
std::string describeFingerprint(uint64_t fingerprint);

} // namespace vai

#endif // VAI_TARGET_TARGET_H
