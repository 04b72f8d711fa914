//===- DpuInstructions.td - DPU machine instructions -------*- tablegen -*-===//
//
// The instruction level of the dpu dialect: one op per opcode per ISA, each
// field of the instruction an integer attribute. The field lists below are
// the single field table of each ISA: ODS builds the attributes, their width
// constraints, the assembly format and the C++ table (kFieldNames /
// kFieldBits) from them, and lib/Dialect/Dpu/Isa decodes and encodes through
// that table only.
//
// Field layouts (facts, not code): Xilinx/Vitis-AI
// src/vai_runtime/vart/trace/vaitrace/writer/parser/dpu_mc_parser/inc/
// dpuczdx8g_isa1.h and dpuczdx8g_isa0.h (C bit-fields, LSB first, 32-bit
// little-endian words). Opcode = w0[31:28] for every instruction.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_DPU_INSTRUCTIONS
#define VAI_DPU_INSTRUCTIONS

include "dpu/DpuDialect.td"

/// One named field: bits [hi:lo] of 32-bit word `word` of the instruction.
class DpuIsaField<string fieldName, int fieldWord, int fieldHi, int fieldLo> {
  string name = fieldName;
  int word = fieldWord;
  int hi = fieldHi;
  int lo = fieldLo;
}

/// An unsigned field value that fits `width` bits.
class DpuIsaFieldAttr<int width>
    : ConfinedAttr<I64Attr, [IntNonNegative,
                             IntMaxValue<!sub(!shl(1, width), 1)>]>;

// The dependency flags sit at the same place in word 0 of every instruction
// of both ISAs (ISA1.md §2: dpdon w0[27:24], dpdby w0[23:20]). The ISA0
// header spells dpdby "dpby" in LOAD/SAVE; one name serves both here.
defvar DpuIsaDpdby = DpuIsaField<"dpdby", 0, 23, 20>;
defvar DpuIsaDpdon = DpuIsaField<"dpdon", 0, 27, 24>;

