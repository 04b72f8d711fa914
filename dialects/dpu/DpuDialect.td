//===- DpuDialect.td - DPU target dialect ------------------*- tablegen -*-===//

#ifndef VAI_DPU_DIALECT
#define VAI_DPU_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Dpu_Dialect : Dialect {
  let name = "dpu";
  let summary = "The target level: subgraphs per device and DPU engine ops";
  let description = [{
    After `dpu-partition` a function is a sequence of `dpu.subgraph` ops,
    each the unit XIR calls a subgraph: a `DPU` kernel executed by the
    accelerator, or a `CPU` fallback. Inside a DPU subgraph every layer is
    one engine op (`dpu.conv` on the convolution engine, `dpu.pool` and
    `dpu.dwconv` on the pooling/ALU engine, `dpu.elew` and `dpu.elew_mul` on
    the elementwise engine, `dpu.concat` by the save engine) carrying the
    hardware's view of the layer: explicit shifts, kernel, stride, padding.
    Later stages tile these into instructions (LOAD, CONV, SAVE, ...).

    The dialect is executable by the fixed-point interpreter with the same
    arithmetic as `quant`, which is what makes bit-exact checks possible.
  }];
  let cppNamespace = "::vai::dpu";
  let dependentDialects = ["::vai::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    /// The discardable attribute holding a tensor's `PlacementAttr`.
    static constexpr ::llvm::StringLiteral kPlacementAttrName = "dpu.placement";
  }];
}

def Dpu_Device : I32EnumAttr<"Device", "where a subgraph runs", [
      I32EnumAttrCase<"USER", 0>,
      I32EnumAttrCase<"DPU", 1>,
      I32EnumAttrCase<"CPU", 2>
    ]> {
  let cppNamespace = "::vai::dpu";
  let genSpecializedAttr = 0;
}

def Dpu_DeviceAttr : EnumAttr<Dpu_Dialect, Dpu_Device, "device"> {
  let assemblyFormat = "`<` $value `>`";
}

def Dpu_PoolType : I32EnumAttr<"PoolType", "pooling engine mode", [
      I32EnumAttrCase<"max", 0>,
      I32EnumAttrCase<"avg", 1>
    ]> {
  let cppNamespace = "::vai::dpu";
  let genSpecializedAttr = 0;
}

def Dpu_PoolTypeAttr : EnumAttr<Dpu_Dialect, Dpu_PoolType, "pool_type"> {
  let assemblyFormat = "`<` $value `>`";
}

def Dpu_RegionKind : I32EnumAttr<"RegionKind", "what a DDR region holds", [
      I32EnumAttrCase<"Const", 0, "const">,
      I32EnumAttrCase<"Workspace", 1, "workspace">,
      I32EnumAttrCase<"Interface", 2, "interface">
    ]> {
  let cppNamespace = "::vai::dpu";
  let genSpecializedAttr = 0;
}

def Dpu_RegionAttr : AttrDef<Dpu_Dialect, "Region"> {
  let mnemonic = "region";
  let summary = "One DDR region of a DPU subgraph (an XIR `reg_id`)";
  let description = [{
    The runtime gives each region a base register; instructions address
    `base[id] + offset`. `const` holds the parameters (XIR context type
    CONST, segment W0), `workspace` the feature maps kept in DDR between
    layers and `interface` the subgraph's inputs or outputs (both DATA,
    segment D0). Example: `#dpu.region<id = 1, kind = workspace, size = 4096>`.
  }];
  let parameters = (ins "int64_t":$id, EnumParameter<Dpu_RegionKind>:$kind,
      "int64_t":$size);
  let assemblyFormat = "`<` struct(params) `>`";
}

def Dpu_PlacementAttr : AttrDef<Dpu_Dialect, "Placement"> {
  let mnemonic = "placement";
  let summary = "Where a DPU tensor lives: region, byte offset, DDR strides";
  let description = [{
    XIR's tensor attributes `reg_id`, `ddr_addr`, `location` (1 = DDR,
    0 = kept in the on-chip banks) and `stride` (NHWC byte strides, given
    for feature maps in DDR). It is attached to the op that produces the
    tensor as `dpu.placement`, and to a DPU subgraph's inputs through
    `input_placements`. Example:
    `#dpu.placement<reg = 1, addr = 4096, stride = [4800000, 400, 4, 1]>`.
  }];
  let parameters = (ins "int64_t":$reg, "int64_t":$addr,
      DefaultValuedParameter<"bool", "false">:$on_chip,
      OptionalParameter<"::mlir::DenseI64ArrayAttr">:$stride);
  let assemblyFormat = "`<` struct(params) `>`";
}

class Dpu_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dpu_Dialect, mnemonic, traits>;

#endif // VAI_DPU_DIALECT
