//===- XModelViews.h - xir-like views of .xmodel files ----------*- C++ -*-===//
//
// Text views of any XIR .xmodel (quantized fix form or compiled), read at the
// protobuf level (vai/Proto/XModel.h), not through the MLIR importer, so a
// file our importer cannot model is still viewable. They imitate the tools of
// Vitis AI's `xir` command (src/vai_runtime/xir/tools): `xir dump_txt`,
// `xir subgraph` and `xir svg`. See docs/xmodel-views.md.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_DRIVER_XMODELVIEWS_H
#define VAI_DRIVER_XMODELVIEWS_H

#include "vai/Proto/XModel.h"
#include <string>

namespace vai {

enum class XModelView {
  /// Op count per type, the subgraph tree (device, op count, children, I/O
  /// tensors) and per DPU subgraph its fingerprint (decoded), workload,
  /// registers and code size.
  Summary,
  /// One line per op: name, type, inputs, attributes, output tensor.
  DumpTxt,
  /// Graphviz DOT: a node per op colored by device, a cluster per subgraph.
  Dot,
};

/// Checks that \p g is consistent enough to view: op names unique, every op
/// input and every op named by a subgraph exists. On failure returns false
/// and sets \p error to a one-line reason naming the op or subgraph.
bool verifyXGraphForViews(const proto::XGraph &g, std::string &error);

/// Renders \p view of \p g into \p out (replacing its contents). Verifies \p g
/// first; on failure returns false, sets \p error and leaves \p out empty.
bool renderXModelView(const proto::XGraph &g, XModelView view, std::string &out,
                      std::string &error);

/// Reads the .xmodel bytes \p bytes and renders \p view; \p fileName prefixes
/// error messages ("x.xmodel: truncated or malformed xmodel ...").
bool renderXModelFile(const std::string &bytes, const std::string &fileName,
                      XModelView view, std::string &out, std::string &error);

/// Registers vai-translate's --xmodel-summary, --xmodel-dump-txt and
/// --xmodel-dot (lib/Driver/XModelViewTranslations.cpp).
void registerXModelViewTranslations();

} // namespace vai

#endif // VAI_DRIVER_XMODELVIEWS_H
