//===- Passes.td - dpu passes ------------------------------*- tablegen -*-===//

#ifndef VAI_DPU_PASSES
#define VAI_DPU_PASSES

include "mlir/Pass/PassBase.td"

def DpuPartition : Pass<"dpu-partition", "mlir::func::FuncOp"> {
  let summary = "Split a quant function into DPU and CPU subgraphs for a target";
  let description = [{
    Reads the target from `arch` (an arch.json in any of its three forms).
    Each `quant` compute op is placed on the DPU when the target supports
    it: its kind, nonlinearity, kernel, stride and padding limits, the
    bank-depth rule `kh * kw * ceil(ic / icp) <= bank depth` and
    `oc <= 256 * ocp`. Everything else (reshape, dequantize, unsupported
    layers) runs on the CPU, and each such decision is reported as a remark
    naming the node and the reason. Ops are grouped into as few subgraphs
    as the dependences allow: an op's phase is the number of device
    changes on its longest input path, and the ops of one phase and device
    form one `dpu.subgraph` (consecutive groups of one device merge), so
    independent branches share a subgraph whatever their order in the
    block. `report` writes the split and every CPU placement with its
    reason to a file (`-` for stdout). DPU ops are lowered to
    engine ops (`dpu.conv`, `dpu.pool`, `dpu.elew`) with explicit shifts,
    and the constants they use are cloned into the subgraph.

    Input quantization (`quant.quantize` of a function argument) stays
    outside any subgraph: it becomes the USER subgraph's `data-fix` op in the
    xmodel.
  }];
  let options = [
    Option<"archPath", "arch", "std::string", "",
           "arch.json naming or describing the target DPU">,
    Option<"reportPath", "report", "std::string", "",
           "write the subgraph split and the CPU placements with their "
           "reasons to this file ('-' for stdout)">
  ];
  let dependentDialects = ["::vai::dpu::DpuDialect", "::vai::quant::QuantDialect"];
}

#endif // VAI_DPU_PASSES
