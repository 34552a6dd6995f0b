// Cycle-by-cycle equivalence of af_pe_array (flat, what af_top instantiates) and af_pe_grid
// (ROWS x COLS af_pe instances) under random traffic on all four ports: compute bus, W/I/psum
// distribution buses with random multicast masks, and the collection port. The psum fill and the
// collection use the half the compute does not (as af_ctrl guarantees). Compares the adder-tree
// register every cycle and, at the end, every output word of every PE read back through the
// collection port. Prints "PASS" or "FAIL ...". Run by tests/rtl_pe_equiv_test.cc with iverilog.
`timescale 1ns/1ps
module pe_equiv_tb;
    parameter ROWS = 2, COLS = 3, NOC_W = 2, LW = 16, LI = 24, LO = 64, CYCLES = 4000, SEED = 1;
    localparam HW = LW / 2, HI = LI / 2, HO = LO / 8;
    reg clk = 0, rst = 1;
    reg [ROWS-1:0] mac_row_act; reg [COLS-1:0] mac_col_act;
    reg mac_hw, mac_hi, mac_ho; reg [15:0] mac_wa, mac_ia, mac_oa;
    reg [NOC_W-1:0] wb_valid, ib_valid, ob_valid, cr_valid;
    reg wb_half, ib_half, ob_half, cr_half;
    reg [NOC_W*16-1:0] wb_addr, ib_addr, ob_addr, cr_addr;
    reg [NOC_W*8-1:0] wb_data, ib_data; reg [NOC_W*32-1:0] ob_data;
    reg [NOC_W*ROWS-1:0] wb_rowm, ib_rowm, ob_rowm, cr_rowm;
    reg [NOC_W*COLS-1:0] wb_colm, ib_colm, ob_colm, cr_colm;
    wire [NOC_W*32-1:0] sum_a, sum_g;
    af_pe_array #(.ROWS(ROWS), .COLS(COLS), .NOC_W(NOC_W), .L1_W_BYTES(LW), .L1_I_BYTES(LI),
                  .L1_O_BYTES(LO)) ua (
        .clk(clk), .rst(rst), .mac_row_act(mac_row_act), .mac_col_act(mac_col_act),
        .mac_hw(mac_hw), .mac_hi(mac_hi), .mac_ho(mac_ho), .mac_wa(mac_wa), .mac_ia(mac_ia),
        .mac_oa(mac_oa), .wb_valid(wb_valid), .wb_half(wb_half), .wb_addr(wb_addr),
        .wb_data(wb_data), .wb_rowm(wb_rowm), .wb_colm(wb_colm), .ib_valid(ib_valid),
        .ib_half(ib_half), .ib_addr(ib_addr), .ib_data(ib_data), .ib_rowm(ib_rowm),
        .ib_colm(ib_colm), .ob_valid(ob_valid), .ob_half(ob_half), .ob_addr(ob_addr),
        .ob_data(ob_data), .ob_rowm(ob_rowm), .ob_colm(ob_colm), .cr_valid(cr_valid),
        .cr_half(cr_half), .cr_addr(cr_addr), .cr_rowm(cr_rowm), .cr_colm(cr_colm), .sum_q(sum_a));
    af_pe_grid #(.ROWS(ROWS), .COLS(COLS), .NOC_W(NOC_W), .L1_W_BYTES(LW), .L1_I_BYTES(LI),
                 .L1_O_BYTES(LO)) ug (
        .clk(clk), .rst(rst), .mac_row_act(mac_row_act), .mac_col_act(mac_col_act),
        .mac_hw(mac_hw), .mac_hi(mac_hi), .mac_ho(mac_ho), .mac_wa(mac_wa), .mac_ia(mac_ia),
        .mac_oa(mac_oa), .wb_valid(wb_valid), .wb_half(wb_half), .wb_addr(wb_addr),
        .wb_data(wb_data), .wb_rowm(wb_rowm), .wb_colm(wb_colm), .ib_valid(ib_valid),
        .ib_half(ib_half), .ib_addr(ib_addr), .ib_data(ib_data), .ib_rowm(ib_rowm),
        .ib_colm(ib_colm), .ob_valid(ob_valid), .ob_half(ob_half), .ob_addr(ob_addr),
        .ob_data(ob_data), .ob_rowm(ob_rowm), .ob_colm(ob_colm), .cr_valid(cr_valid),
        .cr_half(cr_half), .cr_addr(cr_addr), .cr_rowm(cr_rowm), .cr_colm(cr_colm), .sum_q(sum_g));

    integer seed, cyc, k, errors, words, p, a;
    always #5 clk = ~clk;
    task idle;
        begin
            mac_row_act = 0; mac_col_act = 0; wb_valid = 0; ib_valid = 0; ob_valid = 0; cr_valid = 0;
        end
    endtask
    task randomize_inputs;
        begin
            mac_row_act = $random(seed); mac_col_act = $random(seed);
            mac_hw = $random(seed); mac_hi = $random(seed); mac_ho = $random(seed);
            mac_wa = {$random(seed)} % HW; mac_ia = {$random(seed)} % HI; mac_oa = {$random(seed)} % HO;
            wb_half = $random(seed); ib_half = $random(seed);
            ob_half = !mac_ho; cr_half = !mac_ho;
            for (k = 0; k < NOC_W; k = k + 1) begin
                wb_valid[k] = ({$random(seed)} % 3) == 0; ib_valid[k] = ({$random(seed)} % 3) == 0;
                ob_valid[k] = ({$random(seed)} % 4) == 0; cr_valid[k] = ({$random(seed)} % 4) == 0;
                wb_addr[k*16 +: 16] = {$random(seed)} % HW; ib_addr[k*16 +: 16] = {$random(seed)} % HI;
                ob_addr[k*16 +: 16] = {$random(seed)} % HO; cr_addr[k*16 +: 16] = {$random(seed)} % HO;
                wb_data[k*8 +: 8] = $random(seed); ib_data[k*8 +: 8] = $random(seed);
                ob_data[k*32 +: 32] = $random(seed);
            end
            wb_rowm = $random(seed); ib_rowm = $random(seed); ob_rowm = $random(seed); cr_rowm = $random(seed);
            wb_colm = $random(seed); ib_colm = $random(seed); ob_colm = $random(seed); cr_colm = $random(seed);
        end
    endtask
    initial begin
        seed = SEED; errors = 0; words = 0;
        idle;
        repeat (3) @(negedge clk);
        rst = 0;
        for (cyc = 0; cyc < CYCLES; cyc = cyc + 1) begin
            @(negedge clk);
            randomize_inputs;
            if (sum_a !== sum_g) begin
                errors = errors + 1;
                if (errors < 5) $display("FAIL cycle %0d: sum %h vs %h", cyc, sum_a, sum_g);
            end
        end
        // Read back every output word of every PE, one PE and one word per cycle.
        for (p = 0; p < ROWS * COLS; p = p + 1)
            for (a = 0; a < 2 * HO; a = a + 1) begin
                @(negedge clk);
                idle;
                if (sum_a !== sum_g) errors = errors + 1;
                cr_valid = 1; cr_half = a / HO; cr_addr = a % HO;
                cr_rowm = 1 << (p / COLS); cr_colm = 1 << (p % COLS);
                words = words + 1;
            end
        @(negedge clk); idle;
        @(negedge clk);
        if (sum_a !== sum_g) errors = errors + 1;
        if (errors == 0) $display("PASS %0d cycles, %0d words read back", CYCLES, words);
        else $display("FAIL %0d mismatches", errors);
        $finish;
    end
endmodule
