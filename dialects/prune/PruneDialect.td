//===- PruneDialect.td - channel pruning dialect -----------*- tablegen -*-===//

#ifndef VAI_PRUNE_DIALECT
#define VAI_PRUNE_DIALECT

include "mlir/IR/OpBase.td"

def Prune_Dialect : Dialect {
  let name = "prune";
  let summary = "Coupled channel groups and keep masks for channel pruning";
  let description = [{
    Channels of several layers are tied together: a residual add, a concat,
    a depthwise convolution or a flatten-to-dense forces the same channels
    to be kept in all of them. A `prune.channel_group` names such a set of
    nodes and its channel count; a `prune.mask` applies one group's keep
    mask to a tensor (dropped channels become zero), which is how sparsity is
    simulated before `prune-apply` rewrites `tfg` to the dense, smaller
    graph.
  }];
  let cppNamespace = "::vai::prune";
}

class Prune_Op<string mnemonic, list<Trait> traits = []>
    : Op<Prune_Dialect, mnemonic, traits>;

#endif // VAI_PRUNE_DIALECT
