// af_ctrl: the loop-nest controller of the AccelForge template (docs/template.md sections 3-5).
//
//  * Register port (INTERFACES.md section 5): layer shape, strides, padding (informational),
//    DRAM bases, both levels' tile sizes and loop orders; status; counters (through af_counters).
//  * L2 level: walks the L2 tiles in order ORDER2 (edge tiles clipped), keeps the previous, current
//    and next tile (reload flags, freshness of the outputs, L2 half of each tensor) and runs the
//    L2 pipeline: DMA fill of tile 0; per tile one period = 1 hand-off cycle (the page's
//    L2_TILE_OVERHEAD_CYCLES, a "GAP" state) + max(L1 pipeline of the tile, DMA phase that stores
//    the previous tile's outputs and loads the next tile); DMA drain of the last outputs.
//  * L1 level: a step generator walks (L2 tile, array step) in orders ORDER2 / ORDER1 one step per
//    cycle, derives each step's STEP descriptor (offsets, lock-step PE extents, active rows/cols
//    and the clipped extents of the last ones, reload flags, L1 halves, psum-or-clear, the active
//    PEs of the output visit) and queues it. The L1 pipeline of a tile is a sequence of periods;
//    at each period boundary (every engine finishing) it starts: the compute of step j (mac_seq),
//    the distribution of step j+1 (the tensors it reloads) and the collection of step j-1 (when
//    the outputs change at j, or at the end of the tile). The first period (only distribution of
//    step 0) is the L1 fill, the last (only the collection of the last step) the L1 drain.
//  * Per-cause cycle counters: compute, input_wait, output_wait, dram_stall, fill_drain (section 5
//    table).
//  * Simulation speed: Verilator evaluates every combinational block on every cycle, so what changes
//    only at a few events is computed in the clocked process at those events, from the values the
//    combinational form would see: a step's STEP descriptor when the step is queued, the successor
//    L2 tile at the tile shift; the DMA and TILE buses are registers, rebuilt when the state or a
//    tile changes (their register fields at the register write), so that they carry in every cycle
//    the value the combinational form had.
//  * Area: every value is held in one register. The dims, strides and DRAM bases live in their
//    fields of the DMA bus register, the next tile in its load fields, the current tile's extents
//    and halves in the TILE bus register, the previous tile in the store fields (in GAP, the only
//    state that shows it); the controller reads them from there.
module af_ctrl #(
    parameter ROWS = 2,
    parameter COLS = 2,
    parameter ROW_DIM = 3,
    parameter COL_DIM = 2,
    parameter NOC_W = 1,
    parameter DRAM_B = 8,
    parameter STEP_W = 330,
    parameter TILE_W = 163,
    parameter DMA_W = 784
) (
    input  wire               clk,
    input  wire               rst,
    // register port
    input  wire               cfg_wr,
    input  wire [7:0]         cfg_addr,
    input  wire [31:0]        cfg_wdata,
    output reg  [31:0]        cfg_rdata,
    output wire               busy,
    output reg                done,
    // counters
    output wire               cnt_clear,
    output wire [7:0]         cnt_sel,
    input  wire [63:0]        cnt_data,
    output wire [6*24-1:0]    inc_cause,   // cycles, compute, input_wait, output_wait, dram_stall, fill_drain
    // L1 engines
    output wire               mac_start,
    output wire               dw_start,
    output wire               di_start,
    output wire               do_start,
    output wire               coll_start,
    output wire [STEP_W-1:0]  desc_mac,
    output wire [STEP_W-1:0]  desc_dist,
    output wire [STEP_W-1:0]  desc_coll,
    output wire [TILE_W-1:0]  tile,
    output wire               o_ilock,
    output wire               o_fwd,
    input  wire               mac_fin,
    input  wire               mac_busy,
    input  wire               dw_fin,
    input  wire               dw_busy,
    input  wire               di_fin,
    input  wire               di_busy,
    input  wire               do_fin,
    input  wire               do_busy,
    input  wire               coll_fin,
    // DMA
    output wire               dma_start,
    output wire [DMA_W-1:0]   dma_desc,
    input  wire               dma_fin
);
    // ---------------- constants ----------------
    localparam [7:0] REL_W = 8'hCE, REL_I = 8'hFB, REL_O = 8'h37;
    localparam R_OREL = REL_O[ROW_DIM];
    localparam C_OREL = REL_O[COL_DIM];
    // STEP fields
    localparam integer S_OFF = 0, S_LE = 128, S_NAR = 256, S_NAC = 264, S_LASTR = 272,
                       S_LASTC = 288, S_HW = 304, S_HI = 305, S_HO = 306, S_VALID = 307,
                       S_RW = 308, S_RI = 309, S_RO = 310, S_PSUM = 311, S_ONAR = 312,
                       S_ONAC = 320, S_FIRST = 328, S_LAST = 329;
    // DMA fields
    localparam integer D_ST_V = 0, D_ST_H = 1, D_LD_V = 2, D_LD_RW = 3, D_LD_RI = 4, D_LD_RO = 5,
                       D_LD_FRESH = 6, D_LD_HW = 7, D_LD_HI = 8, D_LD_HO = 9,
                       D_ST_OFF = 16, D_ST_E2 = 144, D_LD_OFF = 272, D_LD_E2 = 400, D_DIMS = 528,
                       D_SY = 656, D_SX = 672, D_BW = 688, D_BI = 720, D_BO = 752;
    // TILE fields
    localparam integer T_E2 = 0, T_H2 = 128, T_SY = 131;   // then SX at 147
    localparam [31:0] MAGIC = 32'hAF7E0001;
    localparam [127:0] ONES = {8{16'd1}};   // 1 in each of 8 16-bit fields

    // ---------------- registers ----------------
    // The DMA bus, kept by the clocked process: dma_lo (below) of the state and the tiles, then the
    // registers dims, SY, SX and the DRAM bases, which are held only here (fields D_DIMS ..).
    reg [DMA_W-1:0] dd_q;
    // The TILE bus below its strides (read from dd_q): the current tile's extents and halves.
    reg [T_SY-1:0] tile_q;
    reg [15:0] t2r  [0:7];
    reg [15:0] t1r  [0:7];
    reg [15:0] py, px;
    reg [31:0] ord2, ord1;

    function [2:0] ordd;   // dim at loop position p of an order register
        input [31:0] o;
        input integer p;
        begin
            ordd = o[4*p +: 3];
        end
    endfunction

    function [15:0] min16;
        input [31:0] a, b;
        begin
            min16 = (a < b) ? a[15:0] : b[15:0];
        end
    endfunction

    // ---------------- step generator ----------------
    // The generator's position; the STEP descriptor of that step is derived by the clocked process
    // (block `gen`) in the cycle the step is queued.
    localparam [2:0] ST_IDLE = 3'd0, ST_INIT = 3'd1, ST_FILL = 3'd2, ST_GAP = 3'd3, ST_RUN = 3'd4,
                     ST_DRAIN = 3'd5;
    reg [2:0]  st;
    reg        g_act;
    reg [15:0] g_off2 [0:7];
    reg [15:0] g_soff [0:7];
    reg [15:0] g_psoff [0:7];     // previous step's offsets (same tile)
    reg [2:0]  g_ph;              // previous step's halves {o, i, w}
    reg [7:0]  g_ponar, g_ponac;

    // step queue
    localparam integer QD = 4;
    reg [STEP_W-1:0] fq [0:QD-1];
    reg [1:0] q_rd, q_wr;
    reg [2:0] q_n;
    wire q_full = (q_n == QD[2:0]);
    wire q_has = (q_n != 3'd0);
    wire [STEP_W-1:0] head = fq[q_rd];
    wire g_push = g_act && !q_full && (st != ST_IDLE) && (st != ST_INIT);

    // ---------------- L2 tiles: previous / current / next ----------------
    // Offsets and extents are 8 fields of 16 bits (dimension d at [16*d +: 16]), as on the DMA bus.
    // Here only what no bus register holds: the current tile's offsets and flags, the next tile's
    // validity. The next tile's offsets, extents, reload flags, halves and freshness are the load
    // fields of dd_q (written in every state); the current tile's extents and halves are tile_q;
    // the previous tile is the current one before the last shift, needed only in GAP (entered only
    // by a shift), where dd_q's store fields carry it.
    reg [127:0] ct_off;
    reg         ct_v, nt_v;
    reg         ct_ro;                // the current tile reloaded O (the previous one is stored)

    // ---------------- L1 pipeline ----------------
    reg              l1_act;
    reg [STEP_W-1:0] D0, D1;        // D0: last computed step (collect), D1: step to compute next
    reg              p_mac;         // the running period computes
    reg [23:0]       wacc;          // non-compute cycles of the running period

    wire all_fin = mac_fin && dw_fin && di_fin && do_fin && coll_fin;
    wire d0v = D0[S_VALID], d1v = D1[S_VALID];
    wire at_gap = (st == ST_GAP);
    // what the next period needs
    wire need_dist = at_gap ? 1'b1 : (d1v && !D1[S_LAST]);
    wire dist_ok = !need_dist || (q_has && (head[S_FIRST] == at_gap));
    wire boundary = at_gap ? dist_ok : (st == ST_RUN && l1_act && all_fin && dist_ok);
    wire start_mac = boundary && !at_gap && d1v;
    wire start_coll = boundary && !at_gap && d0v && (!d1v || D1[S_RO]);
    wire use_head = boundary && need_dist;
    wire l1_end = boundary && !at_gap && !start_mac && !start_coll && !use_head;
    wire q_pop = use_head;

    assign mac_start = start_mac;
    assign coll_start = start_coll;
    assign dw_start = use_head && head[S_RW];
    assign di_start = use_head && head[S_RI];
    assign do_start = use_head && head[S_RO];
    assign desc_mac = D1;
    assign desc_dist = head;
    assign desc_coll = D0;

    // psum fill vs collection in the same period (INTERFACES.md section 10)
    wire o_conflict = start_coll && do_start && head[S_PSUM];
    reg o_same_shape, o_same_coord;
    always @(*) begin : c_3
        integer d;
        o_same_shape = 1'b1;
        o_same_coord = 1'b1;
        if (o_conflict) begin   // only read then: skip the comparisons in the other cycles
            for (d = 0; d < 8; d = d + 1) begin
                if (REL_O[d]) begin
                    if (D0[S_LE + 16*d +: 16] != head[S_LE + 16*d +: 16]) o_same_shape = 1'b0;
                    if (D0[S_OFF + 16*d +: 16] != head[S_OFF + 16*d +: 16]) o_same_coord = 1'b0;
                end
            end
            if (R_OREL && (D0[S_NAR +: 8] != head[S_NAR +: 8] || D0[S_LASTR +: 16] != head[S_LASTR +: 16]))
                o_same_shape = 1'b0;
            if (C_OREL && (D0[S_NAC +: 8] != head[S_NAC +: 8] || D0[S_LASTC +: 16] != head[S_LASTC +: 16]))
                o_same_shape = 1'b0;
        end
    end
    assign o_ilock = o_conflict && !(o_same_shape && o_same_coord);
    assign o_fwd   = o_conflict && o_same_shape && o_same_coord;

    // tile bus (current L2 tile): {sx, sy, halves, extents}
    assign tile = {dd_q[D_SX +: 16], dd_q[D_SY +: 16], tile_q};

    // ---------------- DMA phases ----------------
    wire l1_done_now = !l1_act || l1_end;
    wire run_end = (st == ST_RUN) && l1_done_now && dma_fin;
    // The DMA bus below D_DIMS for state s and the tiles p (previous), c (current), n (next):
    // store the previous tile in GAP (when the outputs change), the current one at the last run
    // end; load the next tile at INIT and in GAP.
    function [D_DIMS-1:0] dma_lo;
        input [2:0]   s;
        input         p_v, p_ho, c_ro, c_ho, n_v, n_fresh;
        input [2:0]   n_r, n_h;
        input [127:0] p_off, p_e2, c_off, c_e2, n_off, n_e2;
        reg g;
        begin
            g = (s == ST_GAP);
            dma_lo = {D_DIMS{1'b0}};
            dma_lo[D_ST_V] = g ? (p_v && c_ro) : (s == ST_RUN);
            dma_lo[D_ST_H] = g ? p_ho : c_ho;
            dma_lo[D_LD_V] = (s == ST_INIT) || (g && n_v);
            dma_lo[D_LD_RW] = n_r[0];
            dma_lo[D_LD_RI] = n_r[1];
            dma_lo[D_LD_RO] = n_r[2];
            dma_lo[D_LD_FRESH] = n_fresh;
            dma_lo[D_LD_HW] = n_h[0];
            dma_lo[D_LD_HI] = n_h[1];
            dma_lo[D_LD_HO] = n_h[2];
            dma_lo[D_ST_OFF +: 128] = g ? p_off : c_off;
            dma_lo[D_ST_E2 +: 128] = g ? p_e2 : c_e2;
            dma_lo[D_LD_OFF +: 128] = n_off;
            dma_lo[D_LD_E2 +: 128] = n_e2;
        end
    endfunction
    wire dm_st_v = dd_q[D_ST_V], dm_ld_v = dd_q[D_LD_V];
    assign dma_desc = dd_q;
    assign dma_start = (st == ST_INIT) || (at_gap && boundary && (dm_st_v || dm_ld_v)) ||
                       (run_end && !nt_v);

    // ---------------- cycle causes ----------------
    wire counted = (st == ST_FILL) || (st == ST_GAP) || (st == ST_RUN) || (st == ST_DRAIN);
    reg c_comp, c_fd, c_stall;
    reg [23:0] c_iw, c_ow;
    always @(*) begin
        c_comp = 1'b0; c_fd = 1'b0; c_stall = 1'b0; c_iw = 24'd0; c_ow = 24'd0;
        if (st == ST_FILL || st == ST_DRAIN) c_fd = 1'b1;
        else if (st == ST_GAP) c_stall = 1'b1;
        else if (st == ST_RUN) begin
            if (!l1_act) c_stall = 1'b1;
            else if (!p_mac) c_fd = 1'b1;
            else begin
                if (mac_busy) c_comp = 1'b1;
                if (boundary) begin
                    if (dw_busy || di_busy || do_busy) c_iw = wacc + {23'd0, !mac_busy};
                    else c_ow = wacc + {23'd0, !mac_busy};
                end
            end
        end
    end
    assign inc_cause = {{23'd0, c_fd}, {23'd0, c_stall}, c_ow, c_iw, {23'd0, c_comp},
                        {23'd0, counted}};

    // ---------------- register port ----------------
    wire do_start_cmd = cfg_wr && cfg_addr == 8'h00 && cfg_wdata[0] && st == ST_IDLE;
    assign cnt_clear = do_start_cmd;
    assign cnt_sel = {1'b0, cfg_addr[6:0] - 7'h40} >> 1;
    assign busy = (st != ST_IDLE);
    always @(*) begin
        cfg_rdata = 32'd0;
        casez (cfg_addr)
            8'h01: cfg_rdata = {30'd0, done, busy};
            8'h02: cfg_rdata = MAGIC;
            8'h03: cfg_rdata = {NOC_W[7:0], COL_DIM[3:0], ROW_DIM[3:0], COLS[7:0], ROWS[7:0]};
            8'h04: cfg_rdata = DRAM_B;
            8'b0000_1???: cfg_rdata = {16'd0, dd_q[D_DIMS + 16*cfg_addr[2:0] +: 16]};
            8'h10: cfg_rdata = {16'd0, dd_q[D_SY +: 16]};
            8'h11: cfg_rdata = {16'd0, dd_q[D_SX +: 16]};
            8'h12: cfg_rdata = {16'd0, py};
            8'h13: cfg_rdata = {16'd0, px};
            8'h14: cfg_rdata = dd_q[D_BW +: 32];
            8'h15: cfg_rdata = dd_q[D_BI +: 32];
            8'h16: cfg_rdata = dd_q[D_BO +: 32];
            8'b0001_1???: cfg_rdata = {16'd0, t2r[cfg_addr[2:0]]};
            8'h20: cfg_rdata = ord2;
            8'b0010_1???: cfg_rdata = {16'd0, t1r[cfg_addr[2:0]]};
            8'h30: cfg_rdata = ord1;
            8'b01??_????: cfg_rdata = cfg_addr[0] ? cnt_data[63:32] : cnt_data[31:0];
            default: cfg_rdata = 32'd0;
        endcase
    end

    // ---------------- top-level state machine: next state ----------------
    reg [2:0] st_n;
    always @(*) begin
        st_n = st;
        case (st)
            ST_IDLE: if (do_start_cmd) st_n = ST_INIT;
            ST_INIT: st_n = ST_FILL;
            ST_FILL: if (dma_fin) st_n = ST_GAP;
            ST_GAP: if (boundary) st_n = ST_RUN;
            ST_RUN: if (run_end) st_n = nt_v ? ST_GAP : ST_DRAIN;
            ST_DRAIN: if (dma_fin) st_n = ST_IDLE;
            default: st_n = ST_IDLE;
        endcase
    end

    // ---------------- sequential ----------------
    always @(posedge clk) begin : p_5
        integer d;
        if (rst) begin
            st <= ST_IDLE; done <= 1'b0;
            for (d = 0; d < 8; d = d + 1) begin
                t2r[d] <= 16'd1; t1r[d] <= 16'd1;
                g_off2[d] <= 16'd0; g_soff[d] <= 16'd0; g_psoff[d] <= 16'd0;
            end
            py <= 16'd0; px <= 16'd0;
            ord2 <= 32'h76543210; ord1 <= 32'h76543210;
            g_act <= 1'b0; g_ph <= 3'd0; g_ponar <= 8'd0; g_ponac <= 8'd0;
            q_rd <= 2'd0; q_wr <= 2'd0; q_n <= 3'd0;
            l1_act <= 1'b0; D0 <= {STEP_W{1'b0}}; D1 <= {STEP_W{1'b0}};
            p_mac <= 1'b0; wacc <= 24'd0;
        end else begin
            // step generator and queue: derive the generator's step and queue it
            if (g_push) begin : gen
                reg carry;
                integer p, r;
                reg [31:0] A [0:7];      // array step extent T1[d] * (ROWS | COLS | 1)
                reg [15:0] ge2 [0:7];
                reg [15:0] gse [0:7];
                reg [15:0] gle [0:7];
                reg [7:0]  gnar, gnac;
                reg [15:0] glastr, glastc;
                reg        gfirst, glast, gfresh2, grw, gri, gro, gpsum, gl2wrap;
                reg [15:0] gnsoff [0:7];
                reg [15:0] gnoff2 [0:7];
                reg [2:0]  gh;
                reg [7:0]  gonar, gonac;
                reg [STEP_W-1:0] gdesc;
                reg [127:0] dims;        // the layer dims (fields of dd_q)
                dims = dd_q[D_DIMS +: 128];
                for (d = 0; d < 8; d = d + 1) begin
                    A[d] = {16'd0, t1r[d]};
                    if (d == ROW_DIM) A[d] = {16'd0, t1r[d]} * ROWS;
                    if (d == COL_DIM) A[d] = {16'd0, t1r[d]} * COLS;
                end
                gfirst = 1'b1;
                for (d = 0; d < 8; d = d + 1) begin
                    ge2[d] = min16({16'd0, t2r[d]}, {16'd0, dims[16*d +: 16]} - {16'd0, g_off2[d]});
                    gse[d] = min16(A[d], {16'd0, ge2[d]} - {16'd0, g_soff[d]});
                    gle[d] = (d == ROW_DIM || d == COL_DIM) ? min16({16'd0, t1r[d]}, {16'd0, gse[d]}) : gse[d];
                    if (g_soff[d] != 16'd0) gfirst = 1'b0;
                end
                // active rows / cols and the clipped extent of the last one
                gnar = 8'd0;
                for (r = 0; r < ROWS; r = r + 1)
                    if (r * {16'd0, t1r[ROW_DIM]} < {16'd0, gse[ROW_DIM]}) gnar = r[7:0] + 8'd1;
                glastr = gse[ROW_DIM] - ({8'd0, gnar} - 16'd1) * t1r[ROW_DIM];
                gnac = 8'd0;
                for (r = 0; r < COLS; r = r + 1)
                    if (r * {16'd0, t1r[COL_DIM]} < {16'd0, gse[COL_DIM]}) gnac = r[7:0] + 8'd1;
                glastc = gse[COL_DIM] - ({8'd0, gnac} - 16'd1) * t1r[COL_DIM];
                // reloads (relative to the previous step of the same tile)
                grw = gfirst; gri = gfirst; gro = gfirst;
                for (d = 0; d < 8; d = d + 1) begin
                    if (g_soff[d] != g_psoff[d]) begin
                        if (REL_W[d]) grw = 1'b1;
                        if (REL_I[d]) gri = 1'b1;
                        if (REL_O[d]) gro = 1'b1;
                    end
                end
                gh = gfirst ? 3'b000 : (g_ph ^ {gro, gri, grw});
                gfresh2 = g_off2[3] == 16'd0 && g_off2[6] == 16'd0 && g_off2[7] == 16'd0;
                gpsum = gro && !(gfresh2 && g_soff[3] == 16'd0 && g_soff[6] == 16'd0 && g_soff[7] == 16'd0);
                gonar = gro ? gnar : g_ponar;
                gonac = gro ? gnac : g_ponac;
                // next step inside the tile (order ORDER1, innermost = position 7)
                carry = 1'b1;
                for (d = 0; d < 8; d = d + 1) gnsoff[d] = g_soff[d];
                for (p = 7; p >= 0; p = p - 1) begin
                    if (carry) begin
                        if ({16'd0, g_soff[ordd(ord1, p)]} + A[ordd(ord1, p)] < {16'd0, ge2[ordd(ord1, p)]}) begin
                            gnsoff[ordd(ord1, p)] = g_soff[ordd(ord1, p)] + A[ordd(ord1, p)][15:0];
                            carry = 1'b0;
                        end else begin
                            gnsoff[ordd(ord1, p)] = 16'd0;
                        end
                    end
                end
                glast = carry;
                // next L2 tile (order ORDER2)
                carry = 1'b1;
                for (d = 0; d < 8; d = d + 1) gnoff2[d] = g_off2[d];
                for (p = 7; p >= 0; p = p - 1) begin
                    if (carry) begin
                        if ({16'd0, g_off2[ordd(ord2, p)]} + {16'd0, t2r[ordd(ord2, p)]} <
                            {16'd0, dims[16*ordd(ord2, p) +: 16]}) begin
                            gnoff2[ordd(ord2, p)] = g_off2[ordd(ord2, p)] + t2r[ordd(ord2, p)];
                            carry = 1'b0;
                        end else begin
                            gnoff2[ordd(ord2, p)] = 16'd0;
                        end
                    end
                end
                gl2wrap = carry;
                // pack
                gdesc = {STEP_W{1'b0}};
                for (d = 0; d < 8; d = d + 1) begin
                    gdesc[S_OFF + 16*d +: 16] = g_soff[d];
                    gdesc[S_LE + 16*d +: 16] = gle[d];
                end
                gdesc[S_NAR +: 8] = gnar;
                gdesc[S_NAC +: 8] = gnac;
                gdesc[S_LASTR +: 16] = glastr;
                gdesc[S_LASTC +: 16] = glastc;
                gdesc[S_HW] = gh[0];
                gdesc[S_HI] = gh[1];
                gdesc[S_HO] = gh[2];
                gdesc[S_VALID] = 1'b1;
                gdesc[S_RW] = grw;
                gdesc[S_RI] = gri;
                gdesc[S_RO] = gro;
                gdesc[S_PSUM] = gpsum;
                gdesc[S_ONAR +: 8] = gonar;
                gdesc[S_ONAC +: 8] = gonac;
                gdesc[S_FIRST] = gfirst;
                gdesc[S_LAST] = glast;

                fq[q_wr] <= gdesc;
                q_wr <= q_wr + 2'd1;
                if (glast) begin
                    for (d = 0; d < 8; d = d + 1) begin
                        g_soff[d] <= 16'd0;
                        g_psoff[d] <= 16'd0;
                        g_off2[d] <= gnoff2[d];
                    end
                    if (gl2wrap) g_act <= 1'b0;
                end else begin
                    for (d = 0; d < 8; d = d + 1) begin
                        g_soff[d] <= gnsoff[d];
                        g_psoff[d] <= g_soff[d];
                    end
                end
                g_ph <= gh;
                g_ponar <= gonar;
                g_ponac <= gonac;
            end
            if (q_pop) q_rd <= q_rd + 2'd1;
            q_n <= q_n + {2'd0, g_push} - {2'd0, q_pop};

            // L1 pipeline
            if (boundary) begin
                if (at_gap) begin
                    D0 <= {STEP_W{1'b0}};
                    D1 <= head;
                    l1_act <= 1'b1;
                    p_mac <= 1'b0;
                end else begin
                    D0 <= D1;
                    D1 <= use_head ? head : {STEP_W{1'b0}};
                    p_mac <= start_mac;
                    if (l1_end) l1_act <= 1'b0;
                end
                wacc <= 24'd0;
            end else if (st == ST_RUN && l1_act && p_mac && !mac_busy) begin
                wacc <= wacc + 24'd1;
            end

            // top-level state machine
            st <= st_n;
            if (do_start_cmd) begin
                done <= 1'b0;
                for (d = 0; d < 8; d = d + 1) begin
                    g_off2[d] <= 16'd0; g_soff[d] <= 16'd0; g_psoff[d] <= 16'd0;
                end
                g_act <= 1'b1; g_ph <= 3'd0;
                q_rd <= 2'd0; q_wr <= 2'd0; q_n <= 3'd0;
                l1_act <= 1'b0; D0 <= {STEP_W{1'b0}}; D1 <= {STEP_W{1'b0}};
            end
            if (st == ST_DRAIN && dma_fin) done <= 1'b1;

        end

        // L2 tiles and the TILE / DMA buses. They change only at reset and with the state: the start
        // makes tile 0 the next tile, the tile shift (end of the fill, end of every run) moves
        // next -> current -> previous. So they are computed only then, as the values of the next
        // cycle (p_*, c_*, n_*). (One assignment of each register, after its reads: Verilator then
        // needs no shadow copy of it in every cycle.)
        if (rst || st_n != st) begin : l2
            reg         carry;
            integer     p;
            reg [127:0] sn_off, sn_e2;   // successor of the next tile (order ORDER2)
            reg [2:0]   sn_r;            // its reload flags {o, i, w}
            reg [127:0] p_off, p_e2, c_off, c_e2, n_off, n_e2, dims;
            reg         p_v, p_ho, c_v, c_ro, n_v, n_fresh;
            reg [2:0]   c_h, n_h, n_r;
            dims = dd_q[D_DIMS +: 128];
            // the tiles as held (current: ct_* and tile_q; next: nt_v and dd_q's load fields)
            c_off = ct_off; c_e2 = tile_q[T_E2 +: 128]; c_v = ct_v; c_h = tile_q[T_H2 +: 3]; c_ro = ct_ro;
            n_off = dd_q[D_LD_OFF +: 128]; n_e2 = dd_q[D_LD_E2 +: 128]; n_v = nt_v;
            n_h = dd_q[D_LD_HW +: 3]; n_r = dd_q[D_LD_RW +: 3]; n_fresh = dd_q[D_LD_FRESH];
            // the previous tile: the current one before this change, read by dma_lo only in GAP,
            // which only a shift enters
            p_off = c_off; p_e2 = c_e2; p_v = c_v; p_ho = c_h[2];
            if (rst) begin
                c_off = 128'd0; c_e2 = ONES; c_v = 1'b0; c_h = 3'd0; c_ro = 1'b0;
                n_off = 128'd0; n_e2 = ONES; n_v = 1'b0; n_h = 3'd0; n_r = 3'd0; n_fresh = 1'b0;
            end else if (do_start_cmd) begin
                n_off = 128'd0;
                for (d = 0; d < 8; d = d + 1)
                    n_e2[16*d +: 16] = min16({16'd0, t2r[d]}, {16'd0, dims[16*d +: 16]});
                n_v = 1'b1; n_r = 3'b111; n_h = 3'b000; n_fresh = 1'b1;
                c_v = 1'b0;
            end else if ((st == ST_FILL && dma_fin) || run_end) begin
                carry = 1'b1;
                sn_off = n_off;
                for (p = 7; p >= 0; p = p - 1) begin
                    if (carry) begin
                        if ({16'd0, n_off[16*ordd(ord2, p) +: 16]} + {16'd0, t2r[ordd(ord2, p)]} <
                            {16'd0, dims[16*ordd(ord2, p) +: 16]}) begin
                            sn_off[16*ordd(ord2, p) +: 16] = n_off[16*ordd(ord2, p) +: 16] + t2r[ordd(ord2, p)];
                            carry = 1'b0;
                        end else begin
                            sn_off[16*ordd(ord2, p) +: 16] = 16'd0;
                        end
                    end
                end
                sn_r = 3'b000;
                for (d = 0; d < 8; d = d + 1) begin
                    sn_e2[16*d +: 16] = min16({16'd0, t2r[d]}, {16'd0, dims[16*d +: 16]} - {16'd0, sn_off[16*d +: 16]});
                    if (sn_off[16*d +: 16] != n_off[16*d +: 16]) begin
                        if (REL_W[d]) sn_r[0] = 1'b1;
                        if (REL_I[d]) sn_r[1] = 1'b1;
                        if (REL_O[d]) sn_r[2] = 1'b1;
                    end
                end
                // shift next -> current (-> previous: p_* above)
                c_v = n_v; c_h = n_h; c_ro = n_r[2]; c_off = n_off; c_e2 = n_e2;
                n_v = n_v && !carry; n_r = sn_r; n_h = n_h ^ sn_r; n_off = sn_off; n_e2 = sn_e2;
                n_fresh = sn_off[16*3 +: 16] == 16'd0 && sn_off[16*6 +: 16] == 16'd0 &&
                          sn_off[16*7 +: 16] == 16'd0;
            end
            ct_off <= c_off; ct_v <= c_v; ct_ro <= c_ro; nt_v <= n_v;
            tile_q <= {c_h, c_e2};
            dd_q[D_DIMS-1:0] <= dma_lo(rst ? ST_IDLE : st_n, p_v, p_ho, c_ro, c_h[2], n_v, n_fresh,
                                       n_r, n_h, p_off, p_e2, c_off, c_e2, n_off, n_e2);
        end

        // register writes, last: after every read of dd_q in this process (no per-cycle shadow copy
        // of it in Verilator; see block l2)
        if (rst) begin
            dd_q[DMA_W-1:D_DIMS] <= {32'd0, 32'd0, 32'd0, 16'd1, 16'd1, ONES};
        end else if (cfg_wr) begin
            casez (cfg_addr)
                8'b0000_1???: dd_q[D_DIMS + 16*cfg_addr[2:0] +: 16] <= cfg_wdata[15:0];
                8'h10: dd_q[D_SY +: 16] <= cfg_wdata[15:0];
                8'h11: dd_q[D_SX +: 16] <= cfg_wdata[15:0];
                8'h12: py <= cfg_wdata[15:0];
                8'h13: px <= cfg_wdata[15:0];
                8'h14: dd_q[D_BW +: 32] <= cfg_wdata;
                8'h15: dd_q[D_BI +: 32] <= cfg_wdata;
                8'h16: dd_q[D_BO +: 32] <= cfg_wdata;
                8'b0001_1???: t2r[cfg_addr[2:0]] <= cfg_wdata[15:0];
                8'h20: ord2 <= cfg_wdata;
                8'b0010_1???: t1r[cfg_addr[2:0]] <= cfg_wdata[15:0];
                8'h30: ord1 <= cfg_wdata;
                default: ;
            endcase
        end
    end
endmodule
