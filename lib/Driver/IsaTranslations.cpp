//===- IsaTranslations.cpp - vai-translate DPU machine-code translations --===//
//
// Machine code comes from three kinds of files: an .xmodel (every subgraph
// with a non-empty `mc_code`; in v2.5 builds the DPU subgraph and each of its
// layer leaves), the JSON-lines `.mc` dumps (one program per line, hex in
// "mc_code_sstr.str()"), and raw bytes (with --isa). docs/isa.md describes
// the translations.
//
//===----------------------------------------------------------------------===//

#include "vai/Driver/IsaTranslations.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "vai/Dialect/Dpu/DpuDialect.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Dpu/Isa.h"
#include "vai/Proto/XModel.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace vai::dpu;
using namespace vai::dpu::isa;

namespace {

llvm::cl::OptionCategory isaCategory("vai-translate machine-code options");

llvm::cl::opt<std::string> isaOption(
    "isa", llvm::cl::cat(isaCategory),
    llvm::cl::desc("disassemble-mc, mc-stats: the input is raw machine code "
                   "of this ISA (isa0 or isa1); for .mc JSON lines it "
                   "overrides each line's dpu_name"));
llvm::cl::opt<std::string> programOption(
    "program", llvm::cl::cat(isaCategory),
    llvm::cl::desc("disassemble-*, assemble-mc, mc-stats: only the program "
                   "(subgraph) of this name"));
llvm::cl::opt<std::string> mcDirOption(
    "mc-dir", llvm::cl::cat(isaCategory),
    llvm::cl::desc("assemble-mc: write each program to DIR/<name>.bin and "
                   "list them on the output"));

/// One program found in an input file.
struct McProgram {
  std::string name;
  Isa isa;
  std::string code;
  /// Number of enclosing programs: 1 for a v2.5 layer leaf inside its DPU
  /// subgraph.
  unsigned depth = 0;
  /// The name of the innermost enclosing program, if any.
  std::string layerOf;
};

llvm::ArrayRef<uint8_t> bytesOf(const std::string &s) {
  return {reinterpret_cast<const uint8_t *>(s.data()), s.size()};
}

/// The ISA a subgraph's attributes name, if they name one.
bool subgraphIsa(const vai::proto::XSubgraph &sg, std::optional<Isa> &isa,
                 std::string &error) {
  if (const vai::proto::XAttr *fp =
          vai::proto::findXAttr(sg.attrs, "dpu_fingerprint")) {
    uint64_t value = uint64_t(fp->integer());
    isa = isaFromFingerprint(value);
    if (!isa) {
      error = "subgraph '" + sg.name + "': dpu_fingerprint " +
              llvm::utohexstr(value) +
              " is not a DPUCZDX8G ISA0/ISA1 fingerprint (type byte 1, "
              "ISA byte 0 or 1)";
      return false;
    }
    return true;
  }
  if (const vai::proto::XAttr *name =
          vai::proto::findXAttr(sg.attrs, "dpu_name")) {
    isa = isaFromDpuName(name->s);
    if (!isa) {
      error = "subgraph '" + sg.name + "': dpu_name '" + name->s +
              "' names no DPUCZDX8G ISA0/ISA1 target";
      return false;
    }
  }
  return true;
}

bool collectSubgraph(const vai::proto::XSubgraph &sg, std::optional<Isa> isa,
                     unsigned depth, const std::string &layerOf,
                     std::vector<McProgram> &programs, std::string &error) {
  if (!subgraphIsa(sg, isa, error))
    return false;
  const vai::proto::XAttr *code = vai::proto::findXAttr(sg.attrs, "mc_code");
  if (code && !code->s.empty()) {
    if (!isa) {
      error = "subgraph '" + sg.name +
              "': has mc_code but neither it nor a parent has "
              "dpu_fingerprint or dpu_name, so its ISA is unknown";
      return false;
    }
    programs.push_back({sg.name, *isa, code->s, depth, layerOf});
    for (const vai::proto::XSubgraph &child : sg.children)
      if (!collectSubgraph(child, isa, depth + 1, sg.name, programs, error))
        return false;
    return true;
  }
  for (const vai::proto::XSubgraph &child : sg.children)
    if (!collectSubgraph(child, isa, depth, layerOf, programs, error))
      return false;
  return true;
}

bool collectXModel(llvm::StringRef bytes, std::vector<McProgram> &programs,
                   std::string &error) {
  vai::proto::XGraph graph;
  if (!vai::proto::readXModel(bytes.str(), graph, error))
    return false;
  return collectSubgraph(graph.root, std::nullopt, 0, "", programs, error);
}

/// The JSON-lines .mc format: one object per subgraph, in tree order, with
/// subgraph_name, dpu_name (empty on children, which inherit it), depth
/// (1 = top level) and the code as hex in "mc_code_sstr.str()" (empty for
/// subgraphs without code).
bool collectMcJson(llvm::StringRef text, std::optional<Isa> forcedIsa,
                   std::vector<McProgram> &programs, std::string &error) {
  // The enclosing lines of the current one.
  struct Open {
    int64_t depth;
    std::optional<Isa> isa;
    std::string program; // its name if it has code
  };
  std::vector<Open> open;
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  for (auto [index, rawLine] : llvm::enumerate(lines)) {
    llvm::StringRef line = rawLine.trim();
    if (line.empty())
      continue;
    std::string where = "line " + std::to_string(index + 1) + ": ";
    llvm::Expected<llvm::json::Value> value = llvm::json::parse(line);
    if (!value) {
      error = where + "not JSON: " + llvm::toString(value.takeError());
      return false;
    }
    const llvm::json::Object *object = value->getAsObject();
    if (!object) {
      error = where + "not a JSON object";
      return false;
    }
    std::optional<llvm::StringRef> name = object->getString("subgraph_name");
    std::optional<llvm::StringRef> hex =
        object->getString("mc_code_sstr.str()");
    if (!name || !hex) {
      error = where + "needs string keys \"subgraph_name\" and "
                      "\"mc_code_sstr.str()\"";
      return false;
    }
    int64_t depth = object->getInteger("depth").value_or(1);
    while (!open.empty() && open.back().depth >= depth)
      open.pop_back();
    std::optional<Isa> isa = forcedIsa;
    std::optional<llvm::StringRef> dpuName = object->getString("dpu_name");
    if (!isa && dpuName && !dpuName->empty()) {
      isa = isaFromDpuName(*dpuName);
      if (!isa) {
        error = where + "subgraph '" + name->str() + "': dpu_name '" +
                dpuName->str() +
                "' names no DPUCZDX8G ISA0/ISA1 target; give --isa";
        return false;
      }
    }
    if (!isa && !open.empty())
      isa = open.back().isa;
    std::string code;
    if (hex->size() % 2 != 0 || !llvm::tryGetFromHex(*hex, code)) {
      error = where + "subgraph '" + name->str() +
              "': \"mc_code_sstr.str()\" is not an even-length hex string";
      return false;
    }
    std::string layerOf;
    unsigned programDepth = 0;
    for (const Open &outer : open)
      if (!outer.program.empty()) {
        layerOf = outer.program;
        ++programDepth;
      }
    bool hasCode = !code.empty();
    if (hasCode) {
      if (!isa) {
        error = where + "subgraph '" + name->str() +
                "': no dpu_name here or above names its ISA; give --isa";
        return false;
      }
      programs.push_back(
          {name->str(), *isa, std::move(code), programDepth, layerOf});
    }
    open.push_back({depth, isa, hasCode ? name->str() : std::string()});
  }
  return true;
}

/// "PARENT/NAME" for a layer program, else NAME: what --program matches
/// first (a bare NAME then picks the first program so named).
std::string programPath(llvm::StringRef name, llvm::StringRef layerOf) {
  return layerOf.empty() ? name.str() : (layerOf + "/" + name).str();
}

/// Reads every program of the main input file: JSON lines if it starts with
/// `{"`, raw code if --isa is given (and `rawAllowed`), else an xmodel.
bool collectInput(llvm::SourceMgr &sourceMgr, bool xmodelAllowed,
                  std::vector<McProgram> &programs, std::string &error) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  llvm::StringRef bytes = buffer->getBuffer();
  std::string file = buffer->getBufferIdentifier().str();
  std::optional<Isa> forcedIsa;
  if (!isaOption.empty()) {
    forcedIsa = parseIsaName(isaOption);
    if (!forcedIsa) {
      error = "--isa='" + isaOption + "': expected isa0 or isa1";
      return false;
    }
  }
  bool ok;
  if (bytes.starts_with("{\"")) {
    ok = collectMcJson(bytes, forcedIsa, programs, error);
  } else if (forcedIsa) {
    llvm::StringRef stem = llvm::sys::path::stem(file);
    programs.push_back(
        {stem.empty() ? "program" : stem.str(), *forcedIsa, bytes.str(), 0});
    ok = true;
  } else if (xmodelAllowed) {
    ok = collectXModel(bytes, programs, error);
  } else {
    error = "raw machine code needs --isa=isa0|isa1 (a .mc JSON-lines file "
            "starts with '{\"')";
    ok = false;
  }
  if (!ok)
    return false;
  if (!programOption.empty()) {
    const McProgram *chosen = nullptr;
    for (const McProgram &program : programs)
      if (programPath(program.name, program.layerOf) == programOption) {
        chosen = &program;
        break;
      }
    for (const McProgram &program : programs)
      if (!chosen && program.name == programOption)
        chosen = &program;
    if (!chosen) {
      error = "no program named '" + programOption + "'";
      return false;
    }
    McProgram only = *chosen;
    only.depth = 0;
    programs = {std::move(only)};
  }
  return true;
}

