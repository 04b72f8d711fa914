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
    engine ops (`dpu.conv`, `dpu.conv_transpose`, `dpu.pool`, `dpu.elew`, ...)
    with explicit shifts, and the constants they use are cloned into the
    subgraph. Transposed convolutions run on the conv engine under its
    kernel, stride, nonlinearity, bank-depth and output-channel limits,
    with each crop within the kernel.

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

def DpuAllocateDdr : Pass<"dpu-allocate-ddr", "mlir::func::FuncOp"> {
  let summary = "Place every tensor of each DPU subgraph in a DDR region";
  let description = [{
    Runs after `dpu-partition`. Each `DPU` subgraph gets its `regions` and
    `input_placements`, and every op in it a `dpu.placement`, following the
    conventions of Xilinx's compiler (vai_c) in its compiled xmodels; the
    xmodel writer turns them into XIR's `reg_id_to_*` maps and the tensor
    attributes `reg_id`, `ddr_addr`, `location` and `stride`.

    * **REG_0, const** (XIR context CONST, segment W0): every `quant.const`,
      stored in XIR layout (weights OHWI, biases `[oc]`, one byte each).
      Layer by layer in block order, the bias before the weights, each at
      a `param-align` boundary; the region is rounded up to it. 4096 (the
      default) is what vai_c 3.0 does; vai_c 2.5 packs at 32 bytes.
    * **REG_1, workspace** (DATA/WORKSPACE, D0): the feature maps passed
      between layers. Buffers are taken in order of their first write, each
      at the lowest offset clear of every buffer still to be read (first
      fit), so a dead tensor's memory is reused and the region is the peak
      of live bytes rather than their sum. The input of the op that writes
      a buffer counts as live. A channel concat's inputs are written
      straight into the concat's buffer at their channel offsets and carry
      the concat's byte strides, so the concat needs no copy; an input that
      must stay contiguous (a subgraph output, a reshape's input, another
      concat's input, a constant or a subgraph input) gets its own buffer.
      A reshape of a contiguous tensor views the same bytes.
    * **REG_2, interface**: the subgraph's inputs, packed in order.
    * **REG_3, interface**: the tensors the subgraph yields, packed in
      yield order.

    Feature maps are plain NHWC bytes and get row-major byte `stride`s,
    e.g. `[H*W*C, W*C, C, 1]`. A dynamic batch is allocated for batch 1
    (the runtime gives each batch its own base registers); any other
    dynamic dimension is an error. Every tensor is marked DDR-resident
    (`location` 1): no layers are fused yet, so none stays on chip. Regions
    with nothing in them are left out. Running the pass again gives the same
    placements.
  }];
  let options = [
    Option<"paramAlign", "param-align", "uint64_t", "4096",
           "byte alignment of each constant in REG_0 (a power of two: 4096 "
           "like vai_c 3.0, 32 like vai_c 2.5)">
  ];
  let dependentDialects = ["::vai::dpu::DpuDialect"];
}

#endif // VAI_DPU_PASSES
