//===- ProgressBar.cpp - A progress bar on a terminal ---------------------===//

#include "vai/Support/ProgressBar.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace vai;

ProgressBar::ProgressBar(std::string label, int64_t total, std::string unit,
                         std::string rateUnit)
    : label(std::move(label)), unit(std::move(unit)),
      rateUnit(std::move(rateUnit)), total(total),
      enabled(llvm::sys::Process::StandardErrIsDisplayed() && total > 0),
      start(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (drawn)
    llvm::errs() << "\n";
}

void ProgressBar::update(int64_t done, int64_t items) {
  if (!enabled)
    return;
  const int width = 30;
  int filled = int(width * std::min(done, total) / total);
  llvm::raw_ostream &os = llvm::errs();
  // '\r' redraws the same line; trailing spaces clear a longer old rate.
  os << "\r" << label << " [" << std::string(filled, '#')
     << std::string(width - filled, '.') << "] " << done << "/" << total << " "
     << unit;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!rateUnit.empty() && seconds > 0)
    os << ", " << llvm::format("%.1f", items / seconds) << " " << rateUnit
       << "/s";
  os << "   ";
  os.flush();
  drawn = true;
}
