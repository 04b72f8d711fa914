// RUN: vai-translate --assemble-mc -verify-diagnostics -split-input-file %s

dpu.program "p" isa1 {
  // expected-error @+1 {{attribute 'bank_id' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative whose maximum value is 63}}
  dpu.isa1.load bank_addr = 0, bank_id = 64, dpdby = 0, dpdon = 0, jump_write = 0, jump_read = 0, length = 0, channel = 0, pad_idx = 0, reg_id = 0, const_value = 0, broadcast = 0, mode_avg = 0, pad_end = 0, pad_start = 0, ddr_addr = 0
}

// -----

dpu.program "p" isa1 {
  // expected-error @+1 {{attribute 'dpdon' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative whose maximum value is 15}}
  dpu.isa1.end dpdby = 0, dpdon = -1
}

// -----

dpu.program "p" isa0 {
  // expected-error @+1 {{attribute 'word1' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative whose maximum value is 4294967295}}
  dpu.isa0.elewinit word0 = 0, dpdby = 0, dpdon = 0, word1 = 4294967296
}

// -----

dpu.program "p" isa0 {
  // expected-error @+1 {{'dpu.isa1.end' op is not an isa0 instruction and cannot be in this program}}
  dpu.isa1.end dpdby = 2, dpdon = 2
}

// -----

// expected-error @+1 {{'dpu.program' op isa must be isa0 or isa1, not 'isa2'}}
dpu.program "p" isa2 {
}

// -----

// expected-error @+1 {{'dpu.isa1.end' op expects parent op 'dpu.program'}}
dpu.isa1.end dpdby = 2, dpdon = 2