OwningOpRef<Operation *> disassembleInput(llvm::SourceMgr &sourceMgr,
                                          MLIRContext *context,
                                          bool xmodelAllowed) {
  context->loadDialect<DpuDialect>();
  llvm::StringRef file = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                             ->getBufferIdentifier();
  Location fileLoc = FileLineColLoc::get(context, file, 0, 0);
  std::vector<McProgram> programs;
  std::string error;
  if (!collectInput(sourceMgr, xmodelAllowed, programs, error)) {
    emitError(fileLoc) << error;
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  OpBuilder builder = OpBuilder::atBlockEnd(module->getBody());
  for (const McProgram &program : programs) {
    Location loc =
        NameLoc::get(StringAttr::get(context, program.name), fileLoc);
    if (!disassemble(builder, loc, program.name, program.isa,
                     bytesOf(program.code), error, program.layerOf)) {
      emitError(fileLoc) << "subgraph '" << program.name << "': mc_code "
                         << error;
      return nullptr;
    }
  }
  return OwningOpRef<Operation *>(module.release());
}

/// A file-name-safe form of a program name.
std::string sanitize(llvm::StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '.' || c == '-' || c == '_' ? c
                                                                       : '_');
  return out;
}

LogicalResult assembleModule(Operation *op, llvm::raw_ostream &os) {
  SmallVector<ProgramOp> programs;
  op->walk([&](ProgramOp program) {
    programs.push_back(program);
    return WalkResult::skip();
  });
  if (!programOption.empty()) {
    auto path = [](ProgramOp program) {
      return programPath(program.getName(), program.getLayerOf().value_or(""));
    };
    auto chosen = llvm::find_if(
        programs, [&](ProgramOp p) { return path(p) == programOption; });
    if (chosen == programs.end())
      chosen = llvm::find_if(
          programs, [&](ProgramOp p) { return p.getName() == programOption; });
    SmallVector<ProgramOp> only;
    if (chosen != programs.end())
      only.push_back(*chosen);
    programs = std::move(only);
  }
  if (programs.empty())
    return emitError(op->getLoc())
           << (programOption.empty()
                   ? std::string("no dpu.program in the input")
                   : "no dpu.program named '" + programOption + "'");
  if (mcDirOption.empty()) {
    if (programs.size() > 1)
      return emitError(op->getLoc())
             << programs.size()
             << " dpu.program ops in the input: choose one with "
                "--program=NAME or write each with --mc-dir=DIR";
    std::vector<uint8_t> code;
    if (failed(assemble(programs.front(), code)))
      return failure();
    os.write(reinterpret_cast<const char *>(code.data()), code.size());
    return success();
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(mcDirOption))
    return emitError(op->getLoc())
           << "--mc-dir=" << mcDirOption << ": " << ec.message();
  llvm::StringSet<> used;
  for (ProgramOp program : programs) {
    // A layer program goes to DIR/<parent>/<name>.bin: in v2.5 builds a
    // layer may have the name of its DPU subgraph.
    llvm::SmallString<256> path(mcDirOption);
    if (std::optional<llvm::StringRef> parent = program.getLayerOf()) {
      llvm::sys::path::append(path, sanitize(*parent));
      if (std::error_code ec = llvm::sys::fs::create_directories(path))
        return program.emitOpError() << path << ": " << ec.message();
    }
    llvm::sys::path::append(path, sanitize(program.getName()) + ".bin");
    if (!used.insert(path).second)
      return program.emitOpError()
             << "file " << path << " is taken by another program";
    std::vector<uint8_t> code;
    if (failed(assemble(program, code)))
      return failure();
    std::error_code ec;
    llvm::raw_fd_ostream file(path, ec, llvm::sys::fs::OF_None);
    if (ec)
      return program.emitOpError()
             << "cannot write " << path << ": " << ec.message();
    file.write(reinterpret_cast<const char *>(code.data()), code.size());
    os << code.size() << "\t" << path << "\t" << program.getName() << "\n";
  }
  return success();
}

