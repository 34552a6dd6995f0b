// af_counters: NCNT 64-bit event counters (docs/template.md sections 4 and 5; numbering in
// INTERFACES.md section 5). Every cycle counter k adds inc[k*24 +: 24]; `clear` zeroes them all
// (at start). Read port: rd_sel selects a counter, rd_data is its 64-bit value (combinational).
module af_counters #(
    parameter NCNT = 27
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               clear,
    input  wire [NCNT*24-1:0] inc,
    input  wire [7:0]         rd_sel,
    output wire [63:0]        rd_data
);
    reg [63:0] cnt [0:NCNT-1];
    always @(posedge clk) begin : p_0
        integer k;
        if (rst || clear) begin
            for (k = 0; k < NCNT; k = k + 1) cnt[k] <= 64'd0;
        end else begin
            for (k = 0; k < NCNT; k = k + 1) cnt[k] <= cnt[k] + {40'd0, inc[k*24 +: 24]};
        end
    end
    function integer ix;
        input [7:0] v;
        begin
            ix = {24'd0, v};
        end
    endfunction
    assign rd_data = (ix(rd_sel) < NCNT) ? cnt[ix(rd_sel)] : 64'd0;
endmodule
