//===- QuantDialect.td - DPU fixed-point dialect -----------*- tablegen -*-===//
//
// quant is the graph as the DPU computes it: power-of-two fixed point.
// Not MLIR's upstream `quant` dialect, which vai-opt does not register.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_QUANT_DIALECT
#define VAI_QUANT_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Quant_Dialect : Dialect {
  let name = "quant";
  let summary = "Power-of-two fixed point, as the DPU computes it";
  let description = [{
    A value of type `!quant.fix<s8, 4>` holds integers `q` that stand for
    `q * 2^-4`. Compute ops take and produce such tensors, and their
    verifiers enforce the shift ranges the DPU can execute (DESIGN.md §5):
    for a convolution with input, weight, bias and output positions `i`,
    `w`, `b`, `o`, `shift_cut = w + i - o` must lie in `[0, 16]` and
    `shift_bias = w + i - b` in `[min(0, shift_cut - 16), 16]`.

    `quant` is executable, bit-exactly, by the fixed-point interpreter
    (`vai-translate --interpret-fixed`).
  }];
  let cppNamespace = "::vai::quant";
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
}

def Quant_Nonlinear : I32EnumAttr<"Nonlinear",
    "nonlinearity applied by a DPU engine after requantization", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"relu", 1>,
      I32EnumAttrCase<"relu6", 2>,
      I32EnumAttrCase<"leaky_relu", 3>
    ]> {
  let cppNamespace = "::vai::quant";
  let genSpecializedAttr = 0;
}

def Quant_NonlinearAttr : EnumAttr<Quant_Dialect, Quant_Nonlinear, "nonlinear"> {
  let assemblyFormat = "`<` $value `>`";
}

def Quant_RoundMode : I32EnumAttr<"RoundMode", "how halves are rounded", [
      // Halves toward +inf: 2.5 -> 3, -2.5 -> -2 (XIR DPU_ROUND).
      I32EnumAttrCase<"dpu_round", 0>,
      // Halves away from zero (XIR STD_ROUND).
      I32EnumAttrCase<"std_round", 1>,
      // Halves to even (XIR PY3_ROUND).
      I32EnumAttrCase<"py3_round", 2>
    ]> {
  let cppNamespace = "::vai::quant";
}

class Quant_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Quant_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Quant_FixType : Quant_Type<"Fix", "fix"> {
  let summary = "A power-of-two fixed-point number";
  let description = [{
    `!quant.fix<s8, 4>`: signed, 8 bits, fix position 4 (value = q / 16),
    DPU rounding. The signedness letter is `s` or `u`; an optional third
    parameter names another round mode: `!quant.fix<s8, 7, py3_round>`.
    The fix position may be negative (coarse steps for large values).
  }];
  let parameters = (ins "unsigned":$bitWidth, "int":$fixPoint,
      "bool":$isSigned, "::vai::quant::RoundMode":$roundMode);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    TypeBuilder<(ins "unsigned":$bitWidth, "int":$fixPoint), [{
      return $_get($_ctxt, bitWidth, fixPoint, /*isSigned=*/true,
                   ::vai::quant::RoundMode::dpu_round);
    }]>
  ];
  let extraClassDeclaration = [{
    /// The real value of one step: 2^-fixPoint.
    double getStep() const;
    int64_t getMinInt() const;
    int64_t getMaxInt() const;
  }];
}

class Quant_Op<string mnemonic, list<Trait> traits = []>
    : Op<Quant_Dialect, mnemonic, traits>;

#endif // VAI_QUANT_DIALECT
