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

class Dpu_Op<string mnemonic, list<Trait> traits = []>
    : Op<Dpu_Dialect, mnemonic, traits>;

#endif // VAI_DPU_DIALECT
