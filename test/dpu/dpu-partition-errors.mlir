// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/unknown-target.json}))' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/bad-fingerprint.json}))' 2>&1 | FileCheck %s --check-prefix=FINGERPRINT
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/missing.json}))' 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(dpu-partition))' 2>&1 | FileCheck %s --check-prefix=NONE

// UNKNOWN: error: dpu-partition: {{.*}}unknown-target.json: unknown target 'DPUCZDX8G_ISA1_B9999' (known: {{.*}}DPUCZDX8G_ISA1_B4096
// FINGERPRINT: error: dpu-partition: {{.*}}bad-fingerprint.json: malformed fingerprint '0x10G'
// MISSING: error: dpu-partition: {{.*}}missing.json{{.*}}No such file or directory
// NONE: error: dpu-partition: no target (option 'arch')
func.func @f(%x: tensor<1xf32>) -> tensor<1xf32> {
  return %x : tensor<1xf32>
}
