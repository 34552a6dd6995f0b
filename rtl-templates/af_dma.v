// af_dma: the DMA engine between the external memory port and the three L2 banks
// (docs/template.md section 5, "DMA"). One DMA phase per `start`:
//   1. store of the previous L2 output tile (task 0), one write beat per cycle, no wait;
//   2. then loads of the next L2 tile: weights (task 1), inputs (task 2), psums (task 3). Read
//      requests are issued back to back (one per run); the data comes back in order, one beat per
//      cycle, and is written into the L2 half of the tile. With an always-ready memory of latency
//      L the phase lasts write_beats + (read_beats > 0 ? L + read_beats : 0) cycles.
// A tile moves as contiguous runs: the tile's extent along the innermost layout dim, merged with
// the next outer layout dims as long as the tile spans them completely; a run of B bytes takes
// ceil(B / DRAM_B) beats; runs are packed densely in L2 (the L2 tile layout is dense).
// Fresh outputs (task 3 with the FRESH flag) are a clear: the same beats write zeros into L2 after
// the memory beats, without a memory request (an output reload always comes with a weight or input
// reload, so the memory latency is paid in the same phase).
// DRAM layouts: W int8 [G][K][C][R][S], I int8 padded [N][G][C][Hp][Wp], O int32 [N][G][K][Y][X].
module af_dma #(
    parameter DRAM_B = 8,
    parameter DMA_W = 784
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  start,
    input  wire [DMA_W-1:0]      desc,
    output reg                   busy,
    output wire                  fin,
    // memory port
    output wire                  mem_rd_req_valid,
    input  wire                  mem_rd_req_ready,
    output wire [31:0]           mem_rd_req_addr,
    output wire [31:0]           mem_rd_req_bytes,
    input  wire                  mem_rd_valid,
    output wire                  mem_rd_ready,
    input  wire [DRAM_B*8-1:0]   mem_rd_data,
    output wire                  mem_wr_valid,
    input  wire                  mem_wr_ready,
    output wire [31:0]           mem_wr_addr,
    output wire [15:0]           mem_wr_bytes,
    output wire [DRAM_B*8-1:0]   mem_wr_data,
    // L2 banks: shared write data, one enable per bank
    output wire                  l2w_en,
    output wire                  l2i_en,
    output wire                  l2o_en,
    output wire                  l2_wr_half,
    output wire [23:0]           l2_wr_off,
    output wire [15:0]           l2_wr_n,
    output wire [DRAM_B*8-1:0]   l2_wr_data,
    // L2 O read (stores)
    output wire                  l2o_rd_half,
    output wire [23:0]           l2o_rd_off,
    input  wire [DRAM_B*8-1:0]   l2o_rd_data,
    // counters (words this cycle)
    output wire [23:0]           inc_w,    // DRAM W reads = L2 W fills
    output wire [23:0]           inc_i,    // DRAM I reads = L2 I fills
    output wire [23:0]           inc_or,   // DRAM O reads = L2 O fills (psums)
    output wire [23:0]           inc_ou    // DRAM O updates = L2 O drains (stores)
);
    // descriptor fields (see af_ctrl.v)
    localparam integer D_ST_V = 0, D_ST_H = 1, D_LD_V = 2, D_LD_RW = 3, D_LD_RI = 4, D_LD_RO = 5,
                       D_LD_FRESH = 6, D_LD_HW = 7, D_LD_HI = 8, D_LD_HO = 9,
                       D_ST_OFF = 16, D_ST_E2 = 144, D_LD_OFF = 272, D_LD_E2 = 400, D_DIMS = 528,
                       D_SY = 656, D_SX = 672, D_BW = 688, D_BI = 720, D_BO = 752;
    localparam [31:0] BEAT = DRAM_B;

    reg [DMA_W-1:0] q;   // latched descriptor

    // ---------------- geometry of the four tasks (combinational on q) ----------------
    reg [31:0] g_ext  [0:3][0:4];   // tile extent per layout dim (outermost first)
    reg [31:0] g_str  [0:3][0:4];   // DRAM byte stride per layout dim
    reg [31:0] g_base [0:3];        // DRAM byte address of the tile origin
    reg [31:0] g_rb   [0:3];        // bytes per run
    reg [31:0] g_rw   [0:3];        // words per run
    reg [2:0]  g_mk   [0:3];        // outer (non-merged) layout dims are 0 .. mk-1
    reg [3:0]  g_en;                // task enabled (response side)
    reg [3:0]  g_req;               // task issues memory requests

    reg [31:0] dm [0:7];
    reg [31:0] toff [0:7];
    reg [31:0] te [0:7];
    reg [31:0] full [0:4];
    reg [31:0] off5 [0:4];
    reg [31:0] sy, sx, b, hp, wp, tb, run;
    reg        merging;
    always @(*) begin : c_0
        integer t, k, d;
        sy = {16'd0, q[D_SY +: 16]};
        sx = {16'd0, q[D_SX +: 16]};
        for (d = 0; d < 8; d = d + 1) dm[d] = {16'd0, q[D_DIMS + 16*d +: 16]};
        hp = (dm[4] - 32'd1) * sy + dm[6];
        wp = (dm[5] - 32'd1) * sx + dm[7];
        g_en = {q[D_LD_V] & q[D_LD_RO], q[D_LD_V] & q[D_LD_RI], q[D_LD_V] & q[D_LD_RW], q[D_ST_V]};
        g_req = {q[D_LD_V] & q[D_LD_RO] & ~q[D_LD_FRESH], q[D_LD_V] & q[D_LD_RI],
                 q[D_LD_V] & q[D_LD_RW], 1'b0};
        for (t = 0; t < 4; t = t + 1) begin
            for (d = 0; d < 8; d = d + 1) begin
                toff[d] = {16'd0, q[(t == 0 ? D_ST_OFF : D_LD_OFF) + 16*d +: 16]};
                te[d]   = {16'd0, q[(t == 0 ? D_ST_E2 : D_LD_E2) + 16*d +: 16]};
            end
            if (t == 1) begin            // weights [G][K][C][R][S]
                b = 32'd1; tb = q[D_BW +: 32];
                g_ext[t][0] = te[1]; g_ext[t][1] = te[2]; g_ext[t][2] = te[3];
                g_ext[t][3] = te[6]; g_ext[t][4] = te[7];
                full[0] = dm[1]; full[1] = dm[2]; full[2] = dm[3]; full[3] = dm[6]; full[4] = dm[7];
                off5[0] = toff[1]; off5[1] = toff[2]; off5[2] = toff[3];
                off5[3] = toff[6]; off5[4] = toff[7];
            end else if (t == 2) begin   // inputs [N][G][C][Hp][Wp]
                b = 32'd1; tb = q[D_BI +: 32];
                g_ext[t][0] = te[0]; g_ext[t][1] = te[1]; g_ext[t][2] = te[3];
                g_ext[t][3] = (te[4] - 32'd1) * sy + te[6];
                g_ext[t][4] = (te[5] - 32'd1) * sx + te[7];
                full[0] = dm[0]; full[1] = dm[1]; full[2] = dm[3]; full[3] = hp; full[4] = wp;
                off5[0] = toff[0]; off5[1] = toff[1]; off5[2] = toff[3];
                off5[3] = toff[4] * sy + toff[6];
                off5[4] = toff[5] * sx + toff[7];
            end else begin               // outputs [N][G][K][Y][X], int32
                b = 32'd4; tb = q[D_BO +: 32];
                g_ext[t][0] = te[0]; g_ext[t][1] = te[1]; g_ext[t][2] = te[2];
                g_ext[t][3] = te[4]; g_ext[t][4] = te[5];
                full[0] = dm[0]; full[1] = dm[1]; full[2] = dm[2]; full[3] = dm[4]; full[4] = dm[5];
                off5[0] = toff[0]; off5[1] = toff[1]; off5[2] = toff[2];
                off5[3] = toff[4]; off5[4] = toff[5];
            end
            g_str[t][4] = b;
            for (k = 3; k >= 0; k = k - 1) g_str[t][k] = g_str[t][k+1] * full[k+1];
            g_base[t] = tb;
            for (k = 0; k < 5; k = k + 1) g_base[t] = g_base[t] + off5[k] * g_str[t][k];
            run = g_ext[t][4];
            g_mk[t] = 3'd4;
            merging = 1'b1;
            for (k = 3; k >= 0; k = k - 1) begin
                if (merging && g_ext[t][k+1] == full[k+1]) begin
                    run = run * g_ext[t][k];
                    g_mk[t] = k[2:0];
                end else begin
                    merging = 1'b0;
                end
            end
            g_rw[t] = run;
            g_rb[t] = run * b;
        end
    end

    // ---------------- run walkers ----------------
    // A walker holds (task, outer indices, run index); `adv` moves to the next run of the
    // enabled tasks (mask), returning done when none is left.
    localparam [1:0] PH_IDLE = 2'd0, PH_WR = 2'd1, PH_RD = 2'd2;
    reg [1:0] ph;

    // store walker (task 0), beat granular
    reg [31:0] wr_j [0:4];
    reg [31:0] wr_l2;     // L2 byte offset of the current run
    reg [31:0] wr_beat;   // byte offset of the current beat inside the run
    // request walker (tasks 1..3 with requests)
    reg [1:0]  rq_t;
    reg [31:0] rq_j [0:4];
    reg        rq_done;
    // response walker (tasks 1..3), beat granular
    reg [1:0]  rs_t;
    reg [31:0] rs_j [0:4];
    reg [31:0] rs_l2;
    reg [31:0] rs_beat;
    reg        rs_done;

    function [31:0] run_addr;      // DRAM byte address of the run at outer indices j of task t
        input [1:0] tt;
        input [159:0] j;
        integer kk;
        begin
            run_addr = g_base[tt];
            for (kk = 0; kk < 5; kk = kk + 1)
                if (kk < {29'd0, g_mk[tt]}) run_addr = run_addr + j[32*kk +: 32] * g_str[tt][kk];
        end
    endfunction

    // Odometer over the outer dims of task tt: returns {wrapped, next indices}.
    function [160:0] next_run;
        input [1:0] tt;
        input [159:0] j;
        reg [159:0] n;
        reg c;
        integer kk;
        begin
            n = j;
            c = 1'b1;
            for (kk = 4; kk >= 0; kk = kk - 1) begin
                if (c && kk < {29'd0, g_mk[tt]}) begin
                    if (n[32*kk +: 32] + 32'd1 < g_ext[tt][kk]) begin
                        n[32*kk +: 32] = n[32*kk +: 32] + 32'd1;
                        c = 1'b0;
                    end else begin
                        n[32*kk +: 32] = 32'd0;
                    end
                end
            end
            next_run = {c, n};
        end
    endfunction

    // First enabled task > tt in mask (4 = none).
    function [2:0] next_task;
        input [2:0] tt;
        input [3:0] mask;
        integer kk;
        reg found;
        begin
            next_task = 3'd4;
            found = 1'b0;
            for (kk = 1; kk < 4; kk = kk + 1)
                if (!found && kk > {29'd0, tt} && mask[kk]) begin
                    next_task = kk[2:0];
                    found = 1'b1;
                end
        end
    endfunction

    wire [159:0] wr_jv = {wr_j[4], wr_j[3], wr_j[2], wr_j[1], wr_j[0]};
    wire [159:0] rq_jv = {rq_j[4], rq_j[3], rq_j[2], rq_j[1], rq_j[0]};
    wire [159:0] rs_jv = {rs_j[4], rs_j[3], rs_j[2], rs_j[1], rs_j[0]};

    // ---- store side ----
    wire [31:0] wr_rem = g_rb[0] - wr_beat;
    wire        wr_last_beat = wr_rem <= BEAT;
    wire        wr_go = (ph == PH_WR) && mem_wr_ready;
    wire [160:0] wr_nx = next_run(2'd0, wr_jv);
    wire        wr_fin_now = wr_go && wr_last_beat && wr_nx[160];
    assign mem_wr_valid = (ph == PH_WR);
    assign mem_wr_addr  = run_addr(2'd0, wr_jv) + wr_beat;
    assign mem_wr_bytes = wr_last_beat ? wr_rem[15:0] : BEAT[15:0];
    assign mem_wr_data  = l2o_rd_data;
    assign l2o_rd_half  = q[D_ST_H];
    assign l2o_rd_off   = wr_l2[23:0] + wr_beat[23:0];

    // ---- request side ----
    wire        rq_go = (ph == PH_RD) && !rq_done && mem_rd_req_ready;
    wire [160:0] rq_nx = next_run(rq_t, rq_jv);
    wire [2:0]  rq_nt = next_task({1'b0, rq_t}, g_req);
    assign mem_rd_req_valid = (ph == PH_RD) && !rq_done;
    assign mem_rd_req_addr  = run_addr(rq_t, rq_jv);
    assign mem_rd_req_bytes = g_rb[rq_t];

    // ---- response side ----
    wire        rs_mem = g_req[rs_t];                 // this task's beats come from memory
    wire [31:0] rs_rem = g_rb[rs_t] - rs_beat;
    wire        rs_last_beat = rs_rem <= BEAT;
    wire        rs_go = (ph == PH_RD) && !rs_done && (rs_mem ? mem_rd_valid : 1'b1);
    wire [160:0] rs_nx = next_run(rs_t, rs_jv);
    wire [2:0]  rs_nt = next_task({1'b0, rs_t}, g_en);
    wire        rs_fin_now = rs_go && rs_last_beat && rs_nx[160] && rs_nt == 3'd4;
    assign mem_rd_ready = (ph == PH_RD) && !rs_done && rs_mem;
    assign l2w_en = rs_go && rs_t == 2'd1;
    assign l2i_en = rs_go && rs_t == 2'd2;
    assign l2o_en = rs_go && rs_t == 2'd3;
    assign l2_wr_half = (rs_t == 2'd1) ? q[D_LD_HW] : (rs_t == 2'd2) ? q[D_LD_HI] : q[D_LD_HO];
    assign l2_wr_off  = rs_l2[23:0] + rs_beat[23:0];
    assign l2_wr_n    = rs_last_beat ? rs_rem[15:0] : BEAT[15:0];
    assign l2_wr_data = rs_mem ? mem_rd_data : {DRAM_B*8{1'b0}};

    assign fin = !busy || (ph == PH_WR && wr_fin_now && g_en[3:1] == 3'd0) ||
                 (ph == PH_RD && rs_fin_now);

    // counters
    assign inc_w  = (rq_go && rq_t == 2'd1) ? g_rw[1][23:0] : 24'd0;
    assign inc_i  = (rq_go && rq_t == 2'd2) ? g_rw[2][23:0] : 24'd0;
    assign inc_or = (rq_go && rq_t == 2'd3) ? g_rw[3][23:0] : 24'd0;
    assign inc_ou = (wr_go && wr_beat == 32'd0) ? g_rw[0][23:0] : 24'd0;

    // start values computed from the incoming descriptor's flags
    wire [3:0] s_en  = {desc[D_LD_V] & desc[D_LD_RO], desc[D_LD_V] & desc[D_LD_RI],
                        desc[D_LD_V] & desc[D_LD_RW], desc[D_ST_V]};
    wire [3:0] s_req = {desc[D_LD_V] & desc[D_LD_RO] & ~desc[D_LD_FRESH], desc[D_LD_V] & desc[D_LD_RI],
                        desc[D_LD_V] & desc[D_LD_RW], 1'b0};
    wire [2:0] s_rq_t = next_task(3'd0, s_req);
    wire [2:0] s_rs_t = next_task(3'd0, s_en);

    always @(posedge clk) begin : p_1
        integer k;
        if (rst) begin
            q <= {DMA_W{1'b0}};
            busy <= 1'b0; ph <= PH_IDLE;
            wr_l2 <= 32'd0; wr_beat <= 32'd0;
            rq_t <= 2'd1; rq_done <= 1'b1;
            rs_t <= 2'd1; rs_l2 <= 32'd0; rs_beat <= 32'd0; rs_done <= 1'b1;
            for (k = 0; k < 5; k = k + 1) begin
                wr_j[k] <= 32'd0; rq_j[k] <= 32'd0; rs_j[k] <= 32'd0;
            end
        end else if (start) begin
            q <= desc;
            busy <= 1'b1;
            ph <= s_en[0] ? PH_WR : PH_RD;
            for (k = 0; k < 5; k = k + 1) begin
                wr_j[k] <= 32'd0; rq_j[k] <= 32'd0; rs_j[k] <= 32'd0;
            end
            wr_l2 <= 32'd0; wr_beat <= 32'd0;
            rq_t <= s_rq_t[1:0]; rq_done <= s_rq_t == 3'd4;
            rs_t <= s_rs_t[1:0]; rs_l2 <= 32'd0; rs_beat <= 32'd0; rs_done <= s_rs_t == 3'd4;
        end else begin
            // store beats
            if (wr_go) begin
                if (!wr_last_beat) begin
                    wr_beat <= wr_beat + BEAT;
                end else begin
                    wr_beat <= 32'd0;
                    wr_l2 <= wr_l2 + g_rb[0];
                    for (k = 0; k < 5; k = k + 1) wr_j[k] <= wr_nx[32*k +: 32];
                    if (wr_nx[160]) begin
                       
                        if (g_en[3:1] == 3'd0) begin
                            ph <= PH_IDLE; busy <= 1'b0;
                        end else begin
                            ph <= PH_RD;
                        end
                    end
                end
            end
            // read requests
            if (rq_go) begin
                for (k = 0; k < 5; k = k + 1) rq_j[k] <= rq_nx[32*k +: 32];
                if (rq_nx[160]) begin
                    for (k = 0; k < 5; k = k + 1) rq_j[k] <= 32'd0;
                    if (rq_nt == 3'd4) rq_done <= 1'b1;
                    else rq_t <= rq_nt[1:0];
                end
            end
            // read responses / clears
            if (rs_go) begin
                if (!rs_last_beat) begin
                    rs_beat <= rs_beat + BEAT;
                end else begin
                    rs_beat <= 32'd0;
                    rs_l2 <= rs_l2 + g_rb[rs_t];
                    for (k = 0; k < 5; k = k + 1) rs_j[k] <= rs_nx[32*k +: 32];
                    if (rs_nx[160]) begin
                        for (k = 0; k < 5; k = k + 1) rs_j[k] <= 32'd0;
                        rs_l2 <= 32'd0;
                        if (rs_nt == 3'd4) begin
                            rs_done <= 1'b1; ph <= PH_IDLE; busy <= 1'b0;
                        end else begin
                            rs_t <= rs_nt[1:0];
                        end
                    end
                end
            end
        end
    end
endmodule