/// One instruction of `isa` ("isa0" or "isa1"): opcode `opc`, `words` 32-bit
/// words, the fields in header order. Bits covered by no field (nor by the
/// opcode) are reserved and must be zero.
class Dpu_InstructionOp<string isa, string name, int opc, int words,
                        list<DpuIsaField> fields, string brief>
    : Dpu_Op<isa # "." # name, [HasParent<"ProgramOp">]> {
  let summary = brief;
  let description = "Opcode " # opc # ", " # words # " words. Fields (`wN[hi:lo]` "
      # "= bits of 32-bit word N):\n\n| field | bits |\n|---|---|\n"
      # !interleave(!foreach(f, fields, "| `" # f.name # "` | w" # f.word # "["
                                       # f.hi # ":" # f.lo # "] |"), "\n")
      # "\n";
  let arguments = !foldl((ins), fields, acc, f,
      !con(acc, !dag(ins, [DpuIsaFieldAttr<!add(!sub(f.hi, f.lo), 1)>],
                     [f.name])));
  let assemblyFormat = !interleave(!foreach(f, fields,
      "`" # f.name # "` `=` $" # f.name), " `,` ") # " attr-dict";
  let extraClassDeclaration = "static constexpr unsigned kIsa = "
      # !if(!eq(isa, "isa0"), "0", "1") # ";\n"
      # "static constexpr unsigned kOpcode = " # opc # ";\n"
      # "static constexpr unsigned kNumWords = " # words # ";\n"
      # "static constexpr ::llvm::StringLiteral kMnemonic = \"" # name # "\";\n"
      # "static constexpr ::llvm::StringLiteral kFieldNames[] = {"
      # !interleave(!foreach(f, fields, "\"" # f.name # "\""), ", ") # "};\n"
      # "/// {word, hi, lo} of each field of kFieldNames.\n"
      # "static constexpr unsigned char kFieldBits[][3] = {"
      # !interleave(!foreach(f, fields, "{" # f.word # ", " # f.hi # ", "
                                        # f.lo # "}"), ", ") # "};\n";
}

//===----------------------------------------------------------------------===//
// Container
//===----------------------------------------------------------------------===//

def Dpu_ProgramOp : Dpu_Op<"program", [IsolatedFromAbove, NoTerminator,
    SingleBlock, NoRegionArguments]> {
  let summary = "One DPU machine-code program (an `mc_code` blob)";
  let description = [{
    The instructions of one program, in execution-stream order; assembling
    the body gives back the machine code byte for byte. `isa` is `isa0` or
    `isa1` and every instruction in the body must belong to it. A program
    for one layer of another program (the child subgraphs of v2.5 xmodels
    and `.mc` dumps carry their own code) names that program in `layer_of`.

    ```mlir
    dpu.program "subgraph_conv1" isa1 {
      dpu.isa1.load bank_addr = 0, bank_id = 33, dpdby = 0, dpdon = 0, ...
      ...
      dpu.isa1.end dpdby = 2, dpdon = 2
    }
    ```
  }];
  let arguments = (ins StrAttr:$name, StrAttr:$isa,
      OptionalAttr<StrAttr>:$layer_of);
  let regions = (region SizedRegion<1>:$code);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// DPUCZDX8G ISA1 (dpuczdx8g_isa1.h)
//===----------------------------------------------------------------------===//

def Dpu_Isa1LoadOp : Dpu_InstructionOp<"isa1", "load", 0x0, 5, [
    DpuIsaField<"bank_addr", 0, 11, 0>, DpuIsaField<"bank_id", 0, 19, 14>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"jump_write", 1, 9, 0>, DpuIsaField<"jump_read", 1, 25, 10>,
    DpuIsaField<"length", 2, 9, 0>, DpuIsaField<"channel", 2, 23, 10>,
    DpuIsaField<"pad_idx", 2, 31, 27>,
    DpuIsaField<"reg_id", 3, 2, 0>, DpuIsaField<"const_value", 3, 15, 8>,
    DpuIsaField<"broadcast", 3, 19, 16>, DpuIsaField<"mode_avg", 3, 21, 20>,
    DpuIsaField<"pad_end", 3, 26, 22>, DpuIsaField<"pad_start", 3, 31, 27>,
    DpuIsaField<"ddr_addr", 4, 28, 0>],
    "LOAD: DDR to one on-chip bank">;

def Dpu_Isa1AluInitOp : Dpu_InstructionOp<"isa1", "aluinit", 0x1, 6, [
    DpuIsaField<"kernel_w", 0, 7, 0>, DpuIsaField<"kernel_h", 0, 15, 8>,
    DpuIsaField<"exec_mode", 0, 19, 16>, DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"stride_offset_out", 1, 7, 0>,
    DpuIsaField<"stride_offset_in", 1, 15, 8>,
    DpuIsaField<"stride_w", 1, 23, 16>, DpuIsaField<"stride_h", 1, 31, 24>,
    DpuIsaField<"length", 2, 10, 0>, DpuIsaField<"channel_offset", 2, 15, 11>,
    DpuIsaField<"channel_group", 2, 23, 16>,
    DpuIsaField<"stride_out", 2, 31, 24>,
    DpuIsaField<"shift_prelu_n", 3, 5, 0>, DpuIsaField<"shift_cut", 3, 11, 6>,
    DpuIsaField<"shift_bias", 3, 17, 12>, DpuIsaField<"act_type", 3, 21, 18>,
    DpuIsaField<"shift_prelu_p", 3, 27, 22>,
    DpuIsaField<"jump_read_endl", 4, 12, 0>, DpuIsaField<"jump_read", 4, 22, 13>,
    DpuIsaField<"multi_factor", 4, 30, 23>,
    DpuIsaField<"jump_write_endl", 5, 12, 0>,
    DpuIsaField<"jump_write", 5, 22, 13>,
    DpuIsaField<"jump_read_weights", 5, 31, 23>],
    "ALUINIT: per-layer state of the MISC (ALU) engine">;

def Dpu_Isa1AluOp : Dpu_InstructionOp<"isa1", "alu", 0x2, 5, [
    DpuIsaField<"bank_addr_out", 0, 13, 0>, DpuIsaField<"bank_id_out", 0, 19, 14>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"bank_addr_in", 1, 13, 0>, DpuIsaField<"bank_id_in", 1, 19, 14>,
    DpuIsaField<"valid_pixel_parallel", 1, 22, 20>,
    DpuIsaField<"pad_bottom", 1, 30, 23>,
    DpuIsaField<"bank_addr_in_1", 2, 13, 0>, DpuIsaField<"pad_right", 2, 21, 14>,
    DpuIsaField<"pad_left", 2, 25, 22>, DpuIsaField<"pad_top", 2, 29, 26>,
    DpuIsaField<"bank_addr_in_2", 3, 13, 0>,
    DpuIsaField<"bank_addr_weights", 3, 27, 14>,
    DpuIsaField<"kernel_d", 3, 31, 28>,
    DpuIsaField<"bank_addr_in_3", 4, 13, 0>,
    DpuIsaField<"bank_addr_bias", 4, 27, 14>],
    "ALU: one tile on the MISC (ALU) engine">;

def Dpu_Isa1SaveOp : Dpu_InstructionOp<"isa1", "save", 0x4, 5, [
    DpuIsaField<"bank_addr", 0, 11, 0>, DpuIsaField<"bank_id", 0, 19, 14>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"jump_read", 1, 9, 0>, DpuIsaField<"jump_write", 1, 25, 10>,
    DpuIsaField<"hp_id", 1, 30, 29>,
    DpuIsaField<"length", 2, 9, 0>, DpuIsaField<"channel", 2, 21, 10>,
    DpuIsaField<"reg_id", 3, 2, 0>, DpuIsaField<"const_value", 3, 15, 8>,
    DpuIsaField<"const_en", 3, 16, 16>,
    DpuIsaField<"ddr_addr", 4, 28, 0>],
    "SAVE: one on-chip bank to DDR">;

def Dpu_Isa1PoolInitOp : Dpu_InstructionOp<"isa1", "poolinit", 0x6, 2, [
    DpuIsaField<"jump_read", 0, 9, 0>, DpuIsaField<"kernel_h", 0, 12, 10>,
    DpuIsaField<"kernel_w", 0, 15, 13>, DpuIsaField<"shift_cut", 0, 19, 16>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"pool_type", 1, 1, 0>, DpuIsaField<"stride_h", 1, 4, 2>,
    DpuIsaField<"stride_w", 1, 7, 5>, DpuIsaField<"stride_offset_in", 1, 10, 8>,
    DpuIsaField<"valid_pixel_parallel", 1, 13, 11>,
    DpuIsaField<"stride_offset_out", 1, 16, 14>,
    DpuIsaField<"stride_out", 1, 20, 17>, DpuIsaField<"jump_write", 1, 30, 21>],
    "POOLINIT: per-layer state of the pooling engine">;

def Dpu_Isa1EndOp : Dpu_InstructionOp<"isa1", "end", 0x7, 1, [
    DpuIsaDpdby, DpuIsaDpdon],
    "END: the last instruction of a program">;

def Dpu_Isa1ConvOp : Dpu_InstructionOp<"isa1", "conv", 0x8, 5, [
    DpuIsaField<"bank_addr_in", 0, 11, 0>, DpuIsaField<"pad_top", 0, 15, 12>,
    DpuIsaField<"pad_left", 0, 19, 16>, DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"bank_addr_out", 1, 11, 0>, DpuIsaField<"pad_bottom", 1, 15, 12>,
    DpuIsaField<"pad_right", 1, 19, 16>, DpuIsaField<"channel_group", 1, 31, 24>,
    DpuIsaField<"bank_addr_weights", 2, 11, 0>,
    DpuIsaField<"bank_id_in", 2, 17, 12>, DpuIsaField<"length", 2, 31, 22>,
    DpuIsaField<"bank_addr_bias", 3, 11, 0>,
    DpuIsaField<"bank_id_out", 3, 17, 12>,
    DpuIsaField<"bank_addr_in_1", 3, 29, 18>,
    DpuIsaField<"bank_addr_in_2", 4, 11, 0>,
    DpuIsaField<"bank_addr_in_3", 4, 23, 12>,
    DpuIsaField<"channel_offset", 4, 28, 24>],
    "CONV: one tile on the convolution engine">;

def Dpu_Isa1ConvInitOp : Dpu_InstructionOp<"isa1", "convinit", 0x9, 4, [
    DpuIsaField<"jump_read", 0, 9, 0>, DpuIsaField<"shift_cut", 0, 15, 10>,
    DpuIsaField<"act_type", 0, 19, 16>, DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"jump_read_endl", 1, 9, 0>, DpuIsaField<"shift_bias", 1, 15, 10>,
    DpuIsaField<"stride_out", 1, 31, 28>,
    DpuIsaField<"jump_write", 2, 9, 0>, DpuIsaField<"stride_offset_in", 2, 12, 10>,
    DpuIsaField<"valid_pixel_parallel", 2, 15, 13>,
    DpuIsaField<"kernel_h", 2, 27, 24>, DpuIsaField<"stride_h", 2, 31, 28>,
    DpuIsaField<"jump_write_endl", 3, 9, 0>,
    DpuIsaField<"stride_offset_out", 3, 12, 10>,
    DpuIsaField<"kernel_w", 3, 27, 24>, DpuIsaField<"stride_w", 3, 31, 28>],
    "CONVINIT: per-layer state of the convolution engine">;

def Dpu_Isa1DptWiseOp : Dpu_InstructionOp<"isa1", "dptwise", 0xA, 5, [
    DpuIsaField<"bank_addr_in", 0, 11, 0>, DpuIsaField<"channel_group", 0, 19, 12>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"bank_addr_out", 1, 11, 0>, DpuIsaField<"pad_bottom", 1, 19, 16>,
    DpuIsaField<"pad_top", 1, 23, 20>, DpuIsaField<"pad_right", 1, 27, 24>,
    DpuIsaField<"pad_left", 1, 31, 28>,
    DpuIsaField<"bank_addr_weights", 2, 11, 0>,
    DpuIsaField<"bank_id_in", 2, 17, 12>, DpuIsaField<"length", 2, 27, 18>,
    DpuIsaField<"act_type", 2, 31, 28>,
    DpuIsaField<"bank_addr_bias", 3, 11, 0>,
    DpuIsaField<"bank_id_out", 3, 17, 12>,
    DpuIsaField<"bank_addr_in_1", 3, 29, 18>,
    DpuIsaField<"bank_addr_in_2", 4, 11, 0>,
    DpuIsaField<"bank_addr_in_3", 4, 23, 12>,
    DpuIsaField<"channel_offset", 4, 28, 24>],
    "DPTWISE: one tile on the depthwise-convolution engine">;

def Dpu_Isa1DwInitOp : Dpu_InstructionOp<"isa1", "dwinit", 0xB, 3, [
    DpuIsaField<"jump_read_endl", 0, 9, 0>, DpuIsaField<"jump_read", 0, 19, 10>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"jump_write_endl", 1, 9, 0>, DpuIsaField<"kernel_h", 1, 13, 10>,
    DpuIsaField<"kernel_w", 1, 17, 14>, DpuIsaField<"stride_h", 1, 21, 18>,
    DpuIsaField<"stride_w", 1, 25, 22>,
    DpuIsaField<"valid_pixel_parallel", 1, 28, 26>,
    DpuIsaField<"stride_offset_in", 1, 31, 29>,
    DpuIsaField<"shift_cut", 2, 5, 0>, DpuIsaField<"shift_bias", 2, 11, 6>,
    DpuIsaField<"stride_offset_out", 2, 14, 12>,
    DpuIsaField<"stride_out", 2, 18, 15>, DpuIsaField<"jump_write", 2, 28, 19>],
    "DWINIT: per-layer state of the depthwise-convolution engine">;

def Dpu_Isa1PoolOp : Dpu_InstructionOp<"isa1", "pool", 0xC, 5, [
    DpuIsaField<"bank_addr_in", 0, 11, 0>, DpuIsaField<"channel_group", 0, 19, 12>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"bank_id_in", 1, 5, 0>, DpuIsaField<"pad_bottom", 1, 8, 6>,
    DpuIsaField<"pad_right", 1, 11, 9>, DpuIsaField<"pad_top", 1, 14, 12>,
    DpuIsaField<"pad_left", 1, 17, 15>,
    DpuIsaField<"jump_write_endl", 1, 29, 18>,
    DpuIsaField<"bank_id_out", 2, 5, 0>, DpuIsaField<"length", 2, 15, 6>,
    DpuIsaField<"jump_read_endl", 2, 27, 16>,
    DpuIsaField<"bank_addr_out", 3, 11, 0>,
    DpuIsaField<"bank_addr_in_1", 3, 23, 12>,
    DpuIsaField<"downsample_kernel_w", 3, 31, 24>,
    DpuIsaField<"bank_addr_in_2", 4, 11, 0>,
    DpuIsaField<"bank_addr_in_3", 4, 23, 12>,
    DpuIsaField<"downsample_kernel_h", 4, 31, 24>],
    "POOL: one tile on the pooling engine">;

def Dpu_Isa1ElewInitOp : Dpu_InstructionOp<"isa1", "elewinit", 0xD, 3, [
    DpuIsaField<"share_pp", 0, 13, 13>, DpuIsaField<"bank_id_in", 0, 19, 14>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"bank_addr_in", 1, 13, 0>,
    DpuIsaField<"jump_read_endl", 1, 26, 14>, DpuIsaField<"id", 1, 28, 27>,
    DpuIsaField<"jump_bank", 1, 31, 29>,
    DpuIsaField<"jump_read", 2, 11, 0>, DpuIsaField<"shift_read", 2, 15, 12>],
    "ELEWINIT: one input of the elementwise engine">;

def Dpu_Isa1ElewOp : Dpu_InstructionOp<"isa1", "elew", 0xE, 3, [
    DpuIsaField<"length", 0, 10, 0>, DpuIsaField<"act_type", 0, 11, 11>,
    DpuIsaField<"elew_type", 0, 13, 12>, DpuIsaField<"bank_id_out", 0, 19, 14>,
    DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"bank_addr_out", 1, 13, 0>,
    DpuIsaField<"jump_write_endl", 1, 26, 14>, DpuIsaField<"num", 1, 28, 27>,
    DpuIsaField<"valid_pixel_parallel", 1, 31, 29>,
    DpuIsaField<"jump_write", 2, 11, 0>, DpuIsaField<"shift_write", 2, 16, 12>,
    DpuIsaField<"channel_group", 2, 24, 17>],
    "ELEW: one tile on the elementwise engine">;

//===----------------------------------------------------------------------===//
// DPUCZDX8G ISA0 (dpuczdx8g_isa0.h)
//===----------------------------------------------------------------------===//

def Dpu_Isa0LoadOp : Dpu_InstructionOp<"isa0", "load", 0x0, 4, [
    DpuIsaField<"bank_addr", 0, 11, 0>, DpuIsaField<"bank_id", 0, 17, 12>,
    DpuIsaField<"hp_id", 0, 19, 18>, DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"jump_read", 1, 15, 0>, DpuIsaField<"pad_idx", 1, 20, 16>,
    DpuIsaField<"pad_end", 1, 25, 21>, DpuIsaField<"pad_start", 1, 30, 26>,
    DpuIsaField<"channel", 2, 11, 0>, DpuIsaField<"mode_avg", 2, 13, 12>,
    DpuIsaField<"length", 2, 23, 14>, DpuIsaField<"jump_write", 2, 31, 24>,
    DpuIsaField<"ddr_addr", 3, 28, 0>, DpuIsaField<"reg_id", 3, 31, 29>],
    "LOAD (ISA0): DDR to one on-chip bank">;

def Dpu_Isa0SaveOp : Dpu_InstructionOp<"isa0", "save", 0x4, 4, [
    DpuIsaField<"bank_addr", 0, 11, 0>, DpuIsaField<"bank_id", 0, 17, 12>,
    DpuIsaField<"hp_id", 0, 19, 18>, DpuIsaDpdby, DpuIsaDpdon,
    DpuIsaField<"jump_write", 1, 15, 0>,
    DpuIsaField<"channel", 2, 11, 0>, DpuIsaField<"length", 2, 23, 14>,
    DpuIsaField<"jump_read", 2, 31, 24>,
    DpuIsaField<"ddr_addr", 3, 28, 0>, DpuIsaField<"reg_id", 3, 31, 29>],
    "SAVE (ISA0): one on-chip bank to DDR">;

// The ISA0 header gives only opcodes and lengths for the other instructions,
// so they keep the flags and carry the rest of each word as raw fields
// (`word0` = w0[19:0], `wordN` = wN[31:0]); nothing in them is reserved.
defvar DpuIsa0Raw0 = DpuIsaField<"word0", 0, 19, 0>;
defvar DpuIsa0Raw1 = DpuIsaField<"word1", 1, 31, 0>;
defvar DpuIsa0Raw2 = DpuIsaField<"word2", 2, 31, 0>;
defvar DpuIsa0Raw3 = DpuIsaField<"word3", 3, 31, 0>;
defvar DpuIsa0Raw4 = DpuIsaField<"word4", 4, 31, 0>;

def Dpu_Isa0PoolInitOp : Dpu_InstructionOp<"isa0", "poolinit", 0x6, 2, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1],
    "POOLINIT (ISA0; field layout not public)">;

def Dpu_Isa0EndOp : Dpu_InstructionOp<"isa0", "end", 0x7, 1, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon],
    "END (ISA0; field layout not public)">;

