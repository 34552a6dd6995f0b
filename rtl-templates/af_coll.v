// af_coll: collection engine (docs/template.md sections 4 and 5, "Multicast and reduction",
// "Buses"). At `start` it latches the STEP descriptor of the step whose outputs leave the PEs and
// walks the distinct output words: one group per active index of each array axis whose dimension
// is relevant to the outputs; along a reduced axis (C, R, S) every PE that holds partial sums of
// the output visit (the `onar` / `onac` PEs active at the visit's first step) is read at once and
// summed by the adder tree in af_pe_array. NOC_W words per cycle, so V distinct words take
// ceil(V / NOC_W) issue cycles, plus COLLECT_LATENCY_CYCLES = 2:
//   issue: L1 read (+ clear) and adder tree -> adder-tree register -> L2 write (+ 1 spare cycle
//   in which nothing of this collection is in flight, kept so the page's constant holds).
module af_coll #(
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
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [TILE_W-1:0]        tile,
    /* verilator lint_on UNUSEDSIGNAL */
    // PE array read (issue stage)
    output wire [NOC_W-1:0]         cr_valid,
    output reg                      cr_half,
    output wire [NOC_W*16-1:0]      cr_addr,
    output wire [NOC_W*ROWS-1:0]    cr_rowm,
    output wire [NOC_W*COLS-1:0]    cr_colm,
    input  wire [NOC_W*32-1:0]      sum_q,      // adder-tree register (af_pe_array)
    // L2 O write
    output wire [NOC_W-1:0]         nw_en,
    output reg                      nw_half,
    output wire [NOC_W*24-1:0]      nw_addr,
    output wire [NOC_W*32-1:0]      nw_data,
    output wire                     busy,
    output wire                     fin,
    // progress, for the psum-fill interlock (af_dist TENSOR = 2): after this cycle every word
    // before (nx_gr, nx_gc, nx_addr) of this collection has been read, or all when !nx_act
    output wire                     nx_act,
    output wire [7:0]               nx_gr,
    output wire [7:0]               nx_gc,
    output wire [15:0]              nx_addr,
    output wire [7:0]               n_gr_o,     // groups of this collection
    output wire [7:0]               n_gc_o,
    output wire [23:0]              inc_l2,     // L2 O updates this cycle (after reduction)
    output wire [23:0]              inc_l1      // L1 O drains this cycle (per sending PE)
);
    localparam [7:0] REL = 8'h37;       // outputs: N G K Y X
    localparam R_DIST = REL[ROW_DIM];   // rows hold distinct outputs (else: reduced)
    localparam C_DIST = REL[COL_DIM];
    localparam integer S_OFF = 0, S_LE = 128, S_NAR = 256, S_NAC = 264, S_LASTR = 272,
                       S_LASTC = 288, S_HO = 306, S_ONAR = 312, S_ONAC = 320;
    localparam integer T_E2 = 0, T_H2O = 130;

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
    wire [7:0]  d_onar = desc[S_ONAR +: 8];
    wire [7:0]  d_onac = desc[S_ONAC +: 8];
    wire [31:0] d_lastr = {16'd0, desc[S_LASTR +: 16]};
    wire [31:0] d_lastc = {16'd0, desc[S_LASTC +: 16]};

    // O layout dims N G K Y X = loop dims 0 1 2 4 5.
    function [31:0] odim;
        input integer k;
        begin
            odim = (k < 3) ? k : k + 1;
        end
    endfunction

    // Strides of the dense O layout on per-dim extents x (layout dim k).
    reg [31:0] d_st1 [0:4];
    reg [31:0] d_st2 [0:4];
    reg [31:0] d_ls2 [0:7];   // L2 stride per loop dim
    reg [31:0] d_ext [0:3][0:4];
    reg [31:0] d_base;
    always @(*) begin : c_0
        integer k, v, d;
        d_st1[4] = 32'd1; d_st2[4] = 32'd1;
        for (k = 3; k >= 0; k = k - 1) begin
            d_st1[k] = d_st1[k+1] * d_le[odim(k+1)];
            d_st2[k] = d_st2[k+1] * d_e2[odim(k+1)];
        end
        for (d = 0; d < 8; d = d + 1) d_ls2[d] = 32'd0;
        for (k = 0; k < 5; k = k + 1) d_ls2[odim(k)] = d_st2[k];
        d_base = 32'd0;
        for (d = 0; d < 8; d = d + 1) d_base = d_base + d_off[d] * d_ls2[d];
        for (v = 0; v < 4; v = v + 1)
            for (k = 0; k < 5; k = k + 1) begin
                d_ext[v][k] = d_le[odim(k)];
                if (R_DIST && v[1] && odim(k) == ROW_DIM) d_ext[v][k] = d_lastr;
                if (C_DIST && v[0] && odim(k) == COL_DIM) d_ext[v][k] = d_lastc;
            end
    end
    wire [31:0] d_grs = d_le[ROW_DIM] * d_ls2[ROW_DIM];
    wire [31:0] d_gcs = d_le[COL_DIM] * d_ls2[COL_DIM];

    // latched
    reg [31:0] ext [0:3][0:4];
    reg [31:0] st1 [0:4];
    reg [31:0] st2 [0:4];
    reg [31:0] base, grs, gcs;
    reg [7:0]  ngr, ngc, onar, onac;
    reg [15:0] senders;
    // walker
    reg        issuing;
    reg [7:0]  gr, gc;
    reg [31:0] ix [0:4];

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
    always @(*) begin : c_1
        integer k, s;
        reg carry;
        reg [1:0] var_;
        n_act = issuing; n_gr = gr; n_gc = gc; carry = 1'b0; var_ = 2'd0;
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
            // PE masks as whole vectors (bit rr: R_DIST ? n_gr == rr : rr < onar; a shift by >= the
            // width gives 0): no per-bit loop in the simulation.
            sl_rm[s] = R_DIST ? (R_ONE << n_gr) : ~(R_ALL << onar);
            sl_cm[s] = C_DIST ? (C_ONE << n_gc) : ~(C_ALL << onac);
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

    genvar gs;
    generate
        for (gs = 0; gs < NOC_W; gs = gs + 1) begin : g_rd
            assign cr_valid[gs] = sl_v[gs];
            assign cr_addr[gs*16 +: 16] = sl_l1[gs][15:0];
            assign cr_rowm[gs*ROWS +: ROWS] = sl_rm[gs];
            assign cr_colm[gs*COLS +: COLS] = sl_cm[gs];
        end
    endgenerate

    reg [NOC_W-1:0]    s1_v;
    reg                s1_any, s2_any;
    reg [NOC_W*24-1:0] s1_l2;
    always @(posedge clk) begin : p_2
        integer k, v, s;
        if (rst) begin
            issuing <= 1'b0; gr <= 8'd0; gc <= 8'd0; ngr <= 8'd1; ngc <= 8'd1;
            onar <= 8'd1; onac <= 8'd1; senders <= 16'd1;
            base <= 32'd0; grs <= 32'd0; gcs <= 32'd0; cr_half <= 1'b0; nw_half <= 1'b0;
            for (k = 0; k < 5; k = k + 1) begin
                ix[k] <= 32'd0; st1[k] <= 32'd0; st2[k] <= 32'd0;
                for (v = 0; v < 4; v = v + 1) ext[v][k] <= 32'd1;
            end
            s1_v <= {NOC_W{1'b0}}; s1_any <= 1'b0; s2_any <= 1'b0; s1_l2 <= {NOC_W*24{1'b0}};
        end else begin
            s1_any <= issuing;
            s1_v <= issuing ? sl_v : {NOC_W{1'b0}};
            for (s = 0; s < NOC_W; s = s + 1) s1_l2[s*24 +: 24] <= sl_l2[s][23:0];
            s2_any <= s1_any;
            if (start) begin
                for (v = 0; v < 4; v = v + 1)
                    for (k = 0; k < 5; k = k + 1) ext[v][k] <= d_ext[v][k];
                for (k = 0; k < 5; k = k + 1) begin
                    st1[k] <= d_st1[k]; st2[k] <= d_st2[k]; ix[k] <= 32'd0;
                end
                base <= d_base; grs <= d_grs; gcs <= d_gcs;
                ngr <= R_DIST ? d_nar : 8'd1;
                ngc <= C_DIST ? d_nac : 8'd1;
                onar <= d_onar; onac <= d_onac;
                senders <= {8'd0, R_DIST ? 8'd1 : d_onar} * {8'd0, C_DIST ? 8'd1 : d_onac};
                gr <= 8'd0; gc <= 8'd0;
                issuing <= 1'b1;
                cr_half <= desc[S_HO];
                nw_half <= tile[T_H2O];
            end else if (issuing) begin
                issuing <= n_act;
                gr <= n_gr; gc <= n_gc;
                for (k = 0; k < 5; k = k + 1) ix[k] <= n_ix[k];
            end
        end
    end

    reg [31:0] nx_l1;
    always @(*) begin : c_3
        integer k;
        nx_l1 = 32'd0;
        for (k = 0; k < 5; k = k + 1) nx_l1 = nx_l1 + n_ix[k] * st1[k];
    end
    assign nx_act = issuing && n_act;
    assign nx_gr = n_gr;
    assign nx_gc = n_gc;
    assign nx_addr = nx_l1[15:0];
    assign n_gr_o = ngr;
    assign n_gc_o = ngc;

    assign nw_en = s1_v;
    assign nw_addr = s1_l2;
    assign nw_data = sum_q;
    assign busy = issuing || s1_any || s2_any;
    assign fin = !issuing && !s1_any;

    reg [7:0] nv;
    always @(*) begin : c_4
        integer s;
        nv = 8'd0;
        for (s = 0; s < NOC_W; s = s + 1) nv = nv + {7'd0, sl_v[s]};
    end
    wire [7:0] nv_cnt = issuing ? nv : 8'd0;
    assign inc_l2 = {16'd0, nv_cnt};
    wire [23:0] l1d = {16'd0, nv_cnt} * {8'd0, senders};
    assign inc_l1 = l1d;
endmodule
