//===- DpuSimulator.cpp - instruction-level DPU simulator -----------------===//
//
// Semantics follow ../shared/ISA1.md: LOAD/SAVE §4.1-4.2, the tile layout of
// §3.3, CONVINIT/CONV §4.3-4.4, ALUINIT/ALU §4.5, END §4.6, the arithmetic of
// §5, and the ELEWINIT/ELEW hypothesis of §4.7. Counts, sizes and strides are
// encoded as value - 1 (§2), which `plus1` undoes.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/DpuSimulator.h"
#include "vai/Support/FixedPoint.h"
#include "llvm/ADT/Twine.h"
#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>

using namespace vai;
using namespace vai::dpusim;
using vai::dpu::isa::InstrDesc;
namespace isa = vai::dpu::isa;

bool MachineModel::fromTarget(const Target &target, MachineModel &model,
                              std::string &error) {
  model = MachineModel();
  model.banksPerGroup = target.pixelParallel;
  model.imageGroups = target.imageBankGroups;
  model.lineBytes = target.imageBankWidth;
  model.depth = target.imageBankDepth;
  model.outputLanes = target.weightBanks;
  model.aluRows = target.aluPixelParallel;
  if (model.lineBytes > kMaxLineBytes) {
    error = "target " + target.name +
            ": the simulator supports bank lines of "
            "at most " +
            std::to_string(kMaxLineBytes) + " bytes";
    return false;
  }
  if (model.banksPerGroup <= 0 || model.imageGroups <= 0 ||
      model.lineBytes <= 0 || model.depth <= 0 || model.outputLanes <= 0) {
    error = "target " + target.name + " has no image or weight banks";
    return false;
  }
  if (target.weightBankWidth != model.lineBytes ||
      target.weightBankDepth != model.depth ||
      target.biasBankWidth != model.lineBytes ||
      target.biasBankDepth != model.depth) {
    error = "target " + target.name +
            ": the simulator needs image, weight and bias banks of one line "
            "width and depth";
    return false;
  }
  int next = model.banksPerGroup * model.imageGroups;
  model.weightBankBase = next;
  next += model.outputLanes;
  if (target.aluWeightBankWidth > 0)
    model.aluWeightBank = next++;
  model.biasBank = next++;
  model.numBanks = next;
  return true;
}

namespace {

int64_t plus1(uint32_t v) { return int64_t(v) + 1; }

/// Field values of one decoded instruction, looked up by the field names of
/// the ISA's table.
class Fields {
public:
  Fields(const InstrDesc &desc, llvm::ArrayRef<uint32_t> words)
      : desc(desc), words(words) {}

  uint32_t operator()(llvm::StringRef name) const {
    const auto *f = desc.field(name);
    return f ? f->extract(words) : 0; // a field this ISA lacks reads as 0
  }

private:
  const InstrDesc &desc;
  llvm::ArrayRef<uint32_t> words;
};

/// How a tile's rows sit in a bank group (ISA1.md §3.3): row r of the tile
/// is in bank group + (b0 + (s0 + r) / S) mod banksPerGroup, at line
/// A[block] + ((s0 + r) mod S) * Rl + x * P + g, wrapping at the bank depth.
struct TileLayout {
  int groupBase = 0, b0 = 0;
  int64_t rowsPerBank = 1, slot0 = 0, slotStride = 1, pixelStride = 1;
  std::array<int64_t, 4> base = {0, 0, 0, 0};
};

} // namespace

namespace {
/// The layer state CONVINIT and ALUINIT both latch: window, strides, the
/// input and output tile layouts (ISA1.md §3.3) and the requantization.
struct LayerState {
  bool valid = false;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1;
  int64_t inPixel = 1, inSlot = 1, inSlot0 = 0;
  int64_t outPixel = 1, outSlot = 1, outRowsPerBank = 1, outSlot0 = 0;
  int shiftCut = 0, shiftBias = 0, actType = 0;

  void latch(const Fields &f) {
    valid = true;
    kh = plus1(f("kernel_h"));
    kw = plus1(f("kernel_w"));
    sh = plus1(f("stride_h"));
    sw = plus1(f("stride_w"));
    inPixel = plus1(f("jump_read"));
    inSlot = plus1(f("jump_read_endl"));
    inSlot0 = f("stride_offset_in");
    outPixel = plus1(f("jump_write"));
    outSlot = plus1(f("jump_write_endl"));
    outRowsPerBank = plus1(f("stride_out"));
    outSlot0 = f("stride_offset_out");
    shiftCut = int(f("shift_cut"));
    shiftBias = int(f("shift_bias"));
    actType = int(f("act_type"));
  }
};
} // namespace

