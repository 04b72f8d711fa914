//===- DpuHazardChecker.cpp - DPU dependency-flag checker -----------------===//

#include "vai/Simulator/DpuHazardChecker.h"
#include <algorithm>

using namespace vai::dpusim;

namespace {
const char *engineName(int e) {
  static const char *names[kNumEngines] = {"LOAD", "SAVE", "CONV", "MISC"};
  return names[e];
}
constexpr size_t kMaxExamples = 10;
} // namespace

HazardChecker::HazardChecker(int numBanks, int64_t depth,
                             const std::map<int, int64_t> &writtenRegs)
    : depth(depth), lines(size_t(numBanks) * size_t(depth)),
      lineStamp(lines.size(), -1) {
  for (const auto &[reg, size] : writtenRegs)
    ddr[reg].resize(size_t(size));
  for (int e = 0; e < kNumEngines; ++e)
    tokens[e][e].push_back(Clock{}); // each engine's initial self credit
}

void HazardChecker::problem(const std::string &text) {
  if (result.examples.size() < kMaxExamples)
    result.examples.push_back(text);
}

void HazardChecker::begin(size_t offset, const char *mnemonic, int engine,
                          unsigned dpdon, unsigned dpdby) {
  current = int32_t(engineOf.size());
  engineOf.push_back(int8_t(engine));
  indexOf.push_back(executed[engine]);
  offsetOf.push_back(offset);
  nameOf.push_back(mnemonic);
  ++result.instructions;
  // Starts follow program order within an engine, so what the engine's
  // previous start knew is known.
  clock = engineClock[engine];
  for (int from = 0; from < kNumEngines; ++from) {
    if (!(dpdon >> from & 1))
      continue;
    auto &queue = tokens[from][engine];
    if (queue.empty()) {
      ++result.underflows;
      problem("byte offset " + std::to_string(offset) + " (" + mnemonic +
              "): waits on " + engineName(from) + " -> " + engineName(engine) +
              ", which no earlier instruction signalled");
      continue;
    }
    for (int e = 0; e < kNumEngines; ++e)
      clock[e] = std::max(clock[e], queue.front()[e]);
    queue.pop_front();
  }
  engineClock[engine] = clock;
  currentDpdby = dpdby;
}

void HazardChecker::end() {
  int engine = engineOf[size_t(current)];
  Clock done = clock;
  done[engine] = indexOf[size_t(current)] + 1;
  ++executed[engine];
  for (int to = 0; to < kNumEngines; ++to)
    if (currentDpdby >> to & 1)
      tokens[engine][to].push_back(done);
}

bool HazardChecker::orderedBefore(int32_t instr) const {
  int engine = engineOf[size_t(instr)];
  // One engine's instructions are ordered by its pipeline (ISA1.md §7
  // checks pairs of engines only).
  if (engine == engineOf[size_t(current)])
    return true;
  return clock[engine] > indexOf[size_t(instr)];
}

std::string HazardChecker::describe(int32_t instr) const {
  return "byte offset " + std::to_string(offsetOf[size_t(instr)]) + " (" +
         nameOf[size_t(instr)] + ")";
}

static std::string placeName(bool isDdr, int id, int64_t where) {
  return isDdr
             ? "REG_" + std::to_string(id) + " byte " + std::to_string(where)
             : "bank " + std::to_string(id) + " line " + std::to_string(where);
}

void HazardChecker::checkRead(int32_t writer, const Place &place) {
  if (writer < 0 || writer == current || orderedBefore(writer))
    return;
  ++result.hazards;
  problem(describe(current) + " reads " +
          placeName(place.isDdr, place.id, place.where) + " written by " +
          describe(writer) + " without waiting for it");
}

void HazardChecker::checkWrite(int32_t other, const char *kind,
                               const Place &place) {
  if (other < 0 || other == current || orderedBefore(other))
    return;
  ++result.hazards;
  problem(describe(current) + " writes " +
          placeName(place.isDdr, place.id, place.where) + " " + kind + " by " +
          describe(other) + " without waiting for it");
}

void HazardChecker::readLine(int bank, int64_t line) {
  size_t i = size_t(bank) * size_t(depth) + size_t(line);
  if (lineStamp[i] == current)
    return; // a window reads a line many times; once is enough
  lineStamp[i] = current;
  LineRecord &r = lines[i];
  checkRead(r.writer, Place{false, bank, line});
  int engine = engineOf[size_t(current)];
  r.readers[engine] = std::max(r.readers[engine], current);
}

void HazardChecker::writeLine(int bank, int64_t line) {
  LineRecord &r = lines[size_t(bank) * size_t(depth) + size_t(line)];
  Place place{false, bank, line};
  checkWrite(r.writer, "written", place);
  for (int32_t reader : r.readers)
    checkWrite(reader, "read", place);
  r.writer = current;
  r.readers = {-1, -1, -1, -1};
}

void HazardChecker::readDdr(int reg, int64_t addr, int64_t size) {
  auto it = ddr.find(reg);
  if (it == ddr.end())
    return; // never written: nothing to conflict with
  for (int64_t b = addr; b < addr + size; ++b) {
    DdrRecord &r = it->second[size_t(b)];
    checkRead(r.writer, Place{true, reg, b});
    r.reader = std::max(r.reader, current);
  }
}

void HazardChecker::writeDdr(int reg, int64_t addr, int64_t size) {
  auto it = ddr.find(reg);
  if (it == ddr.end())
    return;
  for (int64_t b = addr; b < addr + size; ++b) {
    DdrRecord &r = it->second[size_t(b)];
    Place place{true, reg, b};
    checkWrite(r.writer, "written", place);
    checkWrite(r.reader, "read", place);
    r.writer = current;
    r.reader = -1;
  }
}
