//===- TfgDialect.td - The float graph dialect -------------*- tablegen -*-===//
//
// tfg is the float graph every importer lands in: one op per framework
// operation, NHWC layout, node names kept as `NameLoc` locations.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_TFG_DIALECT
#define VAI_TFG_DIALECT

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Tfg_Dialect : Dialect {
  let name = "tfg";
  let summary = "The float graph: framework-level operations in NHWC layout";
  let description = [{
    Importers (TF GraphDef, TF.js, Keras, ONNX, Caffe) lower a trained model
    into `tfg`. Each op corresponds to one framework-level operation; the
    framework node name is kept as the op's `NameLoc` location so that users
    can refer to nodes by name (`--input-nodes`, `--ignore-nodes`) and every
    diagnostic names the node it is about. Tensors are `f32` in NHWC layout;
    convolution filters are HWIO (TensorFlow's layout).

    `tfg` is executable by the float interpreter (`vai-translate
    --interpret-float`), which is the reference for calibration.
  }];
  let cppNamespace = "::vai::tfg";
  let useDefaultAttributePrinterParser = 1;
  // Folded constant subgraphs become `tfg.const` (TfgDialect.cpp).
  let hasConstantMaterializer = 1;
}

def Tfg_Activation : I32EnumAttr<"Activation",
    "nonlinearity fused into a producing op", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"relu", 1>,
      I32EnumAttrCase<"relu6", 2>,
      I32EnumAttrCase<"leaky_relu", 3>
    ]> {
  let cppNamespace = "::vai::tfg";
  let genSpecializedAttr = 0;
}

def Tfg_ActivationAttr : EnumAttr<Tfg_Dialect, Tfg_Activation, "activation"> {
  let assemblyFormat = "`<` $value `>`";
}

class Tfg_Op<string mnemonic, list<Trait> traits = []>
    : Op<Tfg_Dialect, mnemonic, traits>;

#endif // VAI_TFG_DIALECT
