// The VAST printer: a pure function from a legalized VerilogFile to Verilog-2005 text. It never
// changes the tree (CIRCT's ExportVerilog rule); everything that needs changing (names, checks)
// happens in legalize() first, and print() refuses a file that was not legalized.
//
// Layout: two-space indentation, ANSI port lists with aligned names, one named connection per
// line in instances, parentheses only where Verilog precedence needs them, every vector with an
// explicit [msb:0] range. The module is wrapped in `default_nettype none ... wire.
#pragma once
#include <string>

#include "core/status.h"
#include "hw/vast.h"

namespace af::vast {

// The whole file; an error if the file is not legalized.
Expected<std::string> print(const VerilogFile& file);

// One expression (also used in diagnostics; needs no legalization).
std::string print_expr(const Expr* expr);

}  // namespace af::vast
