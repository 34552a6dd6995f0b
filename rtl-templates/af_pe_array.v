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
    // Depths rounded up to a power of two (simulation only; the words past NPE*2*H* are never
    // addressed): Verilator then drops its bounds check on every variable-index read and write.
    localparam integer WDEPTH = pow2(NPE * 2 * HW);
    localparam integer IDEPTH = pow2(NPE * 2 * HI);
    localparam integer ODEPTH = pow2(NPE * 2 * HO);
    reg [7:0]  wmem [0:WDEPTH-1];
    reg [7:0]  imem [0:IDEPTH-1];
    reg [31:0] omem [0:ODEPTH-1];

    function integer pow2;   // smallest power of two >= n (n itself above 2^30: no headroom)
        input integer n;
        begin
            pow2 = 1;
            while (pow2 < n && pow2 < 32'sh40000000) pow2 = pow2 * 2;
            if (pow2 < n) pow2 = n;
        end
    endfunction

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
    // (the buses dominated the Verilated model's time). The loops shift a copy of the mask and stop
    // after its last set bit: no bit select with a variable index (Verilator bounds-checks it
    // unless the width is a power of two) and no constant bound, which Verilator would unroll (up
    // to 64 iterations; NOC_W slots x 5 bus loops x ROWS x COLS copies of the code make the C++ of
    // a 12x14 array take many minutes to compile).
    /* verilator lint_off BLKSEQ */
    always @(posedge clk) begin : seq
        integer k;
        reg [NOC_W*32-1:0] sums;
        reg [ROWS-1:0] rm;   // one slot's row and column masks (or the compute enables), read
        reg [COLS-1:0] cm;   // once per slot: indexing the wide packed bus vectors per PE is slow
        reg signed [7:0] w_op, i_op;
        reg signed [31:0] prod;  // 32 bits: one sign extension per operand in the Verilated C++
        /* verilator lint_off UNUSEDSIGNAL */
        integer iw, ii, ix, jw, ji, jx;   // flat word indices: their upper bits are zero
        /* verilator lint_on UNUSEDSIGNAL */
        // The block's variables (but k, which only the reset loop and the unrolled slot loops use)
        // are assigned here, before the first branch: Verilator 5.006 makes a block variable a C++
        // local only if it is assigned unconditionally before any read; otherwise it is a member
        // of the model, and since the L1 arrays may alias it, the C++ compiler loads and stores it
        // around every L1 access (most of the MAC loop's time).
        sums = {NOC_W*32{1'b0}};
        rm = {ROWS{1'b0}};
        cm = {COLS{1'b0}};
        w_op = 8'sd0;
        i_op = 8'sd0;
        prod = 32'sd0;
        iw = 0;
        ii = 0;
        ix = 0;
        jw = 0;
        ji = 0;
        jx = 0;
        if (rst) begin
            for (k = 0; k < NPE * 2 * HO; k = k + 1) omem[k] = 32'd0;
            sum_q <= {NOC_W*32{1'b0}};
        end else begin
            // Bus loops: ix is the word of the slot's address in PE (r, 0), jx in PE (r, c).
            // collection: all reads first (as the combinational read ports of af_pe), then the
            // clears
            for (k = 0; k < NOC_W; k = k + 1)
                if (cr_valid[k]) begin
                    rm = cr_rowm[k*ROWS +: ROWS];
                    ix = fa(0, cr_half, cr_addr[k*16 +: 16], HO);
                    while (rm != {ROWS{1'b0}}) begin
                        if (rm[0]) begin
                            cm = cr_colm[k*COLS +: COLS];
                            jx = ix;
                            while (cm != {COLS{1'b0}}) begin
                                if (cm[0]) sums[k*32 +: 32] = sums[k*32 +: 32] + omem[jx];
                                cm = cm >> 1;
                                jx = jx + 2 * HO;
                            end
                        end
                        rm = rm >> 1;
                        ix = ix + COLS * 2 * HO;
                    end
                end
            for (k = 0; k < NOC_W; k = k + 1)
                if (cr_valid[k]) begin
                    rm = cr_rowm[k*ROWS +: ROWS];
                    ix = fa(0, cr_half, cr_addr[k*16 +: 16], HO);
                    while (rm != {ROWS{1'b0}}) begin
                        if (rm[0]) begin
                            cm = cr_colm[k*COLS +: COLS];
                            jx = ix;
                            while (cm != {COLS{1'b0}}) begin
                                if (cm[0]) omem[jx] = 32'd0;
                                cm = cm >> 1;
                                jx = jx + 2 * HO;
                            end
                        end
                        rm = rm >> 1;
                        ix = ix + COLS * 2 * HO;
                    end
                end
            sum_q <= sums;
            // compute: iw/ii/ix index PE (r, 0), jw/ji/jx PE (r, c) (fa() per PE and operand cost
            // as much as the MAC itself in the Verilated model)
            rm = mac_row_act;
            iw = fa(0, mac_hw, mac_wa, HW);
            ii = fa(0, mac_hi, mac_ia, HI);
            ix = fa(0, mac_ho, mac_oa, HO);
            while (rm != {ROWS{1'b0}} && mac_col_act != {COLS{1'b0}}) begin
                if (rm[0]) begin
                    cm = mac_col_act;
                    jw = iw; ji = ii; jx = ix;
                    while (cm != {COLS{1'b0}}) begin
                        if (cm[0]) begin
                            w_op = wmem[jw];
                            i_op = imem[ji];
                            prod = w_op * i_op;         // int8 x int8, sign-extended to 32 bits
                            omem[jx] = omem[jx] + prod; // wraps
                        end
                        cm = cm >> 1;
                        jw = jw + 2 * HW;
                        ji = ji + 2 * HI;
                        jx = jx + 2 * HO;
                    end
                end
                rm = rm >> 1;
                iw = iw + COLS * 2 * HW;
                ii = ii + COLS * 2 * HI;
                ix = ix + COLS * 2 * HO;
            end
            // distribution (slot order: a later slot wins on the same word, as in af_pe)
            for (k = 0; k < NOC_W; k = k + 1) begin
                if (wb_valid[k]) begin
                    rm = wb_rowm[k*ROWS +: ROWS];
                    iw = fa(0, wb_half, wb_addr[k*16 +: 16], HW);
                    while (rm != {ROWS{1'b0}}) begin
                        if (rm[0]) begin
                            cm = wb_colm[k*COLS +: COLS];
                            jw = iw;
                            while (cm != {COLS{1'b0}}) begin
                                if (cm[0]) wmem[jw] = wb_data[k*8 +: 8];
                                cm = cm >> 1;
                                jw = jw + 2 * HW;
                            end
                        end
                        rm = rm >> 1;
                        iw = iw + COLS * 2 * HW;
                    end
                end
                if (ib_valid[k]) begin
                    rm = ib_rowm[k*ROWS +: ROWS];
                    ii = fa(0, ib_half, ib_addr[k*16 +: 16], HI);
                    while (rm != {ROWS{1'b0}}) begin
                        if (rm[0]) begin
                            cm = ib_colm[k*COLS +: COLS];
                            ji = ii;
                            while (cm != {COLS{1'b0}}) begin
                                if (cm[0]) imem[ji] = ib_data[k*8 +: 8];
                                cm = cm >> 1;
                                ji = ji + 2 * HI;
                            end
                        end
                        rm = rm >> 1;
                        ii = ii + COLS * 2 * HI;
                    end
                end
            end
            for (k = 0; k < NOC_W; k = k + 1)
                if (ob_valid[k]) begin
                    rm = ob_rowm[k*ROWS +: ROWS];
                    ix = fa(0, ob_half, ob_addr[k*16 +: 16], HO);
                    while (rm != {ROWS{1'b0}}) begin
                        if (rm[0]) begin
                            cm = ob_colm[k*COLS +: COLS];
                            jx = ix;
                            while (cm != {COLS{1'b0}}) begin
                                if (cm[0]) omem[jx] = ob_data[k*32 +: 32];
                                cm = cm >> 1;
                                jx = jx + 2 * HO;
                            end
                        end
                        rm = rm >> 1;
                        ix = ix + COLS * 2 * HO;
                    end
                end
        end
    end
    /* verilator lint_on BLKSEQ */
`endif
endmodule
