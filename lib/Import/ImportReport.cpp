//===- ImportReport.cpp - Printing what an import found -------------------===//

#include "vai/Import/ImportReport.h"
#include "llvm/Support/Format.h"
#include <algorithm>

using namespace vai;

static void printTensor(llvm::raw_ostream &os,
                        const ImportReport::Tensor &tensor) {
  os << "  " << tensor.name << ": " << tensor.dtype;
  if (!tensor.shapeKnown) {
    os << " [unknown shape]\n";
    return;
  }
  os << " [";
  for (size_t i = 0; i < tensor.shape.size(); ++i) {
    if (i)
      os << ", ";
    if (tensor.shape[i] < 0)
      os << "?";
    else
      os << tensor.shape[i];
  }
  os << "]\n";
}

void ImportReport::print(llvm::raw_ostream &os) const {
  os << "format: " << format << "\n";
  os << "inputs (" << inputs.size() << "):\n";
  for (const Tensor &t : inputs)
    printTensor(os, t);
  os << "outputs (" << outputs.size() << "):\n";
  for (const Tensor &t : outputs)
    printTensor(os, t);
  int64_t nodes = 0;
  for (const auto &[op, count] : opHistogram)
    nodes += count;
  os << "ops (" << nodes << " nodes, " << opHistogram.size() << " types):\n";
  // Most frequent first; ties by name.
  std::vector<std::pair<std::string, int64_t>> ops(opHistogram.begin(),
                                                   opHistogram.end());
  std::stable_sort(ops.begin(), ops.end(), [](const auto &a, const auto &b) {
    return a.second > b.second;
  });
  for (const auto &[op, count] : ops)
    os << "  " << llvm::left_justify(op, 28) << " " << count << "\n";
  os << "unsupported (" << unsupported.size() << "):\n";
  for (const Unsupported &u : unsupported)
    os << "  " << u.node << " (" << u.opType << "): " << u.reason << "\n";
  if (!dependents.empty()) {
    os << "not converted because they read an unsupported node ("
       << dependents.size() << "):\n";
    for (const std::string &name : dependents)
      os << "  " << name << "\n";
  }
  os << (unsupported.empty() ? "the importer supports every node\n"
                             : "the importer cannot take this model as is\n");
}