/// Instruction counts per opcode, one row per program, one table per ISA.
LogicalResult mcStats(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                      llvm::raw_ostream &os, MLIRContext *context) {
  llvm::StringRef file = sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID())
                             ->getBufferIdentifier();
  Location fileLoc = FileLineColLoc::get(context, file, 0, 0);
  std::vector<McProgram> programs;
  std::string error;
  if (!collectInput(*sourceMgr, /*xmodelAllowed=*/true, programs, error))
    return emitError(fileLoc) << error;

  for (Isa isa : {Isa::Isa0, Isa::Isa1}) {
    std::vector<std::array<uint64_t, 16>> counts;
    std::vector<const McProgram *> rows;
    std::array<bool, 16> used{};
    for (const McProgram &program : programs) {
      if (program.isa != isa)
        continue;
      std::array<uint64_t, 16> count{};
      if (!scanCode(
              bytesOf(program.code), isa,
              [&](size_t, const InstrDesc &desc, llvm::ArrayRef<uint32_t>) {
                ++count[desc.opcode];
                used[desc.opcode] = true;
              },
              error))
        return emitError(fileLoc)
               << "subgraph '" << program.name << "': mc_code " << error;
      counts.push_back(count);
      rows.push_back(&program);
    }
    if (rows.empty())
      continue;
    // Columns in opcode order; each as wide as its header or largest count.
    struct Column {
      std::string title;
      unsigned opcode; // 16 = total, 17 = bytes
      size_t width;
    };
    std::vector<Column> columns;
    for (const InstrDesc *desc : getInstrTable(isa))
      if (desc && used[desc->opcode])
        columns.push_back(
            {llvm::StringRef(desc->mnemonic).upper(), desc->opcode, 0});
    columns.push_back({"total", 16, 0});
    columns.push_back({"bytes", 17, 0});
    auto cell = [&](size_t row, const Column &column) -> uint64_t {
      if (column.opcode < 16)
        return counts[row][column.opcode];
      if (column.opcode == 16) {
        uint64_t total = 0;
        for (uint64_t c : counts[row])
          total += c;
        return total;
      }
      return rows[row]->code.size();
    };
    for (Column &column : columns) {
      column.width = column.title.size();
      for (size_t row = 0; row < rows.size(); ++row)
        column.width =
            std::max(column.width, std::to_string(cell(row, column)).size());
    }
    os << "# " << getIsaName(isa)
       << " instruction counts per program; an indented program is a layer "
          "of the one above it\n";
    for (const Column &column : columns)
      os << llvm::right_justify(column.title, column.width) << "  ";
    os << "program\n";
    for (size_t row = 0; row < rows.size(); ++row) {
      for (const Column &column : columns)
        os << llvm::right_justify(std::to_string(cell(row, column)),
                                  column.width)
           << "  ";
      os.indent(2 * rows[row]->depth) << rows[row]->name << "\n";
    }
  }
  return success();
}

} // namespace

