//===- FileIO.h - Whole-file reads and atomic writes ------------*- C++ -*-===//
//
// Every output file of vai is written atomically: to a temporary beside the
// target, renamed over it on success, removed on failure. A failed run
// never leaves a half-written file.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SUPPORT_FILEIO_H
#define VAI_SUPPORT_FILEIO_H

#include <string>

namespace vai {

/// Writes `bytes` to `path` atomically; the error names the path.
bool writeFileAtomically(const std::string &path, const std::string &bytes,
                         std::string &error);

/// Reads a whole file; the error names the path.
bool readWholeFile(const std::string &path, std::string &bytes,
                   std::string &error);

} // namespace vai

#endif // VAI_SUPPORT_FILEIO_H
