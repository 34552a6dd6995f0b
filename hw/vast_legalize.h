// Legalize / prepare for emission: the only pass that changes a VAST tree before printing (as
// CIRCT's PrepareForEmission + LegalizeNames). It
//   - makes every name a legal Verilog identifier that is not a Verilog/SystemVerilog keyword and
//     is unique in its module's namespace (internal nets, localparams, genvars, instance names and
//     generate labels are renamed with a numeric suffix; ports, header parameters and extern
//     module names are the interface and are an error instead);
//   - checks every continuous assign, nonblocking assign and instance connection: the target is
//     assignable (wires and output ports for assign/outputs, regs for always blocks), both sides
//     have the same width (no implicit extension or truncation), no unsized constant is assigned,
//     sized operands of one operator agree in width and signedness, selects are in range;
//   - checks instances against their module (extern leaves included): every parameter and port
//     named exists, none is connected twice, every port is listed, inputs are connected, and each
//     port's width (evaluated with the instance's parameter values) equals the connected width.
// Generate loops are checked at their first and last iteration. On success the file is marked
// legalized and can be printed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "hw/vast.h"

namespace af::vast {

struct LegalizeReport {
  std::vector<std::string> renames;  // "module: old -> new"
  int64_t widths_checked = 0;        // assignments and connections whose widths were compared
  int64_t widths_unknown = 0;        // ... whose width could not be evaluated (not compared)
};

// All errors are collected; the message lists them one per line.
Status legalize(VerilogFile& file, LegalizeReport* report = nullptr);

bool is_verilog_keyword(const std::string& name);
bool is_legal_identifier(const std::string& name);  // [A-Za-z_][A-Za-z0-9_]*, not a keyword

}  // namespace af::vast