/// Per-layer CONV state latched by CONVINIT.
struct Simulator::ConvState : LayerState {
  int64_t rows = 1;
};

/// Per-layer ALU state latched by ALUINIT; rows come with each ALU.
struct Simulator::AluState : LayerState {
  int mode = 0;
  int64_t width = 1, groups = 1, channelOffset = 0, multiFactor = 0;
};

Simulator::Simulator(const MachineModel &model, dpu::isa::Isa isaKind)
    : model(model), isaKind(isaKind),
      banks(size_t(model.numBanks) * model.depth * model.lineBytes, 0) {}

int8_t *Simulator::line(int bank, int64_t line) {
  int64_t wrapped = ((line % model.depth) + model.depth) % model.depth;
  return banks.data() +
         (size_t(bank) * model.depth + size_t(wrapped)) * model.lineBytes;
}

namespace {
/// One instruction's context for error messages.
struct Where {
  size_t offset;
  llvm::StringRef mnemonic;
  std::string &error;

  bool fail(const llvm::Twine &why) const {
    error = ("byte offset " + llvm::Twine(offset) + " (" + mnemonic.upper() +
             "): " + why)
                .str();
    return false;
  }
};

/// Copies one bank line into int16 lanes (16 lanes on every catalog
/// target, a constant trip count the compiler vectorizes).
void widen(const int8_t *src, int16_t *dst, int lineBytes) {
  if (lineBytes == 16) {
    for (int c = 0; c < 16; ++c)
      dst[c] = src[c];
    return;
  }
  for (int c = 0; c < lineBytes; ++c)
    dst[c] = src[c];
}

/// out[lane] = the dot product of the int16-widened window `a` with row
/// `lane` of `w` ([lanes][n]). Chunks of 2^16 products cannot overflow an
/// int32 (|a * b| <= 2^14), and int32 sums of int16 products are what
/// compilers vectorize (pmaddwd); one call per pixel keeps dispatch cheap.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// Runtime dispatch: AVX2 doubles pmaddwd's width where the CPU has it.
__attribute__((target_clones("avx2", "default")))
#endif
void dotLanes(const int16_t *__restrict a, const int16_t *__restrict w,
              int64_t n, int lanes, int64_t *__restrict out) {
  for (int lane = 0; lane < lanes; ++lane) {
    const int16_t *b = w + lane * n;
    int64_t total = 0;
    for (int64_t start = 0; start < n; start += 65536) {
      int64_t end = std::min<int64_t>(n, start + 65536);
      int32_t acc = 0;
      for (int64_t i = start; i < end; ++i)
        acc += int32_t(a[i]) * int32_t(b[i]);
      total += acc;
    }
    out[lane] = total;
  }
}

/// Rounds (2 * acc + bias * 2^shiftBias) / 2^(shiftCut + 1) half up: the
/// CONV output arithmetic of ISA1.md §5, where shiftBias already holds the
/// hardware's +1.
int8_t requantizeConv(int64_t acc, int64_t bias, int shiftCut, int shiftBias,
                      int actType) {
  int64_t v =
      2 * acc + bias * (int64_t(1) << shiftBias) + (int64_t(1) << shiftCut);
  int64_t y = v >> (shiftCut + 1); // arithmetic shift: floor
  if (actType == 1)
    y = std::max<int64_t>(y, 0);
  return int8_t(std::clamp<int64_t>(y, -128, 127));
}
} // namespace

/// The engine whose queue runs an instruction (ISA1.md §3.1, §4.6).
static int engineOf(llvm::StringRef mnemonic) {
  if (mnemonic == "load")
    return 0;
  if (mnemonic == "save" || mnemonic == "end")
    return 1;
  if (mnemonic == "conv" || mnemonic == "convinit" || mnemonic == "dwinit" ||
      mnemonic == "dptwise")
    return 2;
  return 3; // aluinit, alu, poolinit, pool, elewinit, elew
}

