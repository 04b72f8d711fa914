//===- ProgressBar.h - A progress bar on a terminal ------------*- C++ -*-===//
//
// Drawn on stderr and only when stderr is a terminal, so logs, pipes and
// tests see nothing but the tool's real output.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SUPPORT_PROGRESSBAR_H
#define VAI_SUPPORT_PROGRESSBAR_H

#include <chrono>
#include <cstdint>
#include <string>

namespace vai {

class ProgressBar {
public:
  /// `unit` names what `total` counts ("batches"); `rateUnit`, when not
  /// empty, names what update()'s `items` count for the rate ("images").
  ProgressBar(std::string label, int64_t total, std::string unit,
              std::string rateUnit = "");
  /// Ends the line if anything was drawn.
  ~ProgressBar();

  /// Marks `done` of `total` finished, `items` rate units processed so far.
  void update(int64_t done, int64_t items = 0);

  bool isEnabled() const { return enabled; }

private:
  std::string label, unit, rateUnit;
  int64_t total;
  bool enabled;
  bool drawn = false;
  std::chrono::steady_clock::time_point start;
};

} // namespace vai

#endif // VAI_SUPPORT_PROGRESSBAR_H
