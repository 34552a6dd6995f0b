// af_pe_array: ROWS x COLS PEs of the AccelForge template (docs/template.md section 2), described
// flat: the per-PE L1 buffers are slices of three arrays (PE p, half h, word a at
// p*2*H + h*H + a) and one clocked process does, in this order, what every af_pe does in parallel:
//   1. collection: for each slot, read the addressed word of every selected PE (the PEs of the
//      reduced axes of one output group) and sum them -> adder-tree register sum_q; then clear
//      the words read;
//   2. compute: every active PE (row bit and column bit of the compute bus set) does
//      O[ho][oa] += sext(W[hw][wa] * I[hi][ia]) (int8 x int8 -> int16 -> int32, wrapping);
//   3. distribution: each slot of the W, I and psum buses writes its word into every PE whose row
//      and column mask bits are set (multicast by PE mask).
// Within a cycle these touch different L1 halves (compute: the current halves; buses: the other
// ones; collection and psum fill: the drain half, never the same word in the same cycle, see
// af_dist), so the order only matters for a clear and a fill of one word, where the fill wins,
// exactly as in af_pe. Blocking assignments on the L1 arrays inside this single process are
// therefore the same hardware as the per-PE nonblocking writes of af_pe_grid (the structural
// version, checked equal cycle by cycle in tests/rtl_pe_equiv_test.cc); they let Verilator
// keep one loop instead of one copy of the PE code per instance (~20x faster simulation).
// Synthesis tools (`ifdef SYNTHESIS, defined by Yosys) get the structural form instead: ROWS x
// COLS af_pe instances, so per-leaf synthesis counts af_pe ROWS*COLS times; that branch is the
// af_pe_grid netlist and is checked against it the same way.
module af_pe_array #(
    parameter ROWS = 2,
    parameter COLS = 2,
    parameter NOC_W = 1,
    parameter L1_W_BYTES = 64,
    parameter L1_I_BYTES = 64,
    parameter L1_O_BYTES = 128
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire [ROWS-1:0]          mac_row_act,
    input  wire [COLS-1:0]          mac_col_act,
    input  wire                     mac_hw,
    input  wire                     mac_hi,
    input  wire                     mac_ho,
    input  wire [15:0]              mac_wa,
    input  wire [15:0]              mac_ia,
    input  wire [15:0]              mac_oa,
    input  wire [NOC_W-1:0]         wb_valid,
    input  wire                     wb_half,
    input  wire [NOC_W*16-1:0]      wb_addr,
    input  wire [NOC_W*8-1:0]       wb_data,
    input  wire [NOC_W*ROWS-1:0]    wb_rowm,
    input  wire [NOC_W*COLS-1:0]    wb_colm,
    input  wire [NOC_W-1:0]         ib_valid,
    input  wire                     ib_half,
    input  wire [NOC_W*16-1:0]      ib_addr,
    input  wire [NOC_W*8-1:0]       ib_data,
    input  wire [NOC_W*ROWS-1:0]    ib_rowm,
    input  wire [NOC_W*COLS-1:0]    ib_colm,
    input  wire [NOC_W-1:0]         ob_valid,
    input  wire                     ob_half,
    input  wire [NOC_W*16-1:0]      ob_addr,
    input  wire [NOC_W*32-1:0]      ob_data,
    input  wire [NOC_W*ROWS-1:0]    ob_rowm,
    input  wire [NOC_W*COLS-1:0]    ob_colm,
    input  wire [NOC_W-1:0]         cr_valid,
    input  wire                     cr_half,
    input  wire [NOC_W*16-1:0]      cr_addr,
    input  wire [NOC_W*ROWS-1:0]    cr_rowm,
    input  wire [NOC_W*COLS-1:0]    cr_colm,
    output reg  [NOC_W*32-1:0]      sum_q
);
    localparam integer NPE = ROWS * COLS;

