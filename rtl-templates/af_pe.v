// af_pe: one processing element of the AccelForge template (docs/template.md section 2).
//
// L1 buffers per tensor, each split in two halves (double buffering): weights and inputs int8,
// outputs (partial sums) int32. One MAC per cycle: O[ho][oa] += sext(W[hw][wa] * I[hi][ia]),
// with combinational (register-file) reads, so a step of c points takes exactly c cycles.
// Writes come from the three distribution buses (NOC_W slots each, already decoded for this PE);
// the collection port reads NOC_W output words (combinational, 0 when a slot is not selected) and
// clears every word it reads, so a half that holds no live tile is all-zero (fresh outputs and the
// non-index-0 PEs of reduced axes therefore start from zero without any transfer).
// Zero is a per-word valid bit: a word whose bit is 0 reads as 0. Reset clears all bits at once
// (one vector assignment, the same single reset cycle at any L1_O_BYTES: a loop clearing the
// 2*L1_O_BYTES/8 words with nonblocking writes is rejected by Verilator beyond 64 iterations,
// BLKLOOPINIT), every write sets the bit, and the collection's clear resets it.
module af_pe #(
    parameter L1_W_BYTES = 64,   // both halves
    parameter L1_I_BYTES = 64,
    parameter L1_O_BYTES = 128,
    parameter NOC_W = 1
) (
    input  wire                 clk,
    input  wire                 rst,
    // compute (broadcast addresses, this PE's enable)
    input  wire                 mac_en,
    input  wire                 mac_hw,
    input  wire                 mac_hi,
    input  wire                 mac_ho,
    input  wire [15:0]          mac_wa,
    input  wire [15:0]          mac_ia,
    input  wire [15:0]          mac_oa,
    // weight bus
    input  wire [NOC_W-1:0]     wb_en,
    input  wire                 wb_half,
    input  wire [NOC_W*16-1:0]  wb_addr,
    input  wire [NOC_W*8-1:0]   wb_data,
    // input bus
    input  wire [NOC_W-1:0]     ib_en,
    input  wire                 ib_half,
    input  wire [NOC_W*16-1:0]  ib_addr,
    input  wire [NOC_W*8-1:0]   ib_data,
    // psum fill bus
    input  wire [NOC_W-1:0]     ob_en,
    input  wire                 ob_half,
    input  wire [NOC_W*16-1:0]  ob_addr,
    input  wire [NOC_W*32-1:0]  ob_data,
    // collection (read and clear)
    input  wire [NOC_W-1:0]     cr_en,
    input  wire                 cr_half,
    input  wire [NOC_W*16-1:0]  cr_addr,
    output reg  [NOC_W*32-1:0]  cr_data
);
    localparam integer HW = (L1_W_BYTES / 2 > 0) ? L1_W_BYTES / 2 : 1;  // words per half
    localparam integer HI = (L1_I_BYTES / 2 > 0) ? L1_I_BYTES / 2 : 1;
    localparam integer HO = (L1_O_BYTES / 8 > 0) ? L1_O_BYTES / 8 : 1;

    reg [7:0]  wmem [0:2*HW-1];
    reg [7:0]  imem [0:2*HI-1];
    reg [31:0] omem [0:2*HO-1];
    reg [2*HO-1:0] oval;   // omem word holds a value (else it reads as 0)

    // Flat addresses {half, word}. 32-bit arithmetic, then used as an index.
    function integer fa;
        input h;
        input [15:0] a;
        input integer half_words;
        begin
            fa = (h ? half_words : 0) + {16'd0, a};
        end
    endfunction

    wire signed [7:0]  w_op = wmem[fa(mac_hw, mac_wa, HW)];
    wire signed [7:0]  i_op = imem[fa(mac_hi, mac_ia, HI)];
    wire signed [15:0] prod = w_op * i_op;                       // int8 x int8 -> int16, signed
    wire        [31:0] prod32 = {{16{prod[15]}}, prod};          // explicit sign extension
    // An output word reads as 0 while its valid bit is 0. Written out at each read (not as a
    // function of the index): @* and continuous assignments are sensitive only to what they
    // reference themselves, not to the memories a called function reads.
    wire        [31:0] acc_old = oval[fa(mac_ho, mac_oa, HO)]
                                 ? omem[fa(mac_ho, mac_oa, HO)] : 32'd0;
    wire        [31:0] acc_new = acc_old + prod32;                // wraps (two's complement)

    always @(*) begin : c_0
        integer s;
        for (s = 0; s < NOC_W; s = s + 1)
            cr_data[s*32 +: 32] = (cr_en[s] && oval[fa(cr_half, cr_addr[s*16 +: 16], HO)])
                                  ? omem[fa(cr_half, cr_addr[s*16 +: 16], HO)] : 32'd0;
    end

    // Same order as before the valid bits (compute, then clears, then fills: a fill of a word
    // cleared in the same cycle wins), so every word reads exactly as when reset zeroed omem.
    always @(posedge clk) begin : p_1
        integer k;
        if (rst) begin
            /* verilator lint_off WIDTHCONCAT */   // up to 2^17 bits at the largest L1 O
            oval <= {2*HO{1'b0}};
            /* verilator lint_on WIDTHCONCAT */
        end else begin
            if (mac_en) begin
                omem[fa(mac_ho, mac_oa, HO)] <= acc_new;
                oval[fa(mac_ho, mac_oa, HO)] <= 1'b1;
            end
            for (k = 0; k < NOC_W; k = k + 1) begin
                if (cr_en[k]) oval[fa(cr_half, cr_addr[k*16 +: 16], HO)] <= 1'b0;
            end
            for (k = 0; k < NOC_W; k = k + 1) begin
                if (ob_en[k]) begin
                    omem[fa(ob_half, ob_addr[k*16 +: 16], HO)] <= ob_data[k*32 +: 32];
                    oval[fa(ob_half, ob_addr[k*16 +: 16], HO)] <= 1'b1;
                end
            end
        end
    end

    always @(posedge clk) begin : p_2
        integer k;
        for (k = 0; k < NOC_W; k = k + 1) begin
            if (wb_en[k]) wmem[fa(wb_half, wb_addr[k*16 +: 16], HW)] <= wb_data[k*8 +: 8];
            if (ib_en[k]) imem[fa(ib_half, ib_addr[k*16 +: 16], HI)] <= ib_data[k*8 +: 8];
        end
    end
endmodule
