// RUN: vai-opt %s -split-input-file -verify-diagnostics

// One case per prune verifier diagnostic, including the symbol-use checks of
// prune.mask against its channel group.

//===----------------------------------------------------------------------===//
// channel_group
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'prune.channel_group' op expects a positive channel count}}
prune.channel_group @zero {channels = 0 : i64, members = ["conv1"]}

// -----

// expected-error @+1 {{'prune.channel_group' op expects at least one member node}}
prune.channel_group @empty {channels = 4 : i64, members = []}

// -----

// expected-error @+1 {{'prune.channel_group' op lists member 'conv1' twice}}
prune.channel_group @twice {channels = 4 : i64, members = ["conv1", "conv3", "conv1"]}

// -----

//===----------------------------------------------------------------------===//
// mask
//===----------------------------------------------------------------------===//

prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}

func.func @mask_keep_vs_channels(%x: tensor<?x14x14x3xf32>) {
  // expected-error @+1 {{'prune.mask' op has 4 keep flags for 3 channels}}
  %y = prune.mask %x group @block1 {keep = array<i1: true, false, true, true>}
       : tensor<?x14x14x3xf32>
  return
}

// -----

prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}

func.func @mask_keep_vs_group(%x: tensor<?x14x14x3xf32>) {
  // expected-error @+1 {{'prune.mask' op has 3 keep flags but group @block1 has 4 channels}}
  %y = prune.mask %x group @block1 {keep = array<i1: true, false, true>}
       : tensor<?x14x14x3xf32>
  return
}

// -----

// With an unknown channel count only the group decides.
prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}

func.func @mask_dynamic_channels_vs_group(%x: tensor<?x?xf32>) {
  // expected-error @+1 {{'prune.mask' op has 5 keep flags but group @block1 has 4 channels}}
  %y = prune.mask %x group @block1 {keep = array<i1: true, false, true, true, true>}
       : tensor<?x?xf32>
  return
}

// -----

prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}

func.func @mask_unknown_group(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'prune.mask' op refers to an unknown channel group @block2}}
  %y = prune.mask %x group @block2 {keep = array<i1: true, false, true, true>}
       : tensor<?x4xf32>
  return
}

// -----

// A symbol that is not a channel group does not count as one.
func.func @mask_group_is_a_function(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'prune.mask' op refers to an unknown channel group @mask_group_is_a_function}}
  %y = prune.mask %x group @mask_group_is_a_function
       {keep = array<i1: true, false, true, true>} : tensor<?x4xf32>
  return
}

// -----

prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}

func.func @mask_drops_every_channel(%x: tensor<?x4xf32>) {
  // expected-error @+1 {{'prune.mask' op drops every channel}}
  %y = prune.mask %x group @block1 {keep = array<i1: false, false, false, false>}
       : tensor<?x4xf32>
  return
}

// -----

prune.channel_group @block1 {channels = 4 : i64, members = ["conv1", "conv3"]}

func.func @mask_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'prune.mask' op expects a tensor with a channel dimension}}
  %y = prune.mask %x group @block1 {keep = array<i1: true, false, true, true>}
       : tensor<f32>
  return
}
