// af_pe_grid: the structural PE array, ROWS x COLS af_pe instances, with the same ports and the
// same cycle behaviour as af_pe_array (which the top instantiates). This is the array as a
// netlist of PE leaves: the view for per-leaf synthesis (area = PEs x af_pe) and the reference
// that tests/rtl_pe_equiv_test.cc checks af_pe_array against, cycle by cycle. It is not used in
// af_top because Verilator 5.006 emits one copy of the PE code per instance (168 copies on the
// edge design), which made simulation ~30x slower than the flattened af_pe_array.
//
// The fan-out of the three distribution buses (a word goes to every PE whose row bit and column
// bit are set in the slot's masks: multicast by PE mask), the broadcast compute bus, and the
// collection datapath: per slot, the adder tree over every selected PE (the PEs of the reduced
// axes of one output group) followed by the adder-tree register.
module af_pe_grid #(
    parameter ROWS = 2,
    parameter COLS = 2,
    parameter NOC_W = 1,
    parameter L1_W_BYTES = 64,
    parameter L1_I_BYTES = 64,
    parameter L1_O_BYTES = 128
) (
    input  wire                     clk,
    input  wire                     rst,
    // compute bus
    input  wire [ROWS-1:0]          mac_row_act,
    input  wire [COLS-1:0]          mac_col_act,
    input  wire                     mac_hw,
    input  wire                     mac_hi,
    input  wire                     mac_ho,
    input  wire [15:0]              mac_wa,
    input  wire [15:0]              mac_ia,
    input  wire [15:0]              mac_oa,
    // weight distribution bus
    input  wire [NOC_W-1:0]         wb_valid,
    input  wire                     wb_half,
    input  wire [NOC_W*16-1:0]      wb_addr,
    input  wire [NOC_W*8-1:0]       wb_data,
    input  wire [NOC_W*ROWS-1:0]    wb_rowm,
    input  wire [NOC_W*COLS-1:0]    wb_colm,
    // input distribution bus
    input  wire [NOC_W-1:0]         ib_valid,
    input  wire                     ib_half,
    input  wire [NOC_W*16-1:0]      ib_addr,
    input  wire [NOC_W*8-1:0]       ib_data,
    input  wire [NOC_W*ROWS-1:0]    ib_rowm,
    input  wire [NOC_W*COLS-1:0]    ib_colm,
    // psum distribution bus
    input  wire [NOC_W-1:0]         ob_valid,
    input  wire                     ob_half,
    input  wire [NOC_W*16-1:0]      ob_addr,
    input  wire [NOC_W*32-1:0]      ob_data,
    input  wire [NOC_W*ROWS-1:0]    ob_rowm,
    input  wire [NOC_W*COLS-1:0]    ob_colm,
    // collection: read request (issue cycle), reduced sums one cycle later
    input  wire [NOC_W-1:0]         cr_valid,
    input  wire                     cr_half,
    input  wire [NOC_W*16-1:0]      cr_addr,
    input  wire [NOC_W*ROWS-1:0]    cr_rowm,
    input  wire [NOC_W*COLS-1:0]    cr_colm,
    output reg  [NOC_W*32-1:0]      sum_q
);
    localparam integer NPE = ROWS * COLS;

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
endmodule
