//===- PruneOps.td - prune operations ----------------------*- tablegen -*-===//

#ifndef VAI_PRUNE_OPS
#define VAI_PRUNE_OPS

include "prune/PruneDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Prune_ChannelGroupOp : Prune_Op<"channel_group", [Symbol]> {
  let summary = "A set of nodes whose output channels are pruned together";
  let description = [{
    `members` are node names (the `NameLoc` of `tfg` ops); `channels` is the
    channel count they share. A node belongs to at most one group.

    ```mlir
    prune.channel_group @block1 {channels = 16 : i64, members = ["conv1", "conv3"]}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$channels,
      StrArrayAttr:$members);
  let assemblyFormat = "$sym_name attr-dict";
  let hasVerifier = 1;
}

def Prune_MaskOp : Prune_Op<"mask", [Pure, SameOperandsAndResultType,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Zero the channels a group drops";
  let description = [{
    `keep[c]` says whether channel `c` (the last dimension) survives; its
    length must equal the group's channel count and the tensor's channels.

    ```mlir
    %y = prune.mask %x group @block1 {keep = array<i1: true, false, true, true>}
         : tensor<?x14x14x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, FlatSymbolRefAttr:$group,
      DenseBoolArrayAttr:$keep);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input `group` $group attr-dict `:` type($output)";
  let hasVerifier = 1;
}

#endif // VAI_PRUNE_OPS