def Dpu_Isa0ConvOp : Dpu_InstructionOp<"isa0", "conv", 0x8, 5, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1, DpuIsa0Raw2,
    DpuIsa0Raw3, DpuIsa0Raw4],
    "CONV (ISA0; field layout not public)">;

def Dpu_Isa0ConvInitOp : Dpu_InstructionOp<"isa0", "convinit", 0x9, 4, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1, DpuIsa0Raw2,
    DpuIsa0Raw3],
    "CONVINIT (ISA0; field layout not public)">;

def Dpu_Isa0DptWiseOp : Dpu_InstructionOp<"isa0", "dptwise", 0xA, 5, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1, DpuIsa0Raw2,
    DpuIsa0Raw3, DpuIsa0Raw4],
    "DPTWISE (ISA0; field layout not public)">;

def Dpu_Isa0DwInitOp : Dpu_InstructionOp<"isa0", "dwinit", 0xB, 3, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1, DpuIsa0Raw2],
    "DWINIT (ISA0; field layout not public)">;

def Dpu_Isa0PoolOp : Dpu_InstructionOp<"isa0", "pool", 0xC, 5, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1, DpuIsa0Raw2,
    DpuIsa0Raw3, DpuIsa0Raw4],
    "POOL (ISA0; field layout not public)">;

def Dpu_Isa0ElewInitOp : Dpu_InstructionOp<"isa0", "elewinit", 0xD, 2, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1],
    "ELEWINIT (ISA0; field layout not public)">;

def Dpu_Isa0ElewOp : Dpu_InstructionOp<"isa0", "elew", 0xE, 3, [
    DpuIsa0Raw0, DpuIsaDpdby, DpuIsaDpdon, DpuIsa0Raw1, DpuIsa0Raw2],
    "ELEW (ISA0; field layout not public)">;

#endif // VAI_DPU_INSTRUCTIONS
