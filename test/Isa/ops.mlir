// RUN: vai-translate --assemble-mc %s -o %t.bin
// RUN: %python -c "import struct, sys; w = struct.unpack('<%%dI' %% (len(open(sys.argv[1], 'rb').read()) // 4), open(sys.argv[1], 'rb').read()); print(' '.join('%%08x' %% x for x in w))" %t.bin | FileCheck %s --check-prefix=WORDS
// RUN: vai-translate --disassemble-mc --isa=isa1 %t.bin | FileCheck %s

// Hand-encoded from ISA1.md §4 (opcode w0[31:28], dpdon w0[27:24], dpdby
// w0[23:20]):
// LOAD: bank_id 33 << 14, dpdon 1, dpdby 1 -> w0 = 0x01184000;
//       jump_read 63 << 10 = 0xfc00; channel 63 << 10 = 0xfc00, length 99;
//       reg_id 2; ddr_addr 0x1234.
// CONVINIT: opcode 9, shift_cut 4 << 10, act_type 1 << 16, flags 4/4
//       -> w0 = 0x94411000; shift_bias 3 << 10 = 0xc00; valid_pixel_parallel
//       7 << 13 = 0xe000, jump_write 3 -> w2 = 0xe003; w3 = 0.
// END: on = S, by = S -> 0x72200000.
// WORDS: 01184000 0000fc00 0000fc63 00000002 00001234 94411000 00000c00 0000e003 00000000 72200000

// CHECK-LABEL: dpu.program "{{.*}}" isa1 {
// CHECK-NEXT: dpu.isa1.load bank_addr = 0, bank_id = 33, dpdby = 1, dpdon = 1, jump_write = 0, jump_read = 63, length = 99, channel = 63, pad_idx = 0, reg_id = 2, const_value = 0, broadcast = 0, mode_avg = 0, pad_end = 0, pad_start = 0, ddr_addr = 4660
// CHECK-NEXT: dpu.isa1.convinit jump_read = 0, shift_cut = 4, act_type = 1, dpdby = 4, dpdon = 4, jump_read_endl = 0, shift_bias = 3, stride_out = 0, jump_write = 3, stride_offset_in = 0, valid_pixel_parallel = 7, kernel_h = 0, stride_h = 0, jump_write_endl = 0, stride_offset_out = 0, kernel_w = 0, stride_w = 0
// CHECK-NEXT: dpu.isa1.end dpdby = 2, dpdon = 2
// CHECK-NEXT: }

dpu.program "example" isa1 {
  dpu.isa1.load bank_addr = 0, bank_id = 33, dpdby = 1, dpdon = 1, jump_write = 0, jump_read = 63, length = 99, channel = 63, pad_idx = 0, reg_id = 2, const_value = 0, broadcast = 0, mode_avg = 0, pad_end = 0, pad_start = 0, ddr_addr = 4660
  dpu.isa1.convinit jump_read = 0, shift_cut = 4, act_type = 1, dpdby = 4, dpdon = 4, jump_read_endl = 0, shift_bias = 3, stride_out = 0, jump_write = 3, stride_offset_in = 0, valid_pixel_parallel = 7, kernel_h = 0, stride_h = 0, jump_write_endl = 0, stride_offset_out = 0, kernel_w = 0, stride_w = 0
  dpu.isa1.end dpdby = 2, dpdon = 2
}