`ifdef SYNTHESIS
    // ---- what a synthesis tool sees (Yosys defines SYNTHESIS): ROWS x COLS af_pe leaves, the
    // same netlist as af_pe_grid ----

    wire [NOC_W*32-1:0] pe_rd [0:NPE-1];

    genvar r, c;
    generate
        for (r = 0; r < ROWS; r = r + 1) begin : g_row
            for (c = 0; c < COLS; c = c + 1) begin : g_col
                wire [NOC_W-1:0] w_en, i_en, o_en, c_en;
                genvar s;
                for (s = 0; s < NOC_W; s = s + 1) begin : g_slot
                    assign w_en[s] = wb_valid[s] & wb_rowm[s*ROWS + r] & wb_colm[s*COLS + c];
                    assign i_en[s] = ib_valid[s] & ib_rowm[s*ROWS + r] & ib_colm[s*COLS + c];
                    assign o_en[s] = ob_valid[s] & ob_rowm[s*ROWS + r] & ob_colm[s*COLS + c];
                    assign c_en[s] = cr_valid[s] & cr_rowm[s*ROWS + r] & cr_colm[s*COLS + c];
                end
                af_pe #(
                    .L1_W_BYTES(L1_W_BYTES), .L1_I_BYTES(L1_I_BYTES), .L1_O_BYTES(L1_O_BYTES),
                    .NOC_W(NOC_W)
                ) u_pe (
                    .clk(clk), .rst(rst),
                    .mac_en(mac_row_act[r] & mac_col_act[c]),
                    .mac_hw(mac_hw), .mac_hi(mac_hi), .mac_ho(mac_ho),
                    .mac_wa(mac_wa), .mac_ia(mac_ia), .mac_oa(mac_oa),
                    .wb_en(w_en), .wb_half(wb_half), .wb_addr(wb_addr), .wb_data(wb_data),
                    .ib_en(i_en), .ib_half(ib_half), .ib_addr(ib_addr), .ib_data(ib_data),
                    .ob_en(o_en), .ob_half(ob_half), .ob_addr(ob_addr), .ob_data(ob_data),
                    .cr_en(c_en), .cr_half(cr_half), .cr_addr(cr_addr),
                    .cr_data(pe_rd[r*COLS + c])
                );
            end
        end
    endgenerate

    // Adder tree (written as a sum over the selected PEs; unselected PEs contribute 0).
    reg [NOC_W*32-1:0] sum_d;
    always @(*) begin : c_0
        integer p, k;
        sum_d = {NOC_W*32{1'b0}};
        for (p = 0; p < NPE; p = p + 1)
            for (k = 0; k < NOC_W; k = k + 1)
                sum_d[k*32 +: 32] = sum_d[k*32 +: 32] + pe_rd[p][k*32 +: 32];
    end
    always @(posedge clk) begin
        if (rst) sum_q <= {NOC_W*32{1'b0}};
        else     sum_q <= sum_d;
    end
`else
    // ---- what a simulator sees: the flat description ----
    localparam integer HW = (L1_W_BYTES / 2 > 0) ? L1_W_BYTES / 2 : 1;
    localparam integer HI = (L1_I_BYTES / 2 > 0) ? L1_I_BYTES / 2 : 1;
    localparam integer HO = (L1_O_BYTES / 8 > 0) ? L1_O_BYTES / 8 : 1;
    reg [7:0]  wmem [0:NPE*2*HW-1];
    reg [7:0]  imem [0:NPE*2*HI-1];
    reg [31:0] omem [0:NPE*2*HO-1];

    function integer fa;
        input integer pe;
        input h;
        input [15:0] a;
        input integer half_words;
        begin
            fa = pe * 2 * half_words + (h ? half_words : 0) + {16'd0, a};
        end
    endfunction

    // Every loop visits only the rows whose bit is set (mask or compute enable) and, in them, the
    // columns whose bit is set: a unicast bus slot costs ROWS + COLS tests instead of ROWS * COLS
    // (the buses dominated the Verilated model's time).
    /* verilator lint_off BLKSEQ */
    always @(posedge clk) begin : seq
        integer r, c, k, p;
        reg [31:0] sums [0:NOC_W-1];
        reg [ROWS-1:0] rm;   // one slot's row and column masks, read once per slot: indexing
        reg [COLS-1:0] cm;   // the wide packed bus vectors per PE is what makes Verilator slow
        // ROWS and COLS as variables: Verilator unrolls constant-bound loops of up to 64
        // iterations, and NOC_W slots x 5 bus loops x ROWS x COLS unrolled copies make the C++
        // of a 12x14 array take many minutes to compile.
        integer nrows, ncols;
        reg signed [7:0] w_op, i_op;
        reg signed [15:0] prod;
        /* verilator lint_off UNUSEDSIGNAL */
        integer iw, ii, ix, jw, ji, jx;   // flat word indices: their upper bits are zero
        /* verilator lint_on UNUSEDSIGNAL */
        if (rst) begin
            for (p = 0; p < NPE * 2 * HO; p = p + 1) omem[p] = 32'd0;
            sum_q <= {NOC_W*32{1'b0}};
        end else begin
            nrows = ROWS;
            ncols = COLS;
            for (k = 0; k < NOC_W; k = k + 1) sums[k] = 32'd0;
            // collection: all reads first (as the combinational read ports of af_pe), then the
            // clears
            for (k = 0; k < NOC_W; k = k + 1)
                if (cr_valid[k]) begin
                    rm = cr_rowm[k*ROWS +: ROWS]; cm = cr_colm[k*COLS +: COLS];
                    for (r = 0; r < nrows; r = r + 1)
                        if (rm[r])
                            for (c = 0; c < ncols; c = c + 1)
                                if (cm[c]) begin
                                    p = r * COLS + c;
                                    sums[k] = sums[k] + omem[fa(p, cr_half, cr_addr[k*16 +: 16], HO)];
                                end
                end
            for (k = 0; k < NOC_W; k = k + 1)
                if (cr_valid[k]) begin
                    rm = cr_rowm[k*ROWS +: ROWS]; cm = cr_colm[k*COLS +: COLS];
                    for (r = 0; r < nrows; r = r + 1)
                        if (rm[r])
                            for (c = 0; c < ncols; c = c + 1)
                                if (cm[c]) begin
                                    p = r * COLS + c;
                                    omem[fa(p, cr_half, cr_addr[k*16 +: 16], HO)] = 32'd0;
                                end
                end
            for (k = 0; k < NOC_W; k = k + 1) sum_q[k*32 +: 32] <= sums[k];
            // compute
            if (|mac_row_act && |mac_col_act) begin
                // Word indices of PE (r, 0), stepped by one row of PEs; jw/ji/jx step along the
                // row by one PE's two halves (fa() per PE and operand cost as much as the MAC
                // itself in the Verilated model).
                iw = fa(0, mac_hw, mac_wa, HW);
                ii = fa(0, mac_hi, mac_ia, HI);
                ix = fa(0, mac_ho, mac_oa, HO);
                for (r = 0; r < nrows; r = r + 1) begin
                    if (mac_row_act[r]) begin
                        jw = iw; ji = ii; jx = ix;
                        for (c = 0; c < ncols; c = c + 1) begin
                            if (mac_col_act[c]) begin
                                w_op = wmem[jw];
                                i_op = imem[ji];
                                prod = w_op * i_op;                           // int8 x int8 -> int16
                                omem[jx] = omem[jx] + {{16{prod[15]}}, prod}; // sign-extended, wraps
                            end
                            jw = jw + 2 * HW;
                            ji = ji + 2 * HI;
                            jx = jx + 2 * HO;
                        end
                    end
                    iw = iw + COLS * 2 * HW;
                    ii = ii + COLS * 2 * HI;
                    ix = ix + COLS * 2 * HO;
                end
            end
            // distribution (slot order: a later slot wins on the same word, as in af_pe)
            for (k = 0; k < NOC_W; k = k + 1) begin
                if (wb_valid[k]) begin
                    rm = wb_rowm[k*ROWS +: ROWS]; cm = wb_colm[k*COLS +: COLS];
                    for (r = 0; r < nrows; r = r + 1)
                        if (rm[r])
                            for (c = 0; c < ncols; c = c + 1)
                                if (cm[c]) begin
                                    p = r * COLS + c;
                                    wmem[fa(p, wb_half, wb_addr[k*16 +: 16], HW)] = wb_data[k*8 +: 8];
                                end
                end
                if (ib_valid[k]) begin
                    rm = ib_rowm[k*ROWS +: ROWS]; cm = ib_colm[k*COLS +: COLS];
                    for (r = 0; r < nrows; r = r + 1)
                        if (rm[r])
                            for (c = 0; c < ncols; c = c + 1)
                                if (cm[c]) begin
                                    p = r * COLS + c;
                                    imem[fa(p, ib_half, ib_addr[k*16 +: 16], HI)] = ib_data[k*8 +: 8];
                                end
                end
            end
            for (k = 0; k < NOC_W; k = k + 1)
                if (ob_valid[k]) begin
                    rm = ob_rowm[k*ROWS +: ROWS]; cm = ob_colm[k*COLS +: COLS];
                    for (r = 0; r < nrows; r = r + 1)
                        if (rm[r])
                            for (c = 0; c < ncols; c = c + 1)
                                if (cm[c]) begin
                                    p = r * COLS + c;
                                    omem[fa(p, ob_half, ob_addr[k*16 +: 16], HO)] = ob_data[k*32 +: 32];
                                end
                end
        end
    end
    /* verilator lint_on BLKSEQ */
`endif
endmodule