void vai::registerIsaTranslations() {
  auto dialects = [](DialectRegistry &registry) {
    registry.insert<DpuDialect>();
  };
  static TranslateToMLIRRegistration disassembleXModel(
      "disassemble-xmodel",
      "DPU machine code of an .xmodel to dpu.program ops, one per subgraph "
      "with mc_code (in v2.5 builds also one per layer leaf)",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context) {
        return disassembleInput(sourceMgr, context, /*xmodelAllowed=*/true);
      },
      dialects);
  static TranslateToMLIRRegistration disassembleMc(
      "disassemble-mc",
      "DPU machine code to dpu.program ops: raw bytes with --isa=isa0|isa1, "
      "or a .mc JSON-lines file (one program per line)",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *context) {
        return disassembleInput(sourceMgr, context, /*xmodelAllowed=*/false);
      },
      dialects);
  static TranslateFromMLIRRegistration assembleMc(
      "assemble-mc",
      "dpu.program ops to raw machine code (one program, or --program=NAME, "
      "or each to --mc-dir=DIR)",
      assembleModule, dialects);
  static TranslateRegistration stats(
      "mc-stats",
      "count DPU instructions per opcode for each program of an .xmodel "
      "(v2.5 builds: per layer), a .mc file or raw code (--isa)",
      mcStats);
}
