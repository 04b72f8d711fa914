//===- DpuSimulator.h - instruction-level DPU simulator ---------*- C++ -*-===//
//
// Executes DPUCZDX8G ISA1 machine code (`mc_code`) on a machine model built
// from a Target: image, weight and bias banks, and DDR as regions addressed by
// register id. The semantics are those of ../shared/ISA1.md §3-§6, where each
// rule marked established was forced by bit-exact runs of Xilinx's own code.
// Instructions whose semantics are only hypotheses run too, and are counted
// as unverified so a caller can flag any result that depends on them.
//
// Instructions execute in program order: the dependency flags order the four
// engines but do not change a program's result when it is hazard-free, which
// the dependency checker establishes separately.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_DPUSIMULATOR_H
#define VAI_SIMULATOR_DPUSIMULATOR_H

#include "vai/Dialect/Dpu/Isa.h"
#include "vai/Proto/XModel.h"
#include "vai/Simulator/DpuHazardChecker.h"
#include "vai/Simulator/NDArray.h"
#include "vai/Target/Target.h"
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vai::dpusim {

/// The widest bank line (input channel parallelism) the simulator handles.
constexpr int kMaxLineBytes = 64;

/// The on-chip memory of a target, with the bank numbering of the
/// instructions' `bank_id` fields: the image bank groups first, then one
/// weight bank per output-channel lane, the depthwise/ALU weight bank (when
/// the target has one) and the bias bank (Vitis AI target_factory numbers
/// them in this order; ISA1.md §3.2 for B4096: 0-15, 16-31, 32, 33).
struct MachineModel {
  int banksPerGroup = 0; ///< pixel parallelism: rows a CONV computes
  int imageGroups = 0;
  int lineBytes = 0; ///< bytes per bank line = input channel parallelism
  int depth = 0;     ///< lines per bank
  int outputLanes = 0;
  int aluRows = 0; ///< rows an ALU instruction computes
  int weightBankBase = 0;
  int aluWeightBank = -1;
  int biasBank = 0;
  int numBanks = 0;

  /// Fails for targets whose banks do not share one line width and depth.
  static bool fromTarget(const Target &target, MachineModel &model,
                         std::string &error);
};

/// DDR as the runtime presents it to one DPU subgraph: one byte array per
/// register id (`reg_id_to_size`), the parameter region filled from
/// `reg_id_to_parameter_value`.
using Ddr = std::map<int, std::vector<uint8_t>>;

/// What one run executed.
struct RunStats {
  /// Instructions executed per mnemonic ("load", "conv", ...).
  std::map<std::string, int64_t> executed;
  /// Instructions executed whose semantics are hypotheses (ISA1.md §4.7,
  /// §10), per mnemonic and mode, e.g. "alu mode 2 (avg_pool)".
  std::map<std::string, int64_t> unverified;
  int64_t outputBytes = 0; ///< bytes written to DDR by SAVE
  double seconds = 0;      ///< wall time of Simulator::run
};

class Simulator {
public:
  Simulator(const MachineModel &model, dpu::isa::Isa isaKind);

  /// Runs `code` against `ddr` until END. Returns false with `error` naming
  /// the instruction's byte offset on bad code, an address outside a
  /// register's region or an instruction this simulator cannot execute.
  /// With `hazards`, every memory access also goes through the dependency
  /// checker (DpuHazardChecker.h), whose findings land there.
  bool run(llvm::ArrayRef<uint8_t> code, Ddr &ddr, RunStats &stats,
           std::string &error, HazardReport *hazards = nullptr);

  /// Bank contents, for tests and debugging.
  int8_t *line(int bank, int64_t line);

private:
  struct ConvState;
  struct AluState;

  MachineModel model;
  dpu::isa::Isa isaKind;
  std::vector<int8_t> banks;
};

/// One tensor at a DPU subgraph's boundary: its XIR name and int8 codes.
struct BoundaryTensor {
  std::string name;
  Int8Array value;
};

/// Runs the DPU subgraph `name` of a compiled xmodel (its `mc_code`) on
/// `inputs`, one per `upload` op in file order (the fixed-point codes of the
/// upload's output tensor), and returns the tensors its `download` ops read.
/// DDR comes from the subgraph's `reg_id_to_size` and
/// `reg_id_to_parameter_value`, tensors are located by their `reg_id`,
/// `ddr_addr` and `stride` attributes, and the machine model from the target
/// of `dpu_fingerprint`. With `inputs` empty, random codes from
/// `options.seed` are used and returned in `inputs`.
struct SubgraphRunOptions {
  uint64_t seed = 0;                 ///< random inputs when none are given
  Ddr *finalDdr = nullptr;           ///< receives DDR as the program left it
  HazardReport *hazards = nullptr;   ///< runs the dependency checker
  const std::string *code = nullptr; ///< replaces the subgraph's mc_code
};
bool runXModelSubgraph(const proto::XGraph &graph, const std::string &name,
                       std::vector<BoundaryTensor> &inputs,
                       std::vector<BoundaryTensor> &outputs, RunStats &stats,
                       std::string &error,
                       const SubgraphRunOptions &options = {});

} // namespace vai::dpusim

#endif // VAI_SIMULATOR_DPUSIMULATOR_H
