//===- DpuHazardChecker.h - DPU dependency-flag checker ---------*- C++ -*-===//
//
// Checks that a program's dependency flags order every conflicting memory
// access between engines (ISA1.md §7). The four engines (LOAD, SAVE, CONV,
// MISC) run concurrently; each starts its instructions in program order.
// `dpdby` bit e on a completing instruction of engine P gives one token to
// the semaphore (P -> e); `dpdon` bit e on an instruction of engine C takes
// one token of (e -> C) before it starts. Self semaphores start with one
// token. Tokens are matched first-in first-out per semaphore and carry the
// producer's vector clock, so an access by instruction B happens after one
// by instruction A of another engine exactly when B's clock has seen A
// complete. A read after a write, a write after a read or a write after a
// write of the same bank line or DDR byte by two engines without that order
// is a hazard; taking a token no earlier instruction gave is an underflow.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_DPUHAZARDCHECKER_H
#define VAI_SIMULATOR_DPUHAZARDCHECKER_H

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace vai::dpusim {

constexpr int kNumEngines = 4; ///< flag bits: 0 LOAD, 1 SAVE, 2 CONV, 3 MISC

struct HazardReport {
  int64_t instructions = 0;
  int64_t hazards = 0;
  int64_t underflows = 0;
  /// The first problems found, described with byte offsets.
  std::vector<std::string> examples;
};

class HazardChecker {
public:
  /// `numBanks` x `depth` bank lines; `writtenRegs` are the DDR registers
  /// any instruction writes (only their bytes can conflict) with their sizes.
  HazardChecker(int numBanks, int64_t depth,
                const std::map<int, int64_t> &writtenRegs);

  /// An instruction at byte `offset` of `engine` starts.
  void begin(size_t offset, const char *mnemonic, int engine, unsigned dpdon,
             unsigned dpdby);
  void readLine(int bank, int64_t line);
  void writeLine(int bank, int64_t line);
  void readDdr(int reg, int64_t addr, int64_t size);
  void writeDdr(int reg, int64_t addr, int64_t size);
  /// The current instruction completes.
  void end();

  const HazardReport &report() const { return result; }

private:
  using Clock = std::array<int64_t, kNumEngines>;
  /// A bank line's last writer and, per engine, its last reader since
  /// then, as instruction numbers (-1: none).
  struct LineRecord {
    int32_t writer = -1;
    std::array<int32_t, kNumEngines> readers = {-1, -1, -1, -1};
  };
  /// A DDR byte's last writer and last reader. Only LOAD reads DDR in ISA1,
  /// so one reader is enough (and keeps a byte's record at 8 bytes).
  struct DdrRecord {
    int32_t writer = -1;
    int32_t reader = -1;
  };
  /// Where an access went, for messages only: a bank line or a DDR byte.
  struct Place {
    bool isDdr;
    int id;
    int64_t where;
  };

  bool orderedBefore(int32_t instr) const;
  void checkRead(int32_t writer, const Place &place);
  void checkWrite(int32_t other, const char *kind, const Place &place);
  void problem(const std::string &text);
  std::string describe(int32_t instr) const;

  int64_t depth;
  std::vector<LineRecord> lines;
  std::vector<int32_t> lineStamp; // dedupes one instruction's reads
  std::map<int, std::vector<DdrRecord>> ddr;

  // Per instruction number: engine, index within the engine, byte offset.
  std::vector<int8_t> engineOf;
  std::vector<int64_t> indexOf;
  std::vector<size_t> offsetOf;
  std::vector<const char *> nameOf;

  std::array<int64_t, kNumEngines> executed = {0, 0, 0, 0};
  std::array<Clock, kNumEngines> engineClock = {};
  std::array<std::array<std::deque<Clock>, kNumEngines>, kNumEngines> tokens;
  int32_t current = -1;
  Clock clock = {};
  unsigned currentDpdby = 0;
  HazardReport result;
};

} // namespace vai::dpusim

#endif // VAI_SIMULATOR_DPUHAZARDCHECKER_H
