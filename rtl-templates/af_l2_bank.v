// af_l2_bank: the L2 (global buffer) of one tensor, two halves of BYTES/2 bytes (double
// buffering). Byte-addressed storage; words are WB bytes (1 for weights/inputs, 4 for outputs,
// little-endian). Ports:
//  * DMA write: up to DRAM_B bytes per cycle at any byte offset of a half (fills, clears);
//  * DMA read (outputs only): DRAM_B bytes at any byte offset, combinational (stores);
//  * network read: NOC_W words per cycle, registered (the "L2 SRAM read register");
//  * network write (outputs only): NOC_W words per cycle (the collection bus).
module af_l2_bank #(
    parameter BYTES = 4096,
    parameter DRAM_B = 8,
    parameter NOC_W = 1,
    parameter WB = 1
) (
    input  wire                     clk,
    input  wire                     rst,
    // DMA side
    input  wire                     dw_en,
    input  wire                     dw_half,
    input  wire [23:0]              dw_off,
    input  wire [15:0]              dw_n,
    input  wire [DRAM_B*8-1:0]      dw_data,
    input  wire                     dr_half,
    input  wire [23:0]              dr_off,
    output reg  [DRAM_B*8-1:0]      dr_data,
    // network side
    input  wire [NOC_W-1:0]         nr_en,
    input  wire                     nr_half,
    input  wire [NOC_W*24-1:0]      nr_addr,
    output reg  [NOC_W*WB*8-1:0]    nr_data,
    input  wire [NOC_W-1:0]         nw_en,
    input  wire                     nw_half,
    input  wire [NOC_W*24-1:0]      nw_addr,
    input  wire [NOC_W*WB*8-1:0]    nw_data
);
    localparam integer HALF = (BYTES / 2 > 0) ? BYTES / 2 : 1;

    reg [7:0] mem [0:2*HALF-1];

    function integer ba;  // flat byte index of byte `off` of half `h`
        input h;
        input [31:0] off;
        begin
            ba = (h ? HALF : 0) + off;
        end
    endfunction

    always @(*) begin : c_0
        integer b;
        for (b = 0; b < DRAM_B; b = b + 1)
            dr_data[b*8 +: 8] = mem[ba(dr_half, {8'd0, dr_off} + b)];
    end

    always @(posedge clk) begin : p_1
        integer k, b;
        if (rst) begin
            nr_data <= {NOC_W*WB*8{1'b0}};
        end else begin
            for (k = 0; k < NOC_W; k = k + 1)
                if (nr_en[k])
                    for (b = 0; b < WB; b = b + 1)
                        nr_data[(k*WB + b)*8 +: 8] <=
                            mem[ba(nr_half, {8'd0, nr_addr[k*24 +: 24]} * WB + b)];
        end
    end

    always @(posedge clk) begin : p_2
        integer k, b;
        if (dw_en)
            for (b = 0; b < DRAM_B; b = b + 1)
                if (b < {16'd0, dw_n})
                    mem[ba(dw_half, {8'd0, dw_off} + b)] <= dw_data[b*8 +: 8];
        for (k = 0; k < NOC_W; k = k + 1)
            if (nw_en[k])
                for (b = 0; b < WB; b = b + 1)
                    mem[ba(nw_half, {8'd0, nw_addr[k*24 +: 24]} * WB + b)] <= nw_data[(k*WB + b)*8 +: 8];
    end
endmodule
