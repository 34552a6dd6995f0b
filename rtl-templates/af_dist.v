// af_dist: distribution engine of one tensor (TENSOR 0 = weights, 1 = inputs, 2 = outputs/psums),
// docs/template.md sections 4 and 5 ("Multicast", "Buses").
//
// At `start` it latches the STEP descriptor of the step to load and walks its distinct PE tiles:
// along an array axis whose dimension is relevant to the tensor every active PE index has its own
// tile (a "group"); along an irrelevant axis one tile is multicast to every active PE (weights,
// inputs) or, for psums (outputs, irrelevant axis = reduced axis), sent to index 0 only. Inside a
// group the tile's words are walked in L1 layout order; NOC_W words per cycle across group
// boundaries, so V words take ceil(V / NOC_W) issue cycles, plus DIST_LATENCY_CYCLES = 2:
//   issue: L2 read (registered in the bank) -> bus pipeline register -> L1 write.
// Tile geometry (extents of each layout dimension, L2 and L1 strides) is the dense layout of
// docs/template.md: W [G][K][C][R][S], I [N][G][C][H][W], O [N][G][K][Y][X]; L2 tiles are dense on
// the L2 tile extents, L1 tiles dense on the lock-step PE extents.
//
// Psum-specific modes (TENSOR = 2), decided by af_ctrl for the step being started:
//  * clear (descriptor PSUM bit = 0): fresh outputs. The bus runs for the same time but reads and
//    writes nothing (the PE halves are already zero: the collection clears what it reads);
//  * o_ilock: a collection runs in the same period and both use the same (non-computing) L1 O
//    half: a psum word is written into a PE only after the collection has read (and cleared) that
//    PE's word at the same address. Both engines walk groups in the same order and addresses in
//    increasing order, so the fill compares its last slot with the collection's progress and
//    holds while it would overtake it (never when the two tiles have the same shape: lock-step);
//  * o_fwd: the step revisits exactly the outputs being collected in this period: the data comes
//    from the collection adder-tree register (lock-step, same walk order) instead of L2.
module af_dist #(
    parameter TENSOR = 0,
    parameter ROWS = 2,
    parameter COLS = 2,
    parameter ROW_DIM = 3,
    parameter COL_DIM = 2,
    parameter NOC_W = 1,
    parameter STEP_W = 330,
    parameter TILE_W = 163
) (
    input  wire                     clk,
    input  wire                     rst,
    input  wire                     start,
    input  wire [STEP_W-1:0]        desc,
    input  wire [TILE_W-1:0]        tile,
    /* verilator lint_off UNUSEDSIGNAL */   // the interlock inputs are used by TENSOR = 2 only
    input  wire                     o_ilock,
    input  wire                     o_fwd,
    input  wire                     c_act,     // collection progress (af_coll nx_*)
    input  wire [7:0]               c_gr,
    input  wire [7:0]               c_gc,
    input  wire [15:0]              c_addr,
    input  wire [7:0]               c_ngr,
    input  wire [7:0]               c_ngc,
    /* verilator lint_on UNUSEDSIGNAL */
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [NOC_W*32-1:0]      fwd_data,   // used by TENSOR = 2 only
    /* verilator lint_on UNUSEDSIGNAL */
    // L2 bank read port
    output wire [NOC_W-1:0]         nr_en,
    output reg                      nr_half,
    output wire [NOC_W*24-1:0]      nr_addr,
    // Data bits per word are written out here ((TENSOR == 2) ? 32 : 8, the localparam DB below):
    // Verilog-2005 does not allow a localparam in the port list before its declaration.
    input  wire [NOC_W*((TENSOR == 2) ? 32 : 8)-1:0] nr_data,
    // bus to the PE array
    output reg  [NOC_W-1:0]         b_valid,
    output reg                      b_half,
    output reg  [NOC_W*16-1:0]      b_addr,
    output reg  [NOC_W*((TENSOR == 2) ? 32 : 8)-1:0] b_data,
    output reg  [NOC_W*ROWS-1:0]    b_rowm,
    output reg  [NOC_W*COLS-1:0]    b_colm,
    output wire                     busy,
    output wire                     fin,
    output wire [23:0]              inc_l2,   // L2 reads this cycle (words)
    output wire [23:0]              inc_l1    // L1 fills this cycle (words x receiving PEs)
);
    localparam integer DB = (TENSOR == 2) ? 32 : 8;   // data bits per word (as in the ports)
    localparam [7:0] REL = (TENSOR == 0) ? 8'hCE : (TENSOR == 1) ? 8'hFB : 8'h37;
    localparam R_DIST = REL[ROW_DIM];   // rows hold distinct tiles of this tensor
    localparam C_DIST = REL[COL_DIM];
    localparam IS_O = (TENSOR == 2);
    // STEP / TILE fields
    localparam integer S_OFF = 0, S_LE = 128, S_NAR = 256, S_NAC = 264, S_LASTR = 272,
                       S_LASTC = 288, S_HW = 304, S_HI = 305, S_HO = 306, S_PSUM = 311;
    localparam integer T_E2 = 0, T_H2W = 128, T_H2I = 129, T_H2O = 130, T_SY = 131, T_SX = 147;

    // ---- geometry from the descriptor (combinational on the bus; latched at start) ----
    wire [31:0] sy = {16'd0, tile[T_SY +: 16]};
    wire [31:0] sx = {16'd0, tile[T_SX +: 16]};
    wire [31:0] d_off [0:7];
    wire [31:0] d_le  [0:7];
    wire [31:0] d_e2  [0:7];
    genvar gd;
    generate
        for (gd = 0; gd < 8; gd = gd + 1) begin : g_fields
            assign d_off[gd] = {16'd0, desc[S_OFF + 16*gd +: 16]};
            assign d_le[gd]  = {16'd0, desc[S_LE + 16*gd +: 16]};
            assign d_e2[gd]  = {16'd0, tile[T_E2 + 16*gd +: 16]};
        end
    endgenerate
    wire [7:0]  d_nar = desc[S_NAR +: 8];
    wire [7:0]  d_nac = desc[S_NAC +: 8];
    wire [31:0] d_lastr = {16'd0, desc[S_LASTR +: 16]};
    wire [31:0] d_lastc = {16'd0, desc[S_LASTC +: 16]};

    // Layout extents of a tile whose per-dim extents are x (5 layout dims, outermost first).
    function [159:0] lay_ext;
        input [255:0] x;   // 8 x 32
        input [31:0] fsy, fsx;
        reg [31:0] e0, e1, e2, e3, e4;
        begin
            if (TENSOR == 0) begin
                e0 = x[32*1 +: 32]; e1 = x[32*2 +: 32]; e2 = x[32*3 +: 32];
                e3 = x[32*6 +: 32]; e4 = x[32*7 +: 32];
            end else if (TENSOR == 1) begin
                e0 = x[32*0 +: 32]; e1 = x[32*1 +: 32]; e2 = x[32*3 +: 32];
                e3 = (x[32*4 +: 32] - 32'd1) * fsy + x[32*6 +: 32];
                e4 = (x[32*5 +: 32] - 32'd1) * fsx + x[32*7 +: 32];
            end else begin
                e0 = x[32*0 +: 32]; e1 = x[32*1 +: 32]; e2 = x[32*2 +: 32];
                e3 = x[32*4 +: 32]; e4 = x[32*5 +: 32];
            end
            lay_ext = {e4, e3, e2, e1, e0};
        end
    endfunction

    /* verilator lint_off UNUSEDSIGNAL */  // the outermost layout extent never scales a stride
    // Per-loop-dim stride in a dense layout with layout extents e (packed 5 x 32): the address
    // step of one unit of loop dim d (0 for irrelevant dims).
    function [255:0] loop_strides;
        input [159:0] e;
        input [31:0] fsy, fsx;
        reg [31:0] s0, s1, s2, s3, s4;
        reg [255:0] r;
        begin
            s4 = 32'd1;
            s3 = e[32*4 +: 32];
            s2 = s3 * e[32*3 +: 32];
            s1 = s2 * e[32*2 +: 32];
            s0 = s1 * e[32*1 +: 32];
            r = 256'd0;
            if (TENSOR == 0) begin
                r[32*1 +: 32] = s0; r[32*2 +: 32] = s1; r[32*3 +: 32] = s2;
                r[32*6 +: 32] = s3; r[32*7 +: 32] = s4;
            end else if (TENSOR == 1) begin
                r[32*0 +: 32] = s0; r[32*1 +: 32] = s1; r[32*3 +: 32] = s2;
                r[32*4 +: 32] = fsy * s3; r[32*6 +: 32] = s3;
                r[32*5 +: 32] = fsx * s4; r[32*7 +: 32] = s4;
            end else begin
                r[32*0 +: 32] = s0; r[32*1 +: 32] = s1; r[32*2 +: 32] = s2;
                r[32*4 +: 32] = s3; r[32*5 +: 32] = s4;
            end
            loop_strides = r;
        end
    endfunction

    // Layout strides (5 dims) of a dense layout with layout extents e.
    function [159:0] lay_strides;
        input [159:0] e;
        reg [31:0] s0, s1, s2, s3, s4;
        begin
            s4 = 32'd1;
            s3 = e[32*4 +: 32];
            s2 = s3 * e[32*3 +: 32];
            s1 = s2 * e[32*2 +: 32];
            s0 = s1 * e[32*1 +: 32];
            lay_strides = {s4, s3, s2, s1, s0};
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    reg [255:0] v_le, v_e2, v_pe [0:3];
    always @(*) begin : c_0
        integer d, v;
        for (d = 0; d < 8; d = d + 1) begin
            v_le[32*d +: 32] = d_le[d];
            v_e2[32*d +: 32] = d_e2[d];
        end
        for (v = 0; v < 4; v = v + 1) begin
            v_pe[v] = v_le;
            if (R_DIST && v[1]) v_pe[v][32*ROW_DIM +: 32] = d_lastr;
            if (C_DIST && v[0]) v_pe[v][32*COL_DIM +: 32] = d_lastc;
        end
    end
    wire [159:0] d_l1e = lay_ext(v_le, sy, sx);
    wire [159:0] d_l2e = lay_ext(v_e2, sy, sx);
    wire [159:0] d_st1 = lay_strides(d_l1e);
    wire [159:0] d_st2 = lay_strides(d_l2e);
    wire [255:0] d_ls2 = loop_strides(d_l2e, sy, sx);
    reg  [31:0]  d_base;
    always @(*) begin : c_1
        integer d;
        d_base = 32'd0;
        for (d = 0; d < 8; d = d + 1) d_base = d_base + d_off[d] * d_ls2[32*d +: 32];
    end
    wire [31:0] d_grs = d_le[ROW_DIM] * d_ls2[32*ROW_DIM +: 32];
    wire [31:0] d_gcs = d_le[COL_DIM] * d_ls2[32*COL_DIM +: 32];

    // ---- latched walk parameters ----
    reg [31:0] ext [0:3][0:4];   // [last-row, last-col variant][layout dim]
    reg [31:0] st1 [0:4];
    reg [31:0] st2 [0:4];
    reg [31:0] base, grs, gcs;
    reg [7:0]  ngr, ngc, nar, nac;
    reg        clear, fwd, ilock;
    reg [15:0] rcv;              // receiving PEs per word

    // ---- walker state ----
    reg        issuing;
    reg [7:0]  gr, gc;
    reg [31:0] ix [0:4];

    // Combinational: NOC_W slots from the current position, and the position after them.
    reg [NOC_W-1:0]      sl_v;
    reg [31:0]           sl_l2 [0:NOC_W-1];
    reg [31:0]           sl_l1 [0:NOC_W-1];
    reg [ROWS-1:0]       sl_rm [0:NOC_W-1];
    reg [COLS-1:0]       sl_cm [0:NOC_W-1];
    reg                  n_act;
    reg [7:0]            n_gr, n_gc;
    reg [31:0]           n_ix [0:4];
    localparam [ROWS:0] R_ONE_X = {{ROWS{1'b0}}, 1'b1};
    localparam [COLS:0] C_ONE_X = {{COLS{1'b0}}, 1'b1};
    localparam [ROWS-1:0] R_ONE = R_ONE_X[ROWS-1:0];   // bit 0 of a row mask
    localparam [COLS-1:0] C_ONE = C_ONE_X[COLS-1:0];
    localparam [ROWS-1:0] R_ALL = {ROWS{1'b1}};
    localparam [COLS-1:0] C_ALL = {COLS{1'b1}};
    reg [7:0]  last_gr, last_gc;     // group and L1 address of the last valid slot
    reg [15:0] last_a;
    always @(*) begin : c_2
        integer s, k;
        reg carry;
        reg [1:0] var_;
        n_act = issuing; n_gr = gr; n_gc = gc; carry = 1'b0; var_ = 2'd0;
        last_gr = gr; last_gc = gc; last_a = 16'd0;
        for (k = 0; k < 5; k = k + 1) n_ix[k] = ix[k];
        for (s = 0; s < NOC_W; s = s + 1) begin
            sl_v[s] = n_act;
            var_ = {R_DIST && (n_gr + 8'd1 == ngr), C_DIST && (n_gc + 8'd1 == ngc)};
            sl_l2[s] = base + {24'd0, n_gr} * grs + {24'd0, n_gc} * gcs;
            sl_l1[s] = 32'd0;
            for (k = 0; k < 5; k = k + 1) begin
                sl_l2[s] = sl_l2[s] + n_ix[k] * st2[k];
                sl_l1[s] = sl_l1[s] + n_ix[k] * st1[k];
            end
            if (n_act) begin
                last_gr = n_gr; last_gc = n_gc; last_a = sl_l1[s][15:0];
            end
            // PE masks as whole vectors (bit rr: R_DIST ? n_gr == rr : IS_O ? rr == 0 : rr < nar;
            // a shift by >= the width gives 0): no per-bit loop in the simulation.
            sl_rm[s] = R_DIST ? (R_ONE << n_gr) : IS_O ? R_ONE : ~(R_ALL << nar);
            sl_cm[s] = C_DIST ? (C_ONE << n_gc) : IS_O ? C_ONE : ~(C_ALL << nac);
            if (n_act) begin
                carry = 1'b1;
                for (k = 4; k >= 0; k = k - 1) begin
                    if (carry) begin
                        if (n_ix[k] + 32'd1 < ext[var_][k]) begin
                            n_ix[k] = n_ix[k] + 32'd1;
                            carry = 1'b0;
                        end else begin
                            n_ix[k] = 32'd0;
                        end
                    end
                end
                if (carry) begin
                    if (n_gc + 8'd1 < ngc) begin
                        n_gc = n_gc + 8'd1;
                    end else begin
                        n_gc = 8'd0;
                        if (n_gr + 8'd1 < ngr) n_gr = n_gr + 8'd1;
                        else n_act = 1'b0;
                    end
                end
            end
        end
    end

    // ---- psum-fill interlock: hold while the last slot would overtake the collection ----
    wire ahead = (last_gr > c_gr) || (last_gr == c_gr && last_gc > c_gc) ||
                 (last_gr == c_gr && last_gc == c_gc && last_a >= c_addr);
    wire outside = (last_gr >= c_ngr) || (last_gc >= c_ngc);   // a PE the collection never reads
    wire hold = IS_O && ilock && issuing && c_act && ahead && !outside;
    wire [NOC_W-1:0] sl_go = hold ? {NOC_W{1'b0}} : sl_v;

    // ---- L2 read (issue stage) ----
    genvar gs;
    generate
        for (gs = 0; gs < NOC_W; gs = gs + 1) begin : g_rd
            assign nr_en[gs] = sl_go[gs] && !clear;
            assign nr_addr[gs*24 +: 24] = sl_l2[gs][23:0];
        end
    endgenerate

    // ---- pipeline ----
    reg [NOC_W-1:0]    s1_v;
    reg                s1_any;
    reg [NOC_W*16-1:0] s1_l1;
    reg [NOC_W*ROWS-1:0] s1_rm;
    reg [NOC_W*COLS-1:0] s1_cm;
    reg                s2_any;

    always @(posedge clk) begin : p_3
        integer v, s, k;
        if (rst) begin
            issuing <= 1'b0; ilock <= 1'b0; clear <= 1'b0; fwd <= 1'b0;
            gr <= 8'd0; gc <= 8'd0; ngr <= 8'd1; ngc <= 8'd1; nar <= 8'd1; nac <= 8'd1;
            base <= 32'd0; grs <= 32'd0; gcs <= 32'd0; rcv <= 16'd0;
            nr_half <= 1'b0; b_half <= 1'b0;
            for (k = 0; k < 5; k = k + 1) begin
                ix[k] <= 32'd0; st1[k] <= 32'd0; st2[k] <= 32'd0;
                for (v = 0; v < 4; v = v + 1) ext[v][k] <= 32'd1;
            end
            s1_v <= {NOC_W{1'b0}}; s1_any <= 1'b0; s2_any <= 1'b0;
            // The PE masks reach 64 slots x 255 PEs = 16320 bits at the template's limits, more
            // than the 8k bits Verilator expects of a replication: intended.
            /* verilator lint_off WIDTHCONCAT */
            s1_l1 <= {NOC_W*16{1'b0}}; s1_rm <= {NOC_W*ROWS{1'b0}}; s1_cm <= {NOC_W*COLS{1'b0}};
            b_valid <= {NOC_W{1'b0}}; b_addr <= {NOC_W*16{1'b0}}; b_data <= {NOC_W*DB{1'b0}};
            b_rowm <= {NOC_W*ROWS{1'b0}}; b_colm <= {NOC_W*COLS{1'b0}};
            /* verilator lint_on WIDTHCONCAT */
        end else begin
            // pipeline stage 1 (after the L2 read register) and stage 2 (bus register)
            s1_any <= issuing;
            s1_v <= issuing ? (clear ? {NOC_W{1'b0}} : sl_go) : {NOC_W{1'b0}};
            for (s = 0; s < NOC_W; s = s + 1) begin
                s1_l1[s*16 +: 16] <= sl_l1[s][15:0];
                s1_rm[s*ROWS +: ROWS] <= sl_rm[s];
                s1_cm[s*COLS +: COLS] <= sl_cm[s];
            end
            s2_any <= s1_any;
            b_valid <= s1_v;
            b_addr <= s1_l1;
            b_rowm <= s1_rm;
            b_colm <= s1_cm;
            b_data <= (IS_O && fwd) ? fwd_data[NOC_W*DB-1:0] : nr_data;

            if (start) begin
                for (v = 0; v < 4; v = v + 1) begin : lat
                    reg [159:0] e;
                    e = lay_ext(v_pe[v], sy, sx);
                    for (k = 0; k < 5; k = k + 1) ext[v][k] <= e[32*k +: 32];
                end
                for (k = 0; k < 5; k = k + 1) begin
                    st1[k] <= d_st1[32*k +: 32];
                    st2[k] <= d_st2[32*k +: 32];
                    ix[k] <= 32'd0;
                end
                base <= d_base; grs <= d_grs; gcs <= d_gcs;
                nar <= d_nar; nac <= d_nac;
                ngr <= R_DIST ? d_nar : 8'd1;
                ngc <= C_DIST ? d_nac : 8'd1;
                rcv <= {8'd0, (R_DIST || IS_O) ? 8'd1 : d_nar} *
                       {8'd0, (C_DIST || IS_O) ? 8'd1 : d_nac};
                gr <= 8'd0; gc <= 8'd0;
                clear <= IS_O && !desc[S_PSUM];
                fwd <= IS_O && o_fwd;
                ilock <= IS_O && o_ilock;
                issuing <= 1'b1;
                nr_half <= (TENSOR == 0) ? tile[T_H2W] : (TENSOR == 1) ? tile[T_H2I] : tile[T_H2O];
                b_half  <= (TENSOR == 0) ? desc[S_HW] : (TENSOR == 1) ? desc[S_HI] : desc[S_HO];
            end else begin
                if (issuing && !hold) begin
                    issuing <= n_act;
                    gr <= n_gr; gc <= n_gc;
                    for (k = 0; k < 5; k = k + 1) ix[k] <= n_ix[k];
                end
            end
        end
    end

    assign busy = issuing || s1_any || s2_any;
    assign fin = !issuing && !s1_any;

    // counters
    reg [7:0] nv;
    always @(*) begin : c_4
        integer s;
        nv = 8'd0;
        for (s = 0; s < NOC_W; s = s + 1) nv = nv + {7'd0, sl_v[s]};
    end
    wire [7:0] nv_cnt = (issuing && !clear && !hold) ? nv : 8'd0;
    assign inc_l2 = {16'd0, nv_cnt};
    wire [23:0] l1f = {16'd0, nv_cnt} * {8'd0, rcv};
    assign inc_l1 = l1f;
endmodule
