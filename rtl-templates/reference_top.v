// af_top: the hand-written reference composition of the AccelForge leaves (INTERFACES.md section
// 8). The generator (`accelforge emit`) emits an equivalent top; this file is the authoritative
// netlist. Ports and parameters: INTERFACES.md sections 2 and 3.
/* verilator lint_off DECLFILENAME */
module af_top #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter ROW_DIM = 3,
    parameter COL_DIM = 2,
    parameter NOC_W = 2,
    parameter DRAM_B = 8,
    parameter L1_W_BYTES = 64,
    parameter L1_I_BYTES = 64,
    parameter L1_O_BYTES = 128,
    parameter L2_W_BYTES = 4096,
    parameter L2_I_BYTES = 4096,
    parameter L2_O_BYTES = 8192
) (
    input  wire                 clk,
    input  wire                 rst,
    input  wire                 cfg_wr,
    input  wire [7:0]           cfg_addr,
    input  wire [31:0]          cfg_wdata,
    output wire [31:0]          cfg_rdata,
    output wire                 busy,
    output wire                 done,
    output wire                 mem_rd_req_valid,
    input  wire                 mem_rd_req_ready,
    output wire [31:0]          mem_rd_req_addr,
    output wire [31:0]          mem_rd_req_bytes,
    input  wire                 mem_rd_valid,
    output wire                 mem_rd_ready,
    input  wire [DRAM_B*8-1:0]  mem_rd_data,
    output wire                 mem_wr_valid,
    input  wire                 mem_wr_ready,
    output wire [31:0]          mem_wr_addr,
    output wire [15:0]          mem_wr_bytes,
    output wire [DRAM_B*8-1:0]  mem_wr_data
);
    localparam integer STEP_W = 330;
    localparam integer TILE_W = 163;
    localparam integer DMA_W = 784;
    localparam integer NCNT = 27;

    // controller <-> engines
    wire               ctrl_cnt_clear;
    wire [7:0]         ctrl_cnt_sel;
    wire [63:0]        cnt_rd_data;
    wire [6*24-1:0]    ctrl_inc_cause;
    wire               ctrl_mac_start, ctrl_dw_start, ctrl_di_start, ctrl_do_start, ctrl_coll_start;
    wire [STEP_W-1:0]  ctrl_desc_mac, ctrl_desc_dist, ctrl_desc_coll;
    wire [TILE_W-1:0]  ctrl_tile;
    wire               ctrl_o_ilock, ctrl_o_fwd;
    wire               coll_nx_act;
    wire [7:0]         coll_nx_gr, coll_nx_gc, coll_n_gr, coll_n_gc;
    wire [15:0]        coll_nx_addr;
    wire               ctrl_dma_start;
    wire [DMA_W-1:0]   ctrl_dma_desc;
    wire               mac_fin, mac_busy, dw_fin, dw_busy, di_fin, di_busy, do_fin, do_busy;
    wire               coll_fin, dma_fin;
    /* verilator lint_off UNUSEDSIGNAL */
    wire               coll_busy, dma_busy;   // status only
    /* verilator lint_on UNUSEDSIGNAL */

    // compute bus
    wire [ROWS-1:0]    mac_row_act;
    wire [COLS-1:0]    mac_col_act;
    wire               mac_hw, mac_hi, mac_ho;
    wire [15:0]        mac_wa, mac_ia, mac_oa;
    wire [23:0]        mac_inc_macs;

    // distribution buses
    wire [NOC_W-1:0]      dw_nr_en, di_nr_en, do_nr_en;
    wire                  dw_nr_half, di_nr_half, do_nr_half;
    wire [NOC_W*24-1:0]   dw_nr_addr, di_nr_addr, do_nr_addr;
    wire [NOC_W*8-1:0]    l2w_nr_data, l2i_nr_data;
    wire [NOC_W*32-1:0]   l2o_nr_data;
    wire [NOC_W-1:0]      dw_b_valid, di_b_valid, do_b_valid;
    wire                  dw_b_half, di_b_half, do_b_half;
    wire [NOC_W*16-1:0]   dw_b_addr, di_b_addr, do_b_addr;
    wire [NOC_W*8-1:0]    dw_b_data, di_b_data;
    wire [NOC_W*32-1:0]   do_b_data;
    wire [NOC_W*ROWS-1:0] dw_b_rowm, di_b_rowm, do_b_rowm;
    wire [NOC_W*COLS-1:0] dw_b_colm, di_b_colm, do_b_colm;
    wire [23:0]           dw_inc_l2, dw_inc_l1, di_inc_l2, di_inc_l1, do_inc_l2, do_inc_l1;

    // collection
    wire [NOC_W-1:0]      coll_cr_valid;
    wire                  coll_cr_half;
    wire [NOC_W*16-1:0]   coll_cr_addr;
    wire [NOC_W*ROWS-1:0] coll_cr_rowm;
    wire [NOC_W*COLS-1:0] coll_cr_colm;
    wire [NOC_W*32-1:0]   pes_sum_q;
    wire [NOC_W-1:0]      coll_nw_en;
    wire                  coll_nw_half;
    wire [NOC_W*24-1:0]   coll_nw_addr;
    wire [NOC_W*32-1:0]   coll_nw_data;
    wire [23:0]           coll_inc_l2, coll_inc_l1;

    // DMA <-> L2
    wire                  dma_l2w_en, dma_l2i_en, dma_l2o_en, dma_l2_wr_half;
    wire [23:0]           dma_l2_wr_off;
    wire [15:0]           dma_l2_wr_n;
    wire [DRAM_B*8-1:0]   dma_l2_wr_data;
    wire                  dma_l2o_rd_half;
    wire [23:0]           dma_l2o_rd_off;
    wire [DRAM_B*8-1:0]   l2o_dr_data;
    wire [23:0]           dma_inc_w, dma_inc_i, dma_inc_or, dma_inc_ou;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [DRAM_B*8-1:0]   l2w_dr_data, l2i_dr_data;   // weights/inputs are never stored back
    /* verilator lint_on UNUSEDSIGNAL */

    af_ctrl #(
        .ROWS(ROWS), .COLS(COLS), .ROW_DIM(ROW_DIM), .COL_DIM(COL_DIM), .NOC_W(NOC_W),
        .DRAM_B(DRAM_B), .STEP_W(STEP_W), .TILE_W(TILE_W), .DMA_W(DMA_W)
    ) u_ctrl (
        .clk(clk), .rst(rst),
        .cfg_wr(cfg_wr), .cfg_addr(cfg_addr), .cfg_wdata(cfg_wdata), .cfg_rdata(cfg_rdata),
        .busy(busy), .done(done),
        .cnt_clear(ctrl_cnt_clear), .cnt_sel(ctrl_cnt_sel), .cnt_data(cnt_rd_data),
        .inc_cause(ctrl_inc_cause),
        .mac_start(ctrl_mac_start), .dw_start(ctrl_dw_start), .di_start(ctrl_di_start),
        .do_start(ctrl_do_start), .coll_start(ctrl_coll_start),
        .desc_mac(ctrl_desc_mac), .desc_dist(ctrl_desc_dist), .desc_coll(ctrl_desc_coll),
        .tile(ctrl_tile), .o_ilock(ctrl_o_ilock), .o_fwd(ctrl_o_fwd),
        .mac_fin(mac_fin), .mac_busy(mac_busy), .dw_fin(dw_fin), .dw_busy(dw_busy),
        .di_fin(di_fin), .di_busy(di_busy), .do_fin(do_fin), .do_busy(do_busy),
        .coll_fin(coll_fin),
        .dma_start(ctrl_dma_start), .dma_desc(ctrl_dma_desc), .dma_fin(dma_fin)
    );

    af_counters #(.NCNT(NCNT)) u_cnt (
        .clk(clk), .rst(rst), .clear(ctrl_cnt_clear),
        .inc({coll_inc_l1, mac_inc_macs, mac_inc_macs, do_inc_l1, mac_inc_macs, di_inc_l1,
              mac_inc_macs, dw_inc_l1,
              dma_inc_ou, coll_inc_l2, do_inc_l2, dma_inc_or, di_inc_l2, dma_inc_i, dw_inc_l2,
              dma_inc_w,
              dma_inc_ou, dma_inc_or, dma_inc_i, dma_inc_w,
              mac_inc_macs, ctrl_inc_cause}),
        .rd_sel(ctrl_cnt_sel), .rd_data(cnt_rd_data)
    );

    af_dma #(.DRAM_B(DRAM_B), .DMA_W(DMA_W)) u_dma (
        .clk(clk), .rst(rst), .start(ctrl_dma_start), .desc(ctrl_dma_desc),
        .busy(dma_busy), .fin(dma_fin),
        .mem_rd_req_valid(mem_rd_req_valid), .mem_rd_req_ready(mem_rd_req_ready),
        .mem_rd_req_addr(mem_rd_req_addr), .mem_rd_req_bytes(mem_rd_req_bytes),
        .mem_rd_valid(mem_rd_valid), .mem_rd_ready(mem_rd_ready), .mem_rd_data(mem_rd_data),
        .mem_wr_valid(mem_wr_valid), .mem_wr_ready(mem_wr_ready), .mem_wr_addr(mem_wr_addr),
        .mem_wr_bytes(mem_wr_bytes), .mem_wr_data(mem_wr_data),
        .l2w_en(dma_l2w_en), .l2i_en(dma_l2i_en), .l2o_en(dma_l2o_en),
        .l2_wr_half(dma_l2_wr_half), .l2_wr_off(dma_l2_wr_off), .l2_wr_n(dma_l2_wr_n),
        .l2_wr_data(dma_l2_wr_data),
        .l2o_rd_half(dma_l2o_rd_half), .l2o_rd_off(dma_l2o_rd_off), .l2o_rd_data(l2o_dr_data),
        .inc_w(dma_inc_w), .inc_i(dma_inc_i), .inc_or(dma_inc_or), .inc_ou(dma_inc_ou)
    );

    af_l2_bank #(.BYTES(L2_W_BYTES), .DRAM_B(DRAM_B), .NOC_W(NOC_W), .WB(1)) u_l2w (
        .clk(clk), .rst(rst),
        .dw_en(dma_l2w_en), .dw_half(dma_l2_wr_half), .dw_off(dma_l2_wr_off), .dw_n(dma_l2_wr_n),
        .dw_data(dma_l2_wr_data), .dr_half(1'b0), .dr_off(24'd0), .dr_data(l2w_dr_data),
        .nr_en(dw_nr_en), .nr_half(dw_nr_half), .nr_addr(dw_nr_addr), .nr_data(l2w_nr_data),
        .nw_en({NOC_W{1'b0}}), .nw_half(1'b0), .nw_addr({NOC_W*24{1'b0}}), .nw_data({NOC_W*8{1'b0}})
    );
    af_l2_bank #(.BYTES(L2_I_BYTES), .DRAM_B(DRAM_B), .NOC_W(NOC_W), .WB(1)) u_l2i (
        .clk(clk), .rst(rst),
        .dw_en(dma_l2i_en), .dw_half(dma_l2_wr_half), .dw_off(dma_l2_wr_off), .dw_n(dma_l2_wr_n),
        .dw_data(dma_l2_wr_data), .dr_half(1'b0), .dr_off(24'd0), .dr_data(l2i_dr_data),
        .nr_en(di_nr_en), .nr_half(di_nr_half), .nr_addr(di_nr_addr), .nr_data(l2i_nr_data),
        .nw_en({NOC_W{1'b0}}), .nw_half(1'b0), .nw_addr({NOC_W*24{1'b0}}), .nw_data({NOC_W*8{1'b0}})
    );
    af_l2_bank #(.BYTES(L2_O_BYTES), .DRAM_B(DRAM_B), .NOC_W(NOC_W), .WB(4)) u_l2o (
        .clk(clk), .rst(rst),
        .dw_en(dma_l2o_en), .dw_half(dma_l2_wr_half), .dw_off(dma_l2_wr_off), .dw_n(dma_l2_wr_n),
        .dw_data(dma_l2_wr_data), .dr_half(dma_l2o_rd_half), .dr_off(dma_l2o_rd_off),
        .dr_data(l2o_dr_data),
        .nr_en(do_nr_en), .nr_half(do_nr_half), .nr_addr(do_nr_addr), .nr_data(l2o_nr_data),
        .nw_en(coll_nw_en), .nw_half(coll_nw_half), .nw_addr(coll_nw_addr), .nw_data(coll_nw_data)
    );

    af_dist #(
        .TENSOR(0), .ROWS(ROWS), .COLS(COLS), .ROW_DIM(ROW_DIM), .COL_DIM(COL_DIM), .NOC_W(NOC_W),
        .STEP_W(STEP_W), .TILE_W(TILE_W)
    ) u_dw (
        .clk(clk), .rst(rst), .start(ctrl_dw_start), .desc(ctrl_desc_dist), .tile(ctrl_tile),
        .o_ilock(1'b0), .o_fwd(1'b0), .c_act(1'b0), .c_gr(8'd0), .c_gc(8'd0), .c_addr(16'd0),
        .c_ngr(8'd0), .c_ngc(8'd0), .fwd_data(pes_sum_q),
        .nr_en(dw_nr_en), .nr_half(dw_nr_half), .nr_addr(dw_nr_addr), .nr_data(l2w_nr_data),
        .b_valid(dw_b_valid), .b_half(dw_b_half), .b_addr(dw_b_addr), .b_data(dw_b_data),
        .b_rowm(dw_b_rowm), .b_colm(dw_b_colm), .busy(dw_busy), .fin(dw_fin),
        .inc_l2(dw_inc_l2), .inc_l1(dw_inc_l1)
    );
    af_dist #(
        .TENSOR(1), .ROWS(ROWS), .COLS(COLS), .ROW_DIM(ROW_DIM), .COL_DIM(COL_DIM), .NOC_W(NOC_W),
        .STEP_W(STEP_W), .TILE_W(TILE_W)
    ) u_di (
        .clk(clk), .rst(rst), .start(ctrl_di_start), .desc(ctrl_desc_dist), .tile(ctrl_tile),
        .o_ilock(1'b0), .o_fwd(1'b0), .c_act(1'b0), .c_gr(8'd0), .c_gc(8'd0), .c_addr(16'd0),
        .c_ngr(8'd0), .c_ngc(8'd0), .fwd_data(pes_sum_q),
        .nr_en(di_nr_en), .nr_half(di_nr_half), .nr_addr(di_nr_addr), .nr_data(l2i_nr_data),
        .b_valid(di_b_valid), .b_half(di_b_half), .b_addr(di_b_addr), .b_data(di_b_data),
        .b_rowm(di_b_rowm), .b_colm(di_b_colm), .busy(di_busy), .fin(di_fin),
        .inc_l2(di_inc_l2), .inc_l1(di_inc_l1)
    );
    af_dist #(
        .TENSOR(2), .ROWS(ROWS), .COLS(COLS), .ROW_DIM(ROW_DIM), .COL_DIM(COL_DIM), .NOC_W(NOC_W),
        .STEP_W(STEP_W), .TILE_W(TILE_W)
    ) u_do (
        .clk(clk), .rst(rst), .start(ctrl_do_start), .desc(ctrl_desc_dist), .tile(ctrl_tile),
        .o_ilock(ctrl_o_ilock), .o_fwd(ctrl_o_fwd), .c_act(coll_nx_act), .c_gr(coll_nx_gr),
        .c_gc(coll_nx_gc), .c_addr(coll_nx_addr), .c_ngr(coll_n_gr), .c_ngc(coll_n_gc),
        .fwd_data(pes_sum_q),
        .nr_en(do_nr_en), .nr_half(do_nr_half), .nr_addr(do_nr_addr), .nr_data(l2o_nr_data),
        .b_valid(do_b_valid), .b_half(do_b_half), .b_addr(do_b_addr), .b_data(do_b_data),
        .b_rowm(do_b_rowm), .b_colm(do_b_colm), .busy(do_busy), .fin(do_fin),
        .inc_l2(do_inc_l2), .inc_l1(do_inc_l1)
    );

    af_coll #(
        .ROWS(ROWS), .COLS(COLS), .ROW_DIM(ROW_DIM), .COL_DIM(COL_DIM), .NOC_W(NOC_W),
        .STEP_W(STEP_W), .TILE_W(TILE_W)
    ) u_coll (
        .clk(clk), .rst(rst), .start(ctrl_coll_start), .desc(ctrl_desc_coll), .tile(ctrl_tile),
        .cr_valid(coll_cr_valid), .cr_half(coll_cr_half), .cr_addr(coll_cr_addr),
        .cr_rowm(coll_cr_rowm), .cr_colm(coll_cr_colm), .sum_q(pes_sum_q),
        .nw_en(coll_nw_en), .nw_half(coll_nw_half), .nw_addr(coll_nw_addr), .nw_data(coll_nw_data),
        .busy(coll_busy), .fin(coll_fin), .nx_act(coll_nx_act), .nx_gr(coll_nx_gr),
        .nx_gc(coll_nx_gc), .nx_addr(coll_nx_addr), .n_gr_o(coll_n_gr), .n_gc_o(coll_n_gc),
        .inc_l2(coll_inc_l2), .inc_l1(coll_inc_l1)
    );

    af_mac_seq #(
        .ROWS(ROWS), .COLS(COLS), .ROW_DIM(ROW_DIM), .COL_DIM(COL_DIM),
        .STEP_W(STEP_W), .TILE_W(TILE_W)
    ) u_mac (
        .clk(clk), .rst(rst), .start(ctrl_mac_start), .desc(ctrl_desc_mac), .tile(ctrl_tile),
        .busy(mac_busy), .fin(mac_fin), .row_act(mac_row_act), .col_act(mac_col_act),
        .hw(mac_hw), .hi(mac_hi), .ho(mac_ho), .wa(mac_wa), .ia(mac_ia), .oa(mac_oa),
        .inc_macs(mac_inc_macs)
    );

    af_pe_array #(
        .ROWS(ROWS), .COLS(COLS), .NOC_W(NOC_W),
        .L1_W_BYTES(L1_W_BYTES), .L1_I_BYTES(L1_I_BYTES), .L1_O_BYTES(L1_O_BYTES)
    ) u_pes (
        .clk(clk), .rst(rst),
        .mac_row_act(mac_row_act), .mac_col_act(mac_col_act),
        .mac_hw(mac_hw), .mac_hi(mac_hi), .mac_ho(mac_ho),
        .mac_wa(mac_wa), .mac_ia(mac_ia), .mac_oa(mac_oa),
        .wb_valid(dw_b_valid), .wb_half(dw_b_half), .wb_addr(dw_b_addr), .wb_data(dw_b_data),
        .wb_rowm(dw_b_rowm), .wb_colm(dw_b_colm),
        .ib_valid(di_b_valid), .ib_half(di_b_half), .ib_addr(di_b_addr), .ib_data(di_b_data),
        .ib_rowm(di_b_rowm), .ib_colm(di_b_colm),
        .ob_valid(do_b_valid), .ob_half(do_b_half), .ob_addr(do_b_addr), .ob_data(do_b_data),
        .ob_rowm(do_b_rowm), .ob_colm(do_b_colm),
        .cr_valid(coll_cr_valid), .cr_half(coll_cr_half), .cr_addr(coll_cr_addr),
        .cr_rowm(coll_cr_rowm), .cr_colm(coll_cr_colm), .sum_q(pes_sum_q)
    );
endmodule
