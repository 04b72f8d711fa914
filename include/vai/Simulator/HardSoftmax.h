//===- HardSoftmax.h - The DPU's bfloat16 softmax ---------------*- C++ -*-===//
//
// The softmax Vitis AI's quantizer substitutes for the DPU
// (`tfg.hard_softmax`).
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_HARDSOFTMAX_H
#define VAI_SIMULATOR_HARDSOFTMAX_H

#include "vai/Simulator/NDArray.h"

namespace vai {

/// Rounds `v` to the nearest bfloat16 (ties to even), returned as a float.
float roundToBFloat16(float v);

/// Softmax along `axis` as vai_q's `ReplaceSoftmaxWithDPUSoftmax` computes
/// it (see `tfg.hard_softmax`). False with `error` set on a bad axis or an
/// inconsistent input.
bool hardSoftmax(const FloatArray &x, int64_t axis, FloatArray &out,
                 std::string &error);

} // namespace vai

#endif // VAI_SIMULATOR_HARDSOFTMAX_H