bool Simulator::run(llvm::ArrayRef<uint8_t> code, Ddr &ddr, RunStats &stats,
                    std::string &error, HazardReport *hazards) {
  auto started = std::chrono::steady_clock::now();
  struct Timer {
    std::chrono::steady_clock::time_point start;
    double &seconds;
    ~Timer() {
      seconds += std::chrono::duration<double>(
                     std::chrono::steady_clock::now() - start)
                     .count();
    }
  } timer{started, stats.seconds};
  if (isaKind != isa::Isa::Isa1) {
    error = "the simulator executes DPUCZDX8G ISA1 code only; " +
            isa::getIsaName(isaKind).str() +
            " code can be disassembled but not run";
    return false;
  }
  const int lineBytes = model.lineBytes;
  const int banksPerGroup = model.banksPerGroup;

  // Only bytes some SAVE writes can take part in a DDR hazard.
  std::unique_ptr<HazardChecker> checker;
  if (hazards) {
    std::map<int, int64_t> written;
    std::string scanError;
    isa::scanCode(
        code, isaKind,
        [&](size_t, const InstrDesc &desc, llvm::ArrayRef<uint32_t> words) {
          if (desc.mnemonic != "save")
            return;
          int reg = int(Fields(desc, words)("reg_id"));
          auto it = ddr.find(reg);
          if (it != ddr.end())
            written[reg] = int64_t(it->second.size());
        },
        scanError);
    checker =
        std::make_unique<HazardChecker>(model.numBanks, model.depth, written);
  }
  auto wrap = [&](int64_t l) {
    return ((l % model.depth) + model.depth) % model.depth;
  };
  ConvState conv;
  AluState alu;
  bool ended = false, ok = true;

  // The DDR bytes [addr, addr + size) of register `reg`, or null.
  auto ddrSpan = [&](const Where &at, uint32_t reg, int64_t addr,
                     int64_t size) -> uint8_t * {
    auto it = ddr.find(int(reg));
    if (it == ddr.end()) {
      at.fail("register " + llvm::Twine(reg) + " has no DDR region");
      return nullptr;
    }
    if (addr < 0 || addr + size > int64_t(it->second.size())) {
      at.fail("DDR access [" + llvm::Twine(addr) + ", " +
              llvm::Twine(addr + size) + ") outside register " +
              llvm::Twine(reg) + " of " + llvm::Twine(it->second.size()) +
              " bytes");
      return nullptr;
    }
    return it->second.data() + addr;
  };
  auto checkBank = [&](const Where &at, int64_t bank) {
    if (bank < 0 || bank >= model.numBanks)
      return at.fail("bank " + llvm::Twine(bank) + " does not exist (" +
                     llvm::Twine(model.numBanks) + " banks)");
    return true;
  };
  // Line of row r, pixel x, channel group g of a tile (ISA1.md §3.3).
  auto tileLine = [&](const TileLayout &t, int64_t r, int64_t x, int64_t g,
                      int &bank) {
    int64_t p = t.slot0 + r;
    int64_t brel = t.b0 + p / t.rowsPerBank;
    bank = t.groupBase + int(brel % banksPerGroup);
    int64_t block = brel / banksPerGroup;
    int64_t slot = p % t.rowsPerBank;
    return t.base[std::min<int64_t>(block, 3)] + slot * t.slotStride +
           x * t.pixelStride + g;
  };
  auto splitBank = [&](uint32_t bankId, TileLayout &t) {
    t.groupBase = int(bankId) / banksPerGroup * banksPerGroup;
    t.b0 = int(bankId) % banksPerGroup;
  };

  // The input and output tiles of a CONV or ALU: the instruction's banks
  // and addresses with the layer state latched by its INIT.
  auto inputTile = [&](const Fields &f, const auto &state) {
    TileLayout t;
    splitBank(f("bank_id_in"), t);
    t.rowsPerBank = state.sh;
    t.slot0 = state.inSlot0;
    t.slotStride = state.inSlot;
    t.pixelStride = state.inPixel;
    t.base = {f("bank_addr_in"), f("bank_addr_in_1"), f("bank_addr_in_2"),
              f("bank_addr_in_3")};
    return t;
  };
  auto outputTile = [&](const Fields &f, const auto &state) {
    TileLayout t;
    splitBank(f("bank_id_out"), t);
    t.rowsPerBank = state.outRowsPerBank;
    t.slot0 = state.outSlot0;
    t.slotStride = state.outSlot;
    t.pixelStride = state.outPixel;
    t.base = {f("bank_addr_out"), 0, 0, 0};
    return t;
  };

  // Inputs of the elementwise engine, by ELEWINIT id.
  struct ElewInput {
    bool valid = false;
    TileLayout tile;
    int shiftRead = 0;
  };
  std::array<ElewInput, 4> elewInputs;

  // A bank line an engine reads or writes, told to the checker if any.
  auto fetch = [&](int bank, int64_t l) -> const int8_t * {
    if (checker)
      checker->readLine(bank, wrap(l));
    return line(bank, l);
  };
  auto store = [&](int bank, int64_t l) -> int8_t * {
    if (checker)
      checker->writeLine(bank, wrap(l));
    return line(bank, l);
  };

  // Scratch buffers reused across CONVs.
  std::vector<int16_t> window, weights;
  std::vector<int64_t> bias;

  auto step = [&](size_t offset, const InstrDesc &desc,
                  llvm::ArrayRef<uint32_t> words) {
    if (!ok || ended)
      return;
    Where at{offset, desc.mnemonic, error};
    Fields f(desc, words);
    ++stats.executed[desc.mnemonic.str()];
    llvm::StringRef m = desc.mnemonic;
    if (checker)
      checker->begin(offset, desc.mnemonic.data(), engineOf(m), f("dpdon"),
                     f("dpdby"));
    struct EndGuard {
      HazardChecker *c;
      ~EndGuard() {
        if (c)
          c->end();
      }
    } endGuard{checker.get()};

    if (m == "load" || m == "save") {
      bool isLoad = m == "load";
      int bank = int(f("bank_id"));
      if (!checkBank(at, bank)) {
        ok = false;
        return;
      }
      int64_t pixels = plus1(f("length")), bytes = plus1(f("channel"));
      // LOAD: jump_write = line stride, jump_read = DDR stride; SAVE the
      // other way round.
      int64_t lineStride = plus1(isLoad ? f("jump_write") : f("jump_read"));
      int64_t ddrStride = plus1(isLoad ? f("jump_read") : f("jump_write"));
      int64_t addr = f("ddr_addr"), first = f("bank_addr");
      int reg = int(f("reg_id"));
      uint8_t *mem = ddrSpan(at, reg, addr, (pixels - 1) * ddrStride + bytes);
      if (!mem) {
        ok = false;
        return;
      }
      if (isLoad) {
        for (const char *name : {"pad_start", "pad_end", "broadcast",
                                 "mode_avg", "const_value", "pad_idx"})
          if (f(name))
            ++stats.unverified[("load " + llvm::Twine(name)).str()];
      } else if (f("const_en")) {
        ++stats.unverified["save const_en"];
      }
      for (int64_t i = 0; i < pixels; ++i) {
        int64_t ddrAt = addr + i * ddrStride;
        if (checker && isLoad)
          checker->readDdr(reg, ddrAt, bytes);
        // A pixel's bytes fill consecutive lines, lineBytes at a time.
        for (int64_t b = 0; b < bytes; b += lineBytes) {
          int64_t l = first + i * lineStride + b / lineBytes;
          size_t n = size_t(std::min<int64_t>(lineBytes, bytes - b));
          if (isLoad)
            std::memcpy(store(bank, l), mem + i * ddrStride + b, n);
          else
            std::memcpy(mem + i * ddrStride + b, fetch(bank, l), n);
        }
        if (checker && !isLoad)
          checker->writeDdr(reg, ddrAt, bytes);
      }
      if (!isLoad)
        stats.outputBytes += pixels * bytes;
      return;
    }

    if (m == "convinit") {
      conv.latch(f);
      conv.rows = plus1(f("valid_pixel_parallel"));
      if (conv.actType > 1)
        ++stats.unverified[("convinit act_type " + llvm::Twine(conv.actType))
                               .str()];
      return;
    }

    if (m == "conv") {
      if (!conv.valid) {
        ok = at.fail("CONV before any CONVINIT");
        return;
      }
      int64_t width = plus1(f("length")), groups = plus1(f("channel_group"));
      int64_t unused = f("channel_offset");
      int64_t padTop = f("pad_top"), padLeft = f("pad_left");
      int64_t lastRow = (conv.rows - 1) * conv.sh + f("pad_bottom");
      int64_t lastCol = (width - 1) * conv.sw + f("pad_right");
      TileLayout in = inputTile(f, conv), out = outputTile(f, conv);
      if (!checkBank(at, in.groupBase) || !checkBank(at, out.groupBase)) {
        ok = false;
        return;
      }
      // Lanes read per channel group: all but the last group's unused ones.
      int64_t taps = conv.kh * conv.kw, k = taps * groups * lineBytes;
      int lanes = model.outputLanes;
      weights.assign(size_t(lanes * k), 0);
      int64_t wBase = f("bank_addr_weights");
      for (int lane = 0; lane < lanes; ++lane)
        for (int64_t tap = 0; tap < taps; ++tap)
          for (int64_t g = 0; g < groups; ++g) {
            const int8_t *src =
                fetch(model.weightBankBase + lane, wBase + tap * groups + g);
            int64_t valid = g == groups - 1 ? lineBytes - unused : lineBytes;
            int16_t *dst =
                &weights[size_t(lane * k + (tap * groups + g) * lineBytes)];
            for (int64_t c = 0; c < valid; ++c)
              dst[c] = src[c];
          }
      const int8_t *biasLine = fetch(model.biasBank, f("bank_addr_bias"));
      window.assign(size_t(k), 0);
      for (int64_t j = 0; j < conv.rows; ++j)
        for (int64_t x = 0; x < width; ++x) {
          for (int64_t ky = 0; ky < conv.kh; ++ky) {
            int64_t t = j * conv.sh + ky;
            bool rowValid = t >= padTop && t <= lastRow;
            // Row t's bank and first line; pixel u, group g follow at
            // u * P + g (tileLine).
            int bank = 0;
            int64_t rowLine = rowValid ? tileLine(in, t, 0, 0, bank) : 0;
            for (int64_t kx = 0; kx < conv.kw; ++kx) {
              int64_t u = x * conv.sw + kx;
              int16_t *dst =
                  &window[size_t((ky * conv.kw + kx) * groups * lineBytes)];
              if (!rowValid || u < padLeft || u > lastCol) {
                std::fill(dst, dst + groups * lineBytes, int16_t(0));
                continue;
              }
              for (int64_t g = 0; g < groups; ++g, dst += lineBytes) {
                int64_t l = rowLine + u * in.pixelStride + g;
                const int8_t *src = fetch(bank, l);
                widen(src, dst, lineBytes);
              }
            }
          }
          int bank;
          int64_t l = tileLine(out, j, x, 0, bank);
          int8_t *dst = store(bank, l);
          int outLanes = std::min(lanes, lineBytes);
          int64_t acc[kMaxLineBytes];
          dotLanes(window.data(), weights.data(), k, outLanes, acc);
          for (int lane = 0; lane < outLanes; ++lane)
            dst[lane] = requantizeConv(acc[lane], biasLine[lane], conv.shiftCut,
                                       conv.shiftBias, conv.actType);
        }
      return;
    }

    if (m == "aluinit") {
      alu.latch(f);
      alu.mode = int(f("exec_mode"));
      alu.width = plus1(f("length"));
      alu.groups = plus1(f("channel_group"));
      alu.channelOffset = f("channel_offset");
      alu.multiFactor = f("multi_factor");
      return;
    }

    if (m == "alu") {
      if (!alu.valid) {
        ok = at.fail("ALU before any ALUINIT");
        return;
      }
      // Established: 3 = max pool, 7 = hard sigmoid (ISA1.md §4.5).
      // Established: 3 = max pool, 7 = hard sigmoid. The others follow
      // the prototxt's alu_type order (ISA1.md §4.5) by hypothesis.
      static const char *modeNames[] = {
          "dwconv",     "prelu",          "avg_pool", "max_pool", "leaky_relu",
          "max_reduce", "dwconv_no_bias", "hsigmoid", "w16b0"};
      if (alu.mode == 1 || alu.mode > 7) {
        ok = at.fail("ALU exec_mode " + llvm::Twine(alu.mode) + " (" +
                     (alu.mode <= 8 ? modeNames[alu.mode] : "unknown") +
                     ") is not simulated: not even a hypothesis fixes its "
                     "operands");
        return;
      }
      bool isDw = alu.mode == 0 || alu.mode == 6;
      if (isDw && model.aluWeightBank < 0) {
        ok = at.fail("ALU dwconv on a target without a depthwise weight bank");
        return;
      }
      if (alu.mode != 3 && alu.mode != 7)
        ++stats.unverified[("alu exec_mode " + llvm::Twine(alu.mode) + " (" +
                            modeNames[alu.mode] + ", hypothesis)")
                               .str()];
      int64_t rows = plus1(f("valid_pixel_parallel"));
      int64_t padTop = f("pad_top"), padLeft = f("pad_left");
      int64_t lastRow = (rows - 1) * alu.sh + f("pad_bottom");
      int64_t lastCol = (alu.width - 1) * alu.sw + f("pad_right");
      int64_t weightsAt = f("bank_addr_weights"), biasAt = f("bank_addr_bias");
      int64_t multiFactor = alu.multiFactor;
      TileLayout in = inputTile(f, alu), out = outputTile(f, alu);
      if (!checkBank(at, in.groupBase) || !checkBank(at, out.groupBase)) {
        ok = false;
        return;
      }
      for (int64_t j = 0; j < rows; ++j)
        for (int64_t x = 0; x < alu.width; ++x)
          for (int64_t g = 0; g < alu.groups; ++g) {
            int outBank;
            int64_t l = tileLine(out, j, x, g, outBank);
            int8_t *dst = store(outBank, l);
            if (alu.mode == 4 || alu.mode == 7) {
              // Pointwise modes: the window is the pixel itself.
              int bank;
              int64_t il = tileLine(in, j * alu.sh, x * alu.sw, g, bank);
              const int8_t *src = fetch(bank, il);
              // relu6(x + 3) * 2731 at input position shift_bias for hard
              // sigmoid (the upper clip is XIR hard-sigmoid's; ISA1.md's
              // samples saturate before reaching it).
              int64_t three = int64_t(3) << alu.shiftBias;
              for (int c = 0; c < lineBytes; ++c) {
                if (alu.mode == 4) {
                  // Leaky ReLU: negatives times 26/256 (XIR's alpha),
                  // rounded half up.
                  dst[c] = src[c] >= 0
                               ? src[c]
                               : int8_t(roundHalfUpShift(src[c] * 26, 8));
                  continue;
                }
                int64_t v =
                    std::clamp<int64_t>(src[c] + three, 0, 2 * three) * 2731;
                dst[c] = int8_t(
                    std::min<int64_t>(roundHalfUpShift(v, alu.shiftCut), 127));
              }
              continue;
            }
            // Over the window's valid pixels: the max (-128, the identity,
            // where padding leaves none), the sum (average pooling) or the
            // products with the depthwise weights of bank DWCONVW, tap
            // (ky, kx) of group g at line bank_addr_weights +
            // (ky * kw + kx) * CG + g as the conv engine lays out its own.
            bool isMax = alu.mode == 3 || alu.mode == 5;
            int64_t acc[kMaxLineBytes];
            std::fill(acc, acc + lineBytes, isMax ? int64_t(-128) : 0);
            for (int64_t ky = 0; ky < alu.kh; ++ky) {
              int64_t t = j * alu.sh + ky;
              if (t < padTop || t > lastRow)
                continue;
              int bank;
              int64_t rowLine = tileLine(in, t, 0, g, bank);
              for (int64_t kx = 0; kx < alu.kw; ++kx) {
                int64_t u = x * alu.sw + kx;
                if (u < padLeft || u > lastCol)
                  continue;
                int64_t il = rowLine + u * in.pixelStride;
                const int8_t *src = fetch(bank, il);
                if (isMax) {
                  for (int c = 0; c < lineBytes; ++c)
                    acc[c] = std::max<int64_t>(acc[c], src[c]);
                } else if (isDw) {
                  int64_t wl = weightsAt + (ky * alu.kw + kx) * alu.groups + g;
                  const int8_t *w = fetch(model.aluWeightBank, wl);
                  for (int c = 0; c < lineBytes; ++c)
                    acc[c] += int64_t(src[c]) * w[c];
                } else {
                  for (int c = 0; c < lineBytes; ++c)
                    acc[c] += src[c];
                }
              }
            }
            const int8_t *bias =
                alu.mode == 0 ? fetch(model.biasBank, biasAt + g) : nullptr;
            for (int c = 0; c < lineBytes; ++c) {
              int64_t y = acc[c];
              if (isDw) {
                dst[c] = requantizeConv(y, bias ? bias[c] : 0, alu.shiftCut,
                                        alu.shiftBias, alu.actType);
                continue;
              }
              if (alu.mode == 2) // sum * multi_factor / 2^shift_cut, half up
                y = roundHalfUpShift(y * multiFactor, alu.shiftCut);
              dst[c] = int8_t(std::clamp<int64_t>(y, -128, 127));
            }
          }
      return;
    }

    if (m == "elewinit") {
      // Hypothesis (ISA1.md §4.7): one ELEWINIT per input `id` with that
      // input's layout and its alignment shift.
      ++stats.unverified["elewinit (hypothesis)"];
      ElewInput &e = elewInputs[f("id") % elewInputs.size()];
      e.valid = true;
      splitBank(f("bank_id_in"), e.tile);
      e.tile.rowsPerBank = 1;
      e.tile.pixelStride = plus1(f("jump_read"));
      e.tile.slotStride = plus1(f("jump_read_endl"));
      int64_t a = f("bank_addr_in");
      // Consecutive bank blocks are contiguous in compiled code (§3.3).
      e.tile.base = {a, a + e.tile.slotStride, a + 2 * e.tile.slotStride,
                     a + 3 * e.tile.slotStride};
      e.shiftRead = int(f("shift_read"));
      return;
    }

    if (m == "elew") {
      // Hypothesis (ISA1.md §4.7, XIR eltwise-fix): inputs aligned by
      // shift_read, added (elew_type 0) or multiplied (1), shifted right by
      // shift_write rounding half up, ReLU on act_type, saturated.
      ++stats.unverified["elew (hypothesis)"];
      int64_t inputs = plus1(f("num")), rows = plus1(f("valid_pixel_parallel"));
      int64_t width = plus1(f("length")), groups = plus1(f("channel_group"));
      int type = int(f("elew_type")), shift = int(f("shift_write"));
      bool relu = f("act_type") != 0;
      if (type > 1 || inputs > int64_t(elewInputs.size())) {
        ok = at.fail("ELEW type " + llvm::Twine(type) + " with " +
                     llvm::Twine(inputs) + " inputs is not simulated");
        return;
      }
      for (int64_t i = 0; i < inputs; ++i)
        if (!elewInputs[size_t(i)].valid) {
          ok = at.fail("ELEW input " + llvm::Twine(i) + " has no ELEWINIT");
          return;
        }
      TileLayout out;
      splitBank(f("bank_id_out"), out);
      out.pixelStride = plus1(f("jump_write"));
      out.slotStride = plus1(f("jump_write_endl"));
      int64_t a = f("bank_addr_out");
      out.base = {a, a + out.slotStride, a + 2 * out.slotStride,
                  a + 3 * out.slotStride};
      for (int64_t j = 0; j < rows; ++j)
        for (int64_t x = 0; x < width; ++x)
          for (int64_t g = 0; g < groups; ++g) {
            int64_t acc[kMaxLineBytes];
            std::fill(acc, acc + lineBytes, type == 0 ? 0 : 1);
            for (int64_t i = 0; i < inputs; ++i) {
              const ElewInput &e = elewInputs[size_t(i)];
              int bank;
              int64_t l = tileLine(e.tile, j, x, g, bank);
              const int8_t *src = fetch(bank, l);
              for (int c = 0; c < lineBytes; ++c)
                acc[c] = type == 0 ? acc[c] + (int64_t(src[c]) << e.shiftRead)
                                   : acc[c] * src[c];
            }
            int bank;
            int64_t l = tileLine(out, j, x, g, bank);
            int8_t *dst = store(bank, l);
            for (int c = 0; c < lineBytes; ++c) {
              int64_t y = roundHalfUpShift(acc[c], shift);
              if (relu)
                y = std::max<int64_t>(y, 0);
              dst[c] = int8_t(std::clamp<int64_t>(y, -128, 127));
            }
          }
      return;
    }

    if (m == "end") {
      ended = true;
      return;
    }

    ok = at.fail("instruction " + m.upper() +
                 " is not simulated: its semantics are unknown on this target "
                 "(ISA1.md §4.7)");
  };

  if (!isa::scanCode(code, isaKind, step, error))
    return false;
  if (checker)
    *hazards = checker->report();
  if (!ok)
    return false;
  if (!ended) {
    error = "the program has no END instruction";
    return false;
  }
  return true;
}
